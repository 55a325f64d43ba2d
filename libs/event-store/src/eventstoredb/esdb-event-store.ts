import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  StreamNotFoundError,
  type Position,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type RecordedEvent,
} from '@eventstore/db-client';
import { WrongExpectedVersionError } from '../event-store.errors';
import {
  START,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type SubscriptionHandle,
} from '../event-store.port';
import { assertValidExpectedVersion, assertValidStreamName, validateNewEvents } from '../event-store.validation';
import { chainedEventData } from './esdb-chain';
import { chainOf, decodeForReader, decodeRecordedEvent, encodeEvent, isAfter, isSystemRecord, toReadPosition } from './esdb-codec';
import { actualVersionOf, isWrongExpectedVersion, translateError } from './esdb-errors';
import { expectedRevision, findOriginalAppend, RecentEventIds, type StreamEntry } from './esdb-idempotency';
import { esdbSubscription } from './esdb-subscription';

export interface EventStoreDbEventStoreOptions {
  /** How many event ids (and their streams) to remember for refusing an id reused in another stream. Default 100 000. */
  recentEventIds?: number;
  /** Reads and appends of one "any" / "stream exists" append before it falls back to the server's own check. Default 20. */
  maxAppendAttempts?: number;
  /** First back-off before a dropped subscription resubscribes. Default 100 ms. */
  subscriptionRetryDelayMs?: number;
  /** Told when a subscription was dropped and is about to resubscribe. */
  onSubscriptionError?: (error: unknown) => void;
}

/** Records per `$all` page of `readAll`; filtering happens here, as client 6.x reads `$all` without a filter. */
const READ_ALL_PAGE = 512;

