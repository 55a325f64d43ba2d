/**
 * The event store port. Both adapters (PostgreSQL, EventStoreDB) implement it and pass one contract suite
 * (`contract/event-store.contract.ts`).
 *
 * Guarantees every adapter gives:
 * - `append` with an expected version is atomic: all events are stored or none; a wrong expectation throws
 *   `WrongExpectedVersionError` and stores nothing.
 * - `append` is idempotent by event id: retrying an append whose events are already stored (same ids, same stream)
 *   stores nothing new and returns the original result, also after a restart.
 * - Global positions are unique and increase; every reader sees all events in one order.
 * - A catch-up reader (`readAll`, `subscribe`) never skips an event that was still being written when it read past
 *   its position.
 */

/** Global position in the log of all events. A bigint so PostgreSQL bigserials and EventStoreDB `$all` fit. */
export type GlobalPosition = bigint;

/** Position before the first event: reading "after START" reads everything. */
export const START: GlobalPosition = -1n;

export type ExpectedVersion =
  | { kind: 'exact'; version: number } // stream version of its last event (first event is version 0)
  | { kind: 'no-stream' }
  | { kind: 'stream-exists' }
  | { kind: 'any' };

export const ExpectedVersion = {
  exact: (version: number): ExpectedVersion => ({ kind: 'exact', version }),
  noStream: { kind: 'no-stream' } as ExpectedVersion,
  streamExists: { kind: 'stream-exists' } as ExpectedVersion,
  any: { kind: 'any' } as ExpectedVersion,
};

/** Metadata every stored event carries. The runner stamps it; adapters store it verbatim. */
export interface EventMetadata {
  correlationId: string;
  causationId: string | null;
  /** The person on whose behalf the change was made (DfE Sign-in user id), or null for a service acting alone. */
  actingUserId: string | null;
  /** The calling service (JWT `sub` of the caller) or this service's own name. */
  actingService: string;
  /** Extension point for later issues (for example the hash chain); adapters keep unknown keys. */
  [key: string]: unknown;
}

/** An event to append. `data` must be JSON-serialisable. */
export interface NewEvent {
  eventId: string; // UUID
  type: string; // stable wire name, e.g. `UserLinkedToSchool`
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface StoredEvent {
  eventId: string;
  streamName: string;
  streamVersion: number;
  globalPosition: GlobalPosition;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /**
   * When the store recorded the event, to the millisecond: PostgreSQL's clock once the append holds its stream's lock
   * (so it never decreases along a stream); on EventStoreDB the appending client's clock, or the stream's last recorded
   * time if that is later (the hash covers it, so it is chosen before the append).
   */
  recordedAt: Date;
  /**
   * The hash chain (`hash-chain.ts`): SHA-256 hex of this event's canonical stored form and `prevHash`. Both adapters
   * fill them; null `hash` means the event was not written through the event store.
   */
  hash?: string | null;
  /** `hash` of the event before this one in its stream; null for the stream's first event. */
  prevHash?: string | null;
  /**
   * Set by a reader that decrypts personal data (libs/personal-data), never stored: the subject of each personal field
   * of `data`, by dotted path (`{"email": "user:<hash>"}`), so read models can find a person's data when it is erased.
   */
  personalData?: Record<string, string>;
}

export interface AppendResult {
  /** The stream's version after the append (its last event's version). */
  nextExpectedVersion: number;
  /** Global position of the last event of this append. */
  lastPosition: GlobalPosition;
  eventIds: string[];
}

export interface ReadStreamOptions {
  /** First stream version to return (inclusive). Default 0. */
  fromVersion?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Only events with a global position after this one. Default START. */
  after?: GlobalPosition;
  maxCount?: number;
  /** Only streams whose name starts with one of these prefixes, e.g. `school-`. */
  streamPrefixes?: string[];
}

export interface SubscriptionHandle {
  /** Stops the subscription; resolves once no handler call is running. */
  stop(): Promise<void>;
  /** Resolves when the subscription ends: after stop(), or rejects when the handler threw. */
  readonly done: Promise<void>;
}

export interface SubscribeOptions {
  /** Resume after this position (the stored checkpoint). Default START. */
  after?: GlobalPosition;
  streamPrefixes?: string[];
  /** Maximum events per handler call. */
  batchSize?: number;
  /**
   * Called with events in global position order, never twice for the same subscription, never with a gap.
   * The subscription waits for it; if it throws, the subscription stops and `done` rejects with that error.
   */
  handle: (events: StoredEvent[]) => Promise<void>;
}

export interface EventStore {
  append(streamName: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  /** Events of one stream in version order; an unknown stream gives an empty list. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** The stream's current version, or null when it has no events. */
  streamVersion(streamName: string): Promise<number | null>;
  /** A page of all events after a position, in position order, never past an event still being written. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** The position of the last event readers may see now (START when empty). */
  headPosition(): Promise<GlobalPosition>;
  /** Catch-up subscription: reads from `after`, then follows new events. */
  subscribe(options: SubscribeOptions): SubscriptionHandle;
  close(): Promise<void>;
}
