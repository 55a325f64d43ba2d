import { jsonEvent, type EventData, type Position, type RecordedEvent } from '@eventstore/db-client';
import { InvalidEventError } from '../event-store.errors';
import { START, type EventMetadata, type GlobalPosition, type NewEvent, type StoredEvent } from '../event-store.port';
import { matchesPrefixes } from '../event-store.validation';

/**
 * Positions.
 *
 * The port's GlobalPosition is the `$all` commit position. EventStoreDB reads `$all` in (commit, prepare) order.
 * Every gRPC append is an implicit transaction whose events are written as self-committed prepare records: each event
 * of a multi-event append gets its own log record, and the server reports commit = prepare = that record's log
 * position, on `$all` reads, on live subscription events and (22.6+) on stream reads. So for every event this adapter
 * writes, the commit position alone is unique, strictly increasing in read order, and resuming from
 * Position(g, g) neither skips nor repeats (the server's reads are inclusive, subscriptions exclusive; readers drop
 * anything at or before `after` either way). Commit positions are shared only by the events of an explicit
 * transaction (legacy TCP API, never written here); their prepare positions are not in read order, so neither number
 * alone can order them. Such an event is refused loudly rather than given a position that could skip its siblings.
 * (20.6.0 reported the transaction position as the prepare position of every event of a batch; fixed in 20.6.1.)
 */

/** "No position": the server's -1 sent as an unsigned 64-bit number, e.g. stream reads before 22.6. */
const NO_POSITION_FROM = 2n ** 63n;

export function toGlobalPosition(position: Position | undefined, where: string): GlobalPosition {
  if (!position || position.commit >= NO_POSITION_FROM || position.commit < 0n) {
    throw new Error(`EventStoreDB reported no $all position for ${where}; this adapter needs EventStoreDB 22.6 or later`);
  }
  if (position.commit !== position.prepare) {
    throw new Error(
      `${where} shares its commit position ${position.commit} with other events (prepare position ${position.prepare}): ` +
        'it was written in an explicit transaction, which this adapter cannot give a unique global position',
    );
  }
  return position.commit;
}

/** Where a forward read or subscription starts so that it yields the events after `after`. */
export function toReadPosition(after: GlobalPosition): Position | 'start' {
  return after <= START ? 'start' : { commit: after, prepare: after };
}

/** Whether `position` comes strictly after `from` in `$all` order. */
export function isAfter(position: Position, from: Position): boolean {
  return position.commit > from.commit || (position.commit === from.commit && position.prepare > from.prepare);
}

/**
 * Event metadata JSON: the port's metadata verbatim (unknown keys kept), plus `schemaVersion`, plus EventStoreDB's own
 * `$correlationId` / `$causationId` so its `$by_correlation_id` projection and UI can follow a causal chain, plus the
 * hash chain (`hash`, `prevHash`) and the `recordedAt` the hash covers (chosen by the client before the append: the
 * server's `created` is not known until after it). These keys are added on write and removed on read, so a caller
 * may not use them itself.
 */
const RESERVED_METADATA_KEYS = ['schemaVersion', '$correlationId', '$causationId', 'hash', 'prevHash', 'recordedAt'] as const;

/** The chain fields of one event, computed by the adapter before the append. */
export interface ChainFields {
  hash: string;
  prevHash: string | null;
  recordedAt: Date;
}

export function encodeEvent(event: NewEvent, chain?: ChainFields): EventData {
  for (const key of RESERVED_METADATA_KEYS) {
    if (Object.prototype.hasOwnProperty.call(event.metadata, key)) {
      throw new InvalidEventError(`Metadata key ${key} of ${event.type} is reserved by the EventStoreDB adapter`);
    }
  }
  const metadata: Record<string, unknown> = {
    ...event.metadata,
    schemaVersion: event.schemaVersion,
    $correlationId: event.metadata.correlationId,
  };
  if (event.metadata.causationId !== null) metadata.$causationId = event.metadata.causationId;
  if (chain) Object.assign(metadata, { recordedAt: chain.recordedAt.toISOString(), hash: chain.hash, prevHash: chain.prevHash });
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata });
}

/** Events of EventStoreDB itself: system streams, system event types, links, stream tombstones. */
export function isSystemRecord(record: RecordedEvent): boolean {
  return record.streamId.startsWith('$') || record.type.startsWith('$');
}

/**
 * The stored event of a record this adapter wrote. Anything else in a stream the port reads (no JSON, no schema
 * version) is an error, not skipped: a catch-up reader must never silently pass over an event.
 */
export function decodeRecordedEvent(record: RecordedEvent): StoredEvent {
  const where = `event ${record.id} (${record.streamId}@${record.revision})`;
  const data = record.data as unknown;
  if (!record.isJson || !isPlainObject(data)) throw new Error(`${where} has no JSON object data; it was not written by this event store`);
  const stored = record.metadata as unknown;
  if (!isPlainObject(stored) || !Number.isSafeInteger(stored.schemaVersion) || (stored.schemaVersion as number) < 1) {
    throw new Error(`${where} has no schema version in its metadata; it was not written by this event store`);
  }
  const metadata: Record<string, unknown> = { ...stored };
  for (const key of RESERVED_METADATA_KEYS) delete metadata[key];
  const chain = chainOf(stored);
  return {
    eventId: record.id,
    streamName: record.streamId,
    streamVersion: Number(record.revision),
    globalPosition: toGlobalPosition(record.position, where),
    type: record.type,
    schemaVersion: stored.schemaVersion as number,
    data,
    metadata: metadata as EventMetadata,
    recordedAt: chain.recordedAt ?? record.created,
    hash: chain.hash,
    prevHash: chain.prevHash,
  };
}

/** The chain fields a record's metadata carries; a record written before the chain existed has none (hash null). */
export function chainOf(metadata: unknown): { hash: string | null; prevHash: string | null; recordedAt: Date | null } {
  const m = isPlainObject(metadata) ? metadata : {};
  const recordedAt = typeof m.recordedAt === 'string' ? new Date(m.recordedAt) : null;
  return {
    hash: typeof m.hash === 'string' ? m.hash : null,
    prevHash: typeof m.prevHash === 'string' ? m.prevHash : null,
    recordedAt: recordedAt && !Number.isNaN(recordedAt.getTime()) ? recordedAt : null,
  };
}

/** The stored event a `$all` reader delivers, or null for a record it passes over (system, or not a wanted stream). */
export function decodeForReader(resolved: { event?: RecordedEvent }, streamPrefixes?: string[]): StoredEvent | null {
  const record = resolved.event;
  if (!record || isSystemRecord(record) || !matchesPrefixes(record.streamId, streamPrefixes)) return null;
  return decodeRecordedEvent(record);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}
