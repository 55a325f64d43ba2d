/**
 * The shape every domain module follows (see STYLE.md). Pure: no clock, no ids, no I/O. `now` and the acting
 * user arrive inside the command.
 */
export interface DomainEvent<Type extends string = string, Data extends Record<string, unknown> = Record<string, unknown>> {
  type: Type;
  data: Data;
}

export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  /** Returns the events that record the decision (an empty list when nothing changes), or throws a DomainError. */
  decide: (command: Command, state: State) => Event[];
}

/** How the runner turns stored events back into domain events, and which schema version new ones get. */
export interface EventCodec<Event extends DomainEvent> {
  schemaVersion: (type: Event['type']) => number;
  /** Upcasts older schema versions; throws on an unknown type so a stream never folds silently wrong. */
  decode: (stored: { type: string; schemaVersion: number; data: Record<string, unknown> }) => Event;
}

export function fold<Event extends DomainEvent, State>(decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>, events: Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** What kind of refusal a domain error is; adapters map it to their protocol (HTTP status, Kafka reply). */
export type DomainErrorKind = 'invalid' | 'not-found' | 'forbidden' | 'conflict' | 'unprocessable' | 'precondition-failed';

/**
 * A refusal by the domain, with a stable machine code (e.g. `SCHOOL_NOT_FOUND`) that clients may rely on.
 * `fields` names the offending inputs for validation errors.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
