import { eventHash, type StoredEvent } from '@ect/event-store';

/** What a broken link means, as precisely as the chain can tell. */
export type ChainProblem =
  | 'changed-content' // the event's stored content no longer matches its hash
  | 'deleted-event' // versions are missing, or an event links to an event no longer in the stream
  | 'inserted-event' // an event that is not part of the chain (no hash, nothing links to it, or beyond the stream's version)
  | 'reordered-events' // events swapped places (versions or global positions)
  | 'renumbered-event'; // an intact event now stored at another version (after an insertion or deletion)

export interface ChainFinding {
  stream: string;
  /** Stored version of the event concerned; for deleted events, the first missing version (when known). */
  version: number | null;
  /** Global position of the event concerned; null for deleted events. */
  position: string | null;
  eventId: string | null;
  problem: ChainProblem;
  detail: string;
}

/** Streams longer than this are checked link by link but not searched for the version an event was appended at. */
const MAX_SEARCHED_STREAM = 5_000;

/**
 * Checks one stream's chain and explains every break. `recordedVersion` is the stream's version as the store keeps it
 * apart from the events (PostgreSQL's es_streams), when known: it reveals events deleted from, or added at, the end.
 *
 * How each tampering shows: changed content, its hash no longer verifies but the next event still links to it;
 * a deleted event, a version gap (or, when later versions were renumbered to hide it, a link to a hash no longer in
 * the stream); an inserted event, its hash is missing or does not verify and nothing links to it; reordered events,
 * each hash verifies only at the version the other one holds now (or global positions go backwards).
 */
export function verifyStreamChain(stream: string, events: StoredEvent[], recordedVersion?: number | null): ChainFinding[] {
  const sorted = [...events].sort((a, b) => a.streamVersion - b.streamVersion);
  const findings: ChainFinding[] = [];
  const at = (e: StoredEvent, problem: ChainProblem, detail: string) =>
    findings.push({ stream, version: e.streamVersion, position: e.globalPosition.toString(), eventId: e.eventId, problem, detail });
  const present = new Set(sorted.map((e) => e.hash).filter((h): h is string => !!h));
  const linkedTo = new Set(sorted.map((e) => e.prevHash).filter((h): h is string => !!h));
  const last = sorted.length > 0 ? sorted[sorted.length - 1].streamVersion : -1;
  const searchUpTo = sorted.length <= MAX_SEARCHED_STREAM ? Math.max(last, recordedVersion ?? -1) + sorted.length : -1;
  const appendedAs = sorted.map((e) => appendedVersion(e, searchUpTo));
  const inserted = new Set<number>();
  const moved = new Set<number>();

  sorted.forEach((e, i) => {
    const version = appendedAs[i];
    // Beyond the recorded version and not an intact event moved up from within it (renumbered after an insertion).
    const beyond =
      recordedVersion !== undefined && recordedVersion !== null && e.streamVersion > recordedVersion &&
      (version === null || version === e.streamVersion || version > recordedVersion);
    if (!e.hash) {
      inserted.add(i);
      at(e, 'inserted-event', 'it has no hash: it was not appended through the event store');
    } else if (beyond) {
      // Even a correctly computed hash cannot make an event appended outside es_append count in es_streams.
      inserted.add(i);
      const content = version === null ? '; its hash does not match its content' : '';
      at(e, 'inserted-event', `it lies beyond the stream's recorded version ${recordedVersion}: it was not appended through the event store${content}`);
    } else if (version === null) {
      if (linkedTo.has(e.hash) || i === sorted.length - 1) {
        at(e, 'changed-content', 'its content (data, metadata, type, schema version, id or recorded time) no longer matches its hash');
      } else {
        inserted.add(i);
        at(e, 'inserted-event', 'no later event links to it and its hash does not match its content');
      }
    } else if (version !== e.streamVersion) {
      moved.add(i);
    }
  });

  const from = [...moved].map((i) => appendedAs[i] as number).sort((a, b) => a - b);
  const to = [...moved].map((i) => sorted[i].streamVersion).sort((a, b) => a - b);
  const swapped = from.length > 0 && from.every((v, k) => v === to[k]);
  for (const i of moved) {
    at(sorted[i], swapped ? 'reordered-events' : 'renumbered-event', `it was appended as version ${appendedAs[i]} and is now stored as version ${sorted[i].streamVersion}`);
  }

  const gapBefore = new Set<number>();
  let expected = 0;
  sorted.forEach((e, i) => {
    if (e.streamVersion > expected) {
      gapBefore.add(i);
      findings.push({ stream, version: expected, position: null, eventId: null, problem: 'deleted-event', detail: `${range(expected, e.streamVersion - 1)} missing before the event at position ${e.globalPosition}` });
    }
    expected = e.streamVersion + 1;
  });
  if (recordedVersion !== undefined && recordedVersion !== null && recordedVersion >= expected) {
    findings.push({ stream, version: expected, position: null, eventId: null, problem: 'deleted-event', detail: `${range(expected, recordedVersion)} missing at the end: the stream's recorded version is ${recordedVersion}` });
  }

  sorted.forEach((e, i) => {
    const expectedPrev = i === 0 ? null : sorted[i - 1].hash ?? null;
    const prev = e.prevHash ?? null;
    if (prev === expectedPrev || gapBefore.has(i) || inserted.has(i - 1) || inserted.has(i)) return;
    if (prev !== null && !present.has(prev)) {
      at(e, 'deleted-event', `it links to an event that is no longer in the stream (hash ${prev.slice(0, 12)}…)`);
    } else if (!moved.has(i) && !moved.has(i - 1)) {
      const target = sorted.find((other) => other.hash === prev);
      at(e, 'reordered-events', prev === null ? 'it links to nothing, as if it were the first event' : `it links to version ${target?.streamVersion}, not to version ${sorted[i - 1].streamVersion} before it`);
    }
  });

  sorted.forEach((e, i) => {
    if (i > 0 && e.globalPosition <= sorted[i - 1].globalPosition && !moved.has(i) && !moved.has(i - 1)) {
      at(e, 'reordered-events', `its global position ${e.globalPosition} is not after position ${sorted[i - 1].globalPosition} of version ${sorted[i - 1].streamVersion}`);
    }
  });

  return findings.sort((a, b) => (a.version ?? -1) - (b.version ?? -1));
}

/** The version at which the event's hash verifies (its stored one first), or null when none does. */
function appendedVersion(e: StoredEvent, searchUpTo: number): number | null {
  if (!e.hash) return null;
  const prev = e.prevHash ?? null;
  if (eventHash(e, prev) === e.hash) return e.streamVersion;
  for (let v = 0; v <= searchUpTo; v++) {
    if (v !== e.streamVersion && eventHash({ ...e, streamVersion: v }, prev) === e.hash) return v;
  }
  return null;
}

function range(first: number, last: number): string {
  return first === last ? `version ${first} is` : `versions ${first} to ${last} are`;
}
