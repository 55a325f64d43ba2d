import {
  ExpectedVersion,
  WrongExpectedVersionError,
  type EventStore,
  type GlobalPosition,
  type NewEvent,
} from '@ect/event-store';
import { DomainError, type Decider, type DomainEvent, type EventCodec } from './decider';

/** Who asked, and why: stamped into every event's metadata. */
export interface CommandContext {
  correlationId: string;
  causationId: string | null;
  /** The school user the change is made for; null when a service acts on its own (e.g. GIAS sync). */
  actingUserId: string | null;
  actingService: string;
  /** The stream version the caller last saw (HTTP If-Match). When set, a mismatch fails instead of retrying. */
  expectedVersion?: number;
}

export interface LoadedStream<State> {
  state: State;
  /** Version of the stream's last event; null when the stream has no events. */
  version: number | null;
  /** Global position of the stream's last event; null when the stream has no events. */
  lastPosition: GlobalPosition | null;
}

export interface CommandResult<Event extends DomainEvent, State> {
  events: Event[];
  eventIds: string[];
  /** Stream version after the command (unchanged when nothing was appended); null for a stream still empty. */
  streamVersion: number | null;
  /** Global position of the stream's last event after the command. */
  position: GlobalPosition | null;
  state: State;
}

export interface CommandRunnerOptions {
  newId: () => string;
  /** How many times a command is decided again after losing a race on its stream. */
  maxRetries?: number;
}

/**
 * The one generic command runner: read the stream, fold, decide, append with the expected version, and on a
 * concurrency conflict decide again on the fresh state (bounded). The decider never sees a stale state commit.
 */
export class CommandRunner {
  private readonly maxRetries: number;

  constructor(private readonly store: EventStore, private readonly options: CommandRunnerOptions) {
    this.maxRetries = options.maxRetries ?? 5;
  }

  async load<C, E extends DomainEvent, S>(streamName: string, decider: Decider<C, E, S>, codec: EventCodec<E>): Promise<LoadedStream<S>> {
    const stored = await this.store.readStream(streamName);
    let state = decider.initialState();
    for (const event of stored) state = decider.evolve(state, codec.decode(event));
    const last = stored[stored.length - 1];
    return { state, version: last ? last.streamVersion : null, lastPosition: last ? last.globalPosition : null };
  }

  async execute<C, E extends DomainEvent, S>(args: {
    streamName: string;
    decider: Decider<C, E, S>;
    codec: EventCodec<E>;
    command: C;
    context: CommandContext;
  }): Promise<CommandResult<E, S>> {
    const { streamName, decider, codec, command, context } = args;
    for (let attempt = 0; ; attempt++) {
      const loaded = await this.load(streamName, decider, codec);
      if (context.expectedVersion !== undefined && context.expectedVersion !== (loaded.version ?? -1)) {
        throw staleVersion(streamName, context.expectedVersion, loaded.version);
      }
      const events = decider.decide(command, loaded.state);
      if (events.length === 0) {
        return { events, eventIds: [], streamVersion: loaded.version, position: loaded.lastPosition, state: loaded.state };
      }
      const toAppend: NewEvent[] = events.map((event, i) => ({
        eventId: this.options.newId(),
        type: event.type,
        schemaVersion: codec.schemaVersion(event.type),
        data: event.data,
        metadata: {
          correlationId: context.correlationId,
          causationId: context.causationId,
          actingUserId: context.actingUserId,
          actingService: context.actingService,
        },
      }));
      try {
        const result = await this.store.append(
          streamName,
          toAppend,
          loaded.version === null ? ExpectedVersion.noStream : ExpectedVersion.exact(loaded.version),
        );
        const state = events.reduce(decider.evolve, loaded.state);
        return { events, eventIds: result.eventIds, streamVersion: result.nextExpectedVersion, position: result.lastPosition, state };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (context.expectedVersion !== undefined) throw staleVersion(streamName, context.expectedVersion, error.actual);
        if (attempt >= this.maxRetries) {
          throw new DomainError('CONCURRENT_MODIFICATION', 'conflict', `${streamName} kept changing; try again`);
        }
      }
    }
  }
}

function staleVersion(streamName: string, expected: number, actual: number | null): DomainError {
  return new DomainError(
    'STREAM_VERSION_MISMATCH',
    'precondition-failed',
    `The stream is at version ${actual ?? 'none'}, not ${expected}: reload and try again`,
  );
}
