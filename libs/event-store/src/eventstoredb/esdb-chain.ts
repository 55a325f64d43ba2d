import type { EventData } from '@eventstore/db-client';
import type { NewEvent } from '../event-store.port';
import { chainHashes } from '../hash-chain';
import { encodeEvent } from './esdb-codec';

/**
 * The records of an append to EventStoreDB with their chain fields: versions follow `current` (the revision just
 * read; null for a new stream), the first event links to `prevHash` (the hash of the event at `current`), and all
 * share `now` (milliseconds) as their recorded time. Hashes are computed over the JSON round trip of data and
 * metadata (`serialised`, as validateNewEvents wrote them), which is exactly what a reader decodes, so a reader
 * recomputes the same hash from the StoredEvent it gets.
 */
export function chainedEventData(
  streamName: string,
  events: NewEvent[],
  serialised: { data: string; metadata: string }[],
  current: bigint | null,
  prevHash: string | null,
  now: Date,
): EventData[] {
  const recordedAt = new Date(now.getTime());
  const firstVersion = current === null ? 0 : Number(current) + 1;
  const links = chainHashes(
    events.map((event, i) => ({
      streamName,
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: JSON.parse(serialised[i].data),
      metadata: JSON.parse(serialised[i].metadata),
      recordedAt,
    })),
    firstVersion,
    prevHash,
  );
  return events.map((event, i) => encodeEvent(event, { ...links[i], recordedAt }));
}
