import { open, stat, truncate } from 'node:fs/promises';
import { START, type EventStore, type GlobalPosition, type StoredEvent } from '@ect/event-store';
import { storedFormOf } from '@ect/personal-data';
import { toAuditEvent } from './audit-event';
import { readAllUpToHead } from './audit-source';
import { assertAuditableStream } from './history';

export interface ExportOptions {
  store: EventStore;
  /** JSON lines file; when it exists, the export continues after its last complete line. */
  file: string;
  /** Only this stream (in version order). */
  stream?: string;
  /** First global position to export (inclusive), for a new file. */
  from?: GlobalPosition;
  pageSize?: number;
  onProgress?: (progress: ExportProgress) => void;
  /** Stops after the page being written (the file stays resumable). */
  signal?: AbortSignal;
}

export interface ExportProgress {
  exported: number;
  position: GlobalPosition;
  /** Head position at the start and where this run started, for a fraction done (positions increase, not densely). */
  head: GlobalPosition;
  startedAfter: GlobalPosition;
}

export interface ExportResult {
  exported: number;
  /** The position the run continued after when it resumed an existing file; null for a new file. */
  resumedAfter: GlobalPosition | null;
  lastPosition: GlobalPosition | null;
  complete: boolean;
}

/**
 * Exports events as JSON lines (AuditEvent, one per line, in global position order) to a file, resumably.
 *
 * Guarantees: each page is written with one append and only whole lines are trusted on resume: a last line cut short
 * by an interruption is removed, and the export continues strictly after the last complete line's position. As
 * positions strictly increase in the file, a resumed export repeats and skips nothing.
 */
export async function exportEvents(options: ExportOptions): Promise<ExportResult> {
  // Exports hold the stored form: each line's hash can be checked without keys, and a file that leaves the database
  // holds no personal data in clear that a later erasure could not reach (sealed fields stay envelopes).
  options = { ...options, store: storedFormOf(options.store) };
  if (options.stream) assertAuditableStream(options.stream);
  const resumedAfter = await lastExportedPosition(options.file);
  const after = resumedAfter ?? (options.from !== undefined ? options.from - 1n : START);
  const head = await options.store.headPosition();
  const file = await open(options.file, 'a');
  let exported = 0;
  let lastPosition: GlobalPosition | null = resumedAfter;
  try {
    for await (const page of pages(options, after)) {
      if (page.length === 0) continue;
      await file.appendFile(page.map((e) => `${JSON.stringify(toAuditEvent(e))}\n`).join(''), 'utf8');
      exported += page.length;
      lastPosition = page[page.length - 1].globalPosition;
      options.onProgress?.({ exported, position: lastPosition, head, startedAfter: after });
      if (options.signal?.aborted) return { exported, resumedAfter, lastPosition, complete: false };
    }
  } finally {
    await file.close();
  }
  return { exported, resumedAfter, lastPosition, complete: !options.signal?.aborted };
}

function pages(options: ExportOptions, after: GlobalPosition): AsyncIterable<StoredEvent[]> {
  const pageSize = options.pageSize ?? 1000;
  if (!options.stream) return readAllUpToHead(options.store, { after, pageSize, signal: options.signal });
  const stream = options.stream;
  return (async function* () {
    for (let fromVersion = 0; ; fromVersion += pageSize) {
      const page = await options.store.readStream(stream, { fromVersion, maxCount: pageSize });
      yield page.filter((e) => e.globalPosition > after);
      if (page.length < pageSize) return;
    }
  })();
}

/**
 * The position of the file's last complete line, or null for a missing or empty file. A trailing partial line (the
 * export was interrupted while writing) is cut off so that the next line written starts clean.
 */
export async function lastExportedPosition(path: string): Promise<GlobalPosition | null> {
  const size = await stat(path).then((s) => s.size, () => null);
  if (!size) return null;
  const handle = await open(path, 'r');
  let tail = Buffer.alloc(0);
  try {
    // Read backwards until the tail holds the last complete line (bytes, so no character is split while reading).
    for (let start = size; start > 0; ) {
      const length = Math.min(64 * 1024, start);
      start -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, start);
      tail = Buffer.concat([chunk, tail]);
      const newline = tail.lastIndexOf(0x0a);
      if (newline > 0 && tail.lastIndexOf(0x0a, newline - 1) >= 0) break;
    }
  } finally {
    await handle.close();
  }
  const newline = tail.lastIndexOf(0x0a);
  const partial = tail.length - newline - 1;
  if (partial > 0) await truncate(path, size - partial);
  if (newline < 0) return null;
  const previous = newline > 0 ? tail.lastIndexOf(0x0a, newline - 1) : -1;
  const last = JSON.parse(tail.subarray(previous + 1, newline).toString('utf8')) as { position?: unknown };
  if (typeof last.position !== 'string' || !/^\d+$/.test(last.position)) {
    throw new Error(`${path} does not look like an export: its last line has no position`);
  }
  return BigInt(last.position);
}
