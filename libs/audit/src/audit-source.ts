import type { Pool } from 'pg';
import { START, type EventStore, type GlobalPosition, type StoredEvent } from '@ect/event-store';

/**
 * What the audit functions read: the event store through its port, and, on PostgreSQL, the stream versions the
 * store keeps apart from the events (es_streams), which reveal events deleted from or added at a stream's end.
 */
export interface AuditSource {
  store: EventStore;
  /** Each stream's version as the store records it beside the events; undefined when the store keeps none. */
  recordedVersions?: () => Promise<Map<string, number>>;
}

export function postgresAuditSource(store: EventStore, pool: Pool): AuditSource {
  return {
    store,
    recordedVersions: async () => {
      const { rows } = await pool.query<{ stream_name: string; version: string }>('select stream_name, version from es_streams');
      return new Map(rows.map((r) => [r.stream_name, Number(r.version)]));
    },
  };
}

/**
 * Every event after `after` up to the head position seen at the start, page by page in global order. A reader never
 * passes an event still being written (the port's guarantee), so an empty page before the head means "wait": it
 * retries until the head is reached, `patienceMs` passes without progress, or `signal` aborts (it then just ends).
 */
export async function* readAllUpToHead(
  store: EventStore,
  options: { after?: GlobalPosition; pageSize?: number; patienceMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<StoredEvent[]> {
  const head = await store.headPosition();
  let after = options.after ?? START;
  let waitingSince: number | null = null;
  while (after < head && !options.signal?.aborted) {
    const page = await store.readAll({ after, maxCount: options.pageSize ?? 1000 });
    if (page.length === 0) {
      waitingSince ??= Date.now();
      if (Date.now() - waitingSince > (options.patienceMs ?? 10_000)) {
        throw new Error(`The event store gave no events after position ${after} although its head is ${head}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    waitingSince = null;
    const upToHead = page.filter((e) => e.globalPosition <= head);
    if (upToHead.length > 0) yield upToHead;
    after = page[page.length - 1].globalPosition;
  }
}
