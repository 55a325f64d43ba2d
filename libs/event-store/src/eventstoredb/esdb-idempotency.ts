import { NO_STREAM, type Position } from '@eventstore/db-client';
import { EventIdConflictError } from '../event-store.errors';
import type { AppendResult, ExpectedVersion } from '../event-store.port';
import { toGlobalPosition } from './esdb-codec';

/** What the idempotency check needs of one stored event. */
export interface StreamEntry {
  id: string;
  revision: bigint;
  position: Position | undefined;
  /** The entry's chain hash and recorded time (null for a record written before the chain existed). */
  hash: string | null;
  recordedAt?: Date | null;
}

/**
 * The result an earlier append of these events gave, when they are all stored in this stream as one run, in order;
 * null when none of them is stored. Ids are compared lower-case; `eventIds` are returned as the caller gave them, so a
 * retry answers exactly as the original did. Some but not all stored, or not as one run, is a conflict: the retry is
 * not the same append.
 */
export function findOriginalAppend(entries: StreamEntry[], ids: string[], eventIds: string[]): AppendResult | null {
  const firstById = new Map<string, StreamEntry>();
  for (const entry of entries) {
    const id = entry.id.toLowerCase();
    if (!firstById.has(id)) firstById.set(id, entry);
  }
  const found = ids.map((id) => firstById.get(id));
  const stored = found.filter((entry): entry is StreamEntry => entry !== undefined);
  if (stored.length === 0) return null;
  if (stored.length !== ids.length) {
    throw new EventIdConflictError(stored[0].id, 'only part of this append was stored before');
  }
  for (let i = 1; i < stored.length; i++) {
    if (stored[i].revision !== stored[0].revision + BigInt(i)) {
      throw new EventIdConflictError(stored[i].id, 'these events were stored before, but not together in this order');
    }
  }
  const last = stored[stored.length - 1];
  return {
    nextExpectedVersion: Number(last.revision),
    lastPosition: toGlobalPosition(last.position, `event ${last.id}`),
    eventIds: [...eventIds],
  };
}

/**
 * Which stream each recently appended event id went to, in this process, most recent last (bounded; the oldest are
 * forgotten). EventStoreDB has no index of event ids across streams, so this is the only cheap way to refuse an id
 * reused in another stream. It catches a retry sent to the wrong stream by this process within its memory; it does
 * not see ids appended by other processes or before a restart.
 */
export class RecentEventIds {
  private readonly streamById = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  /** Throws EventIdConflictError when one of these (lower-case) ids was appended here to another stream. */
  assertNotElsewhere(ids: string[], streamName: string): void {
    for (const id of ids) {
      const owner = this.streamById.get(id);
      if (owner !== undefined && owner !== streamName) throw new EventIdConflictError(id, 'it belongs to another stream');
    }
  }

  remember(ids: string[], streamName: string): void {
    for (const id of ids) {
      this.streamById.delete(id);
      this.streamById.set(id, streamName);
    }
    for (const oldest of this.streamById.keys()) {
      if (this.streamById.size <= this.capacity) break;
      this.streamById.delete(oldest);
    }
  }
}

/**
 * The expected revision to send. The hash chain needs the new events to land right after the last event just read
 * (their hashes name its hash and their versions), so the adapter always sends that exact revision (or "no stream"),
 * never the server's "any" or "stream exists". "any" and "stream exists" become the revision just read, so that a
 * concurrent write (possibly a racing retry of the same append) fails this one instead of being stored twice;
 * `chosenHere` says that such a conflict is the adapter's to resolve (read again, chain again), not the caller's.
 * An exact version or "no stream" that the read already contradicts is a `mismatch`: the caller's conflict.
 */
export function expectedRevision(
  expected: ExpectedVersion,
  current: bigint | null,
): { revision: bigint | typeof NO_STREAM; chosenHere: boolean } | 'mismatch' {
  switch (expected.kind) {
    case 'exact':
      return current === BigInt(expected.version) ? { revision: current, chosenHere: false } : 'mismatch';
    case 'no-stream':
      return current === null ? { revision: NO_STREAM, chosenHere: false } : 'mismatch';
    case 'stream-exists':
      return current === null ? 'mismatch' : { revision: current, chosenHere: true };
    case 'any':
      return { revision: current ?? NO_STREAM, chosenHere: true };
  }
}
