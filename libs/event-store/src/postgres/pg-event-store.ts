import type { Pool } from 'pg';
import {
  EventIdConflictError,
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../event-store.errors';
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
import {
  assertValidExpectedVersion,
  assertValidStreamName,
  validateNewEvents,
} from '../event-store.validation';
import { pollingSubscription } from '../polling-subscription';
import { SafeBoundTracker } from './safe-bound-tracker';

interface EventRow {
  global_position: string;
  event_id: string;
  stream_name: string;
  stream_version: string;
  event_type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
  recorded_at: Date;
  hash: string | null;
  prev_hash: string | null;
}

/** SQLSTATE that es_append raises when the expected version does not hold; its detail is the current version. */
const WRONG_VERSION_SQLSTATE = 'ES409';

const EVENT_COLUMNS =
  'global_position, event_id, stream_name, stream_version, event_type, schema_version, data, metadata, recorded_at, hash, prev_hash';

export interface PostgresEventStoreOptions {
  /** How long an idle subscription waits before it looks for new events. */
  pollIntervalMs?: number;
}

/**
 * The PostgreSQL adapter.
 *
 * Appends: one call of the `es_append` function per append, one transaction. It first upserts the stream's row
 * (which locks the stream and gives the transaction its id before any position is drawn; the gap resolution below
 * relies on that order), checks the expected version, inserts the events (positions from a sequence) and sets the
 * stream's version. It also chains each event to the one before it in the stream (hash, prev_hash; migration
 * event-store/003).
 *
 * Reads of all events never skip: positions are drawn before commit, so a later position may commit first. A
 * reader delivers positions in order and stops at a gap until the gap is known final (see SafeBoundTracker).
 */
export class PostgresEventStore implements EventStore {
  private readonly tracker: SafeBoundTracker;
  private readonly pollIntervalMs: number;

  constructor(private readonly pool: Pool, options: PostgresEventStoreOptions = {}) {
    this.tracker = new SafeBoundTracker(pool);
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
  }

  async append(streamName: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    assertValidStreamName(streamName);
    assertValidExpectedVersion(expected);
    const serialised = validateNewEvents(events);
    const ids = events.map((e) => e.eventId.toLowerCase());
    try {
      // One statement, so one transaction: all events or none (see migration event-store/002).
      const { rows } = await this.query<{ next_version: string; last_position: string }>(
        `select next_version, last_position from es_append($1, $2, $3, $4::uuid[], $5::text[], $6::integer[], $7::jsonb[], $8::jsonb[])`,
        [
          streamName,
          expected.kind,
          expected.kind === 'exact' ? expected.version : null,
          ids,
          events.map((e) => e.type),
          events.map((e) => e.schemaVersion),
          serialised.map((e) => e.data),
          serialised.map((e) => e.metadata),
        ],
      );
      return {
        nextExpectedVersion: Number(rows[0].next_version),
        lastPosition: BigInt(rows[0].last_position),
        eventIds: events.map((e) => e.eventId),
      };
    } catch (error) {
      // A retry of an append already stored fails on its event ids or its expected version: answer as the first did.
      const wrongVersion = (error as { code?: string }).code === WRONG_VERSION_SQLSTATE;
      if (wrongVersion || isUniqueViolation(error, 'es_events_event_id_key')) {
        const stored = await this.alreadyAppended(streamName, ids);
        if (stored) return stored;
      }
      if (wrongVersion) {
        const current = Number((error as { detail?: string }).detail);
        throw new WrongExpectedVersionError(streamName, expected, current < 0 ? null : current);
      }
      throw error;
    }
  }

  /** The original result when every one of these ids is already stored, in this stream, as one run. */
  private async alreadyAppended(streamName: string, ids: string[]): Promise<AppendResult | null> {
    const { rows } = await this.query<{ event_id: string; stream_name: string; stream_version: string; global_position: string }>(
      `select event_id, stream_name, stream_version, global_position from es_events
       where event_id = any($1::uuid[]) order by global_position`,
      [ids],
    );
    if (rows.length === 0) return null;
    const elsewhere = rows.find((r) => r.stream_name !== streamName);
    if (elsewhere) throw new EventIdConflictError(elsewhere.event_id, `it belongs to another stream`);
    if (rows.length !== ids.length || rows.some((r, i) => r.event_id !== ids[i])) {
      throw new EventIdConflictError(rows[0].event_id, 'only part of this append, or in another order, was stored before');
    }
    const last = rows[rows.length - 1];
    return {
      nextExpectedVersion: Number(last.stream_version),
      lastPosition: BigInt(last.global_position),
      eventIds: ids,
    };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    assertValidStreamName(streamName);
    const { rows } = await this.query<EventRow>(
      `select ${EVENT_COLUMNS} from es_events where stream_name = $1 and stream_version >= $2
       order by stream_version limit $3`,
      [streamName, options.fromVersion ?? 0, options.maxCount ?? null],
    );
    return rows.map(toStoredEvent);
  }

  async streamVersion(streamName: string): Promise<number | null> {
    assertValidStreamName(streamName);
    const { rows } = await this.query<{ version: string }>(
      'select max(stream_version) as version from es_events where stream_name = $1',
      [streamName],
    );
    return rows[0].version === null ? null : Number(rows[0].version);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return (await this.readAllPage(options)).events;
  }

  /**
   * One page of all events after `after`, and how far it is known complete (`scannedTo`): positions up to there
   * are either in `events` (or filtered out) or will never exist.
   */
  async readAllPage(options: ReadAllOptions = {}): Promise<{ events: StoredEvent[]; scannedTo: GlobalPosition }> {
    const after = options.after ?? START;
    const maxCount = Math.min(options.maxCount ?? 500, 10_000);
    const filtered = (options.streamPrefixes?.length ?? 0) > 0;
    const positions = await this.query<{ global_position: string }>(
      'select global_position from es_events where global_position > $1 order by global_position limit $2',
      [after.toString(), filtered ? 10_000 : maxCount],
    );
    if (positions.rows.length === 0) return { events: [], scannedTo: after };

    // The unbroken run after `after` is complete. Past a gap, only what the tracker proves final.
    let end = after;
    for (const row of positions.rows) {
      const position = BigInt(row.global_position);
      if (position !== end + 1n) break;
      end = position;
    }
    const lastSeen = BigInt(positions.rows[positions.rows.length - 1].global_position);
    if (end < lastSeen) {
      const safe = await this.tracker.safeBound();
      end = safe >= lastSeen ? lastSeen : safe > end ? safe : end;
    }
    if (end <= after) return { events: [], scannedTo: after };

    const { rows } = await this.query<EventRow>(
      `select ${EVENT_COLUMNS} from es_events
       where global_position > $1 and global_position <= $2
         and ($3::text[] is null or stream_name like any($3::text[]))
       order by global_position limit $4`,
      [
        after.toString(),
        end.toString(),
        filtered ? options.streamPrefixes!.map((p) => p.replace(/[\\%_]/g, (c) => `\\${c}`) + '%') : null,
        maxCount,
      ],
    );
    const events = rows.map(toStoredEvent);
    const scannedTo = events.length === maxCount ? events[events.length - 1].globalPosition : end;
    return { events, scannedTo };
  }

  async headPosition(): Promise<GlobalPosition> {
    const { rows } = await this.query<{ p: string | null }>('select max(global_position) as p from es_events', []);
    return rows[0].p === null ? START : BigInt(rows[0].p);
  }

  subscribe(options: SubscribeOptions): SubscriptionHandle {
    return pollingSubscription({
      after: options.after ?? START,
      pollIntervalMs: this.pollIntervalMs,
      handle: options.handle,
      readPage: (after) =>
        this.readAllPage({ after, maxCount: options.batchSize ?? 500, streamPrefixes: options.streamPrefixes }),
    });
  }

  async close(): Promise<void> {
    // The pool belongs to whoever created it.
  }

  private async query<R extends object>(sql: string, params: unknown[]) {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw translateConnectionError(error);
    }
  }

}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    streamName: row.stream_name,
    streamVersion: Number(row.stream_version),
    globalPosition: BigInt(row.global_position),
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    hash: row.hash,
    prevHash: row.prev_hash,
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08006', '08001', '08004']);

export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  if (e?.code && CONNECTION_CODES.has(e.code)) return true;
  return /Connection terminated|connect ECONNREFUSED|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    e?.message ?? '',
  );
}

function translateConnectionError(error: unknown): unknown {
  return isConnectionError(error)
    ? new EventStoreUnavailableError(`PostgreSQL is unreachable: ${(error as Error).message}`, error)
    : error;
}