/**
 * The EventStoreDB adapter (EventStoreDB 22.6 or later; positions: see esdb-codec.ts).
 *
 * Idempotency does not rest on the server's de-duplication, which is best-effort for "any" (an in-memory cache):
 * every append first reads the stream; when these event ids are already stored there as one run it returns the
 * original result and writes nothing. "any" and "stream exists" are then sent as the exact revision just read (or
 * "no stream"), so a concurrent append, including a racing retry of this one, makes the write fail instead of storing
 * a second copy; the adapter reads again and either finds its events or retries. "no stream" and exact versions go to
 * the server as they are (it guarantees idempotency for those); on a wrong expected version the stream is read once
 * more, so a retry whose first attempt did land answers with the original result. Cost: one read of the whole stream
 * per append, fine for the small per-entity streams of this service.
 *
 * The same read gives the hash chain its previous hash: the events' `hash`, `prevHash` and `recordedAt` are computed
 * here (esdb-chain.ts) and stored in their metadata, and the exact revision read is sent, so they can only land
 * where they were computed for.
 *
 * An id already used in another stream is refused only when this process appended it recently (RecentEventIds):
 * EventStoreDB keeps no index of event ids across streams.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly recentIds: RecentEventIds;
  private readonly maxAppendAttempts: number;
  private readonly subscriptions = new Set<SubscriptionHandle>();

  constructor(connection: string | EventStoreDBClient, private readonly options: EventStoreDbEventStoreOptions = {}) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.recentIds = new RecentEventIds(options.recentEventIds ?? 100_000);
    this.maxAppendAttempts = options.maxAppendAttempts ?? 20;
  }

  async append(streamName: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    assertValidStreamName(streamName);
    assertValidExpectedVersion(expected);
    const serialised = validateNewEvents(events);
    events.forEach((event) => encodeEvent(event)); // refuses reserved metadata keys before contacting the server
    const eventIds = events.map((e) => e.eventId);
    const ids = eventIds.map((id) => id.toLowerCase());
    this.recentIds.assertNotElsewhere(ids, streamName);

    for (let attempt = 1; ; attempt++) {
      const stored = await this.readEntries(streamName);
      const original = this.original(streamName, stored, ids, eventIds);
      if (original) return original;

      const last = stored.length > 0 ? stored[stored.length - 1] : null;
      const current = last ? last.revision : null;
      const choice = expectedRevision(expected, current);
      // A mismatch, or an "any" that kept losing races (the chain forbids falling back to the server's "any").
      if (choice === 'mismatch' || (choice.chosenHere && attempt > this.maxAppendAttempts)) {
        throw new WrongExpectedVersionError(streamName, expected, current === null ? null : Number(current));
      }
      // Never before the last event's recorded time, so recorded times do not decrease along the stream.
      const now = new Date(Math.max(Date.now(), last?.recordedAt?.getTime() ?? 0));
      const eventData = chainedEventData(streamName, events, serialised, current, last?.hash ?? null, now);
      try {
        const result = await this.client.appendToStream(streamName, eventData, { expectedRevision: choice.revision });
        return await this.confirm(streamName, ids, eventIds, result.nextExpectedRevision);
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw translateError(error);
        // The stream moved since it was read; read it again (the mover may have been a retry of this very append).
        if (choice.chosenHere) continue;
        const after = this.original(streamName, await this.readEntries(streamName), ids, eventIds);
        if (after) return after;
        throw new WrongExpectedVersionError(streamName, expected, actualVersionOf(error));
      }
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    assertValidStreamName(streamName);
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const fromRevision = BigInt(Math.max(0, Math.trunc(options.fromVersion ?? 0)));
    return this.collectStream(streamName, { fromRevision, maxCount: options.maxCount, direction: FORWARDS }, (record) =>
      isSystemRecord(record) ? null : decodeRecordedEvent(record),
    );
  }

  async streamVersion(streamName: string): Promise<number | null> {
    assertValidStreamName(streamName);
    const [last] = await this.collectStream(streamName, { fromRevision: END, maxCount: 1, direction: BACKWARDS }, (r) => r.revision);
    return last === undefined ? null : Number(last);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const maxCount = Math.min(options.maxCount ?? 500, 10_000);
    const events: StoredEvent[] = [];
    if (!(maxCount > 0)) return events;
    let from = toReadPosition(options.after ?? START);
    for (;;) {
      // A forward read of $all includes the record at its start position: skip what is not after `from`.
      const read = this.client.readAll({ fromPosition: from, maxCount: READ_ALL_PAGE, direction: FORWARDS });
      let records = 0;
      let last: Position | null = null;
      try {
        for await (const resolved of read) {
          records++;
          if (!resolved.event) continue;
          const position = resolved.event.position;
          last = position;
          if (from !== 'start' && !isAfter(position, from)) continue;
          const event = decodeForReader(resolved, options.streamPrefixes);
          if (event) events.push(event);
          if (events.length === maxCount) break;
        }
      } catch (error) {
        throw translateError(error);
      } finally {
        if (events.length === maxCount) await read.cancel().catch(() => undefined);
      }
      if (events.length === maxCount || records < READ_ALL_PAGE || last === null) return events;
      from = last;
    }
  }

  async headPosition(): Promise<GlobalPosition> {
    // The last record of the log, whatever its stream: every event a reader may see is at or before it.
    try {
      for await (const resolved of this.client.readAll({ fromPosition: END, maxCount: 1, direction: BACKWARDS })) {
        if (resolved.event) return resolved.event.position.commit;
      }
    } catch (error) {
      throw translateError(error);
    }
    return START;
  }

  subscribe(options: SubscribeOptions): SubscriptionHandle {
    const subscription = esdbSubscription({
      client: this.client,
      after: options.after ?? START,
      streamPrefixes: options.streamPrefixes,
      batchSize: Math.max(1, options.batchSize ?? 500),
      retryDelayMs: this.options.subscriptionRetryDelayMs ?? 100,
      handle: options.handle,
      onError: this.options.onSubscriptionError,
    });
    this.subscriptions.add(subscription);
    subscription.done.then(
      () => this.subscriptions.delete(subscription),
      () => this.subscriptions.delete(subscription),
    );
    return subscription;
  }

  /** Stops this store's subscriptions; disposes the client when the store created it from a connection string. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsClient) await this.client.dispose();
  }

  /** The original result when these events are already in the stream (and remembers where they went). */
  private original(streamName: string, stored: StreamEntry[], ids: string[], eventIds: string[]): AppendResult | null {
    const original = findOriginalAppend(stored, ids, eventIds);
    if (original) this.recentIds.remember(ids, streamName);
    return original;
  }

  /**
   * The result of an append the server acknowledged, read back from the stream: the acknowledgement of an append the
   * server found already stored carries no position, and a fresh one does not say which event its position is of.
   */
  private async confirm(streamName: string, ids: string[], eventIds: string[], lastRevision: bigint): Promise<AppendResult> {
    const first = lastRevision - BigInt(ids.length - 1);
    const run = await this.readEntries(streamName, first < 0n ? 0n : first, ids.length);
    const isRun = run.length === ids.length && run.every((entry, i) => entry.id.toLowerCase() === ids[i]);
    const result = this.original(streamName, isRun ? run : await this.readEntries(streamName), ids, eventIds);
    if (!result) throw new Error(`EventStoreDB acknowledged an append to ${streamName}, but its events are not in the stream`);
    return result;
  }

  private readEntries(streamName: string, fromRevision = 0n, maxCount?: number): Promise<StreamEntry[]> {
    return this.collectStream(streamName, { fromRevision, maxCount, direction: FORWARDS }, (record) => ({
      id: record.id,
      revision: record.revision,
      position: record.position,
      ...pickChain(chainOf(record.metadata)),
    }));
  }

  /** Maps the records of a stream read; an unknown stream reads as empty. */
  private async collectStream<T>(
    streamName: string,
    options: EsdbReadStreamOptions,
    map: (record: RecordedEvent) => T | null,
  ): Promise<T[]> {
    const out: T[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, options)) {
        const mapped = resolved.event ? map(resolved.event) : null;
        if (mapped !== null) out.push(mapped);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateError(error);
    }
    return out;
  }
}

function pickChain(chain: ReturnType<typeof chainOf>): Pick<StreamEntry, 'hash' | 'recordedAt'> {
  return { hash: chain.hash, recordedAt: chain.recordedAt };
}
