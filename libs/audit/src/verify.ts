import { eventHash, type StoredEvent } from '@ect/event-store';
import { storedFormOf } from '@ect/personal-data';
import { AuditInputError } from './audit-event';
import { readAllUpToHead, type AuditSource } from './audit-source';
import { verifyStreamChain, type ChainFinding } from './chain-verify';
import { assertAuditableStream } from './history';

export interface VerifyReport {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  /** Every broken link, by stream then version. Empty when the chains are intact. */
  findings: ChainFinding[];
}

/**
 * Verifies the hash chain of one stream, or of every stream. For all streams it makes one pass over the log in global
 * order, keeping only each stream's last version and hash, and flags a stream at its first anomaly; each flagged
 * stream (and each stream whose recorded version disagrees with its last event) is then read whole and explained
 * by verifyStreamChain. Memory grows with the number of streams, not events.
 */
export async function verifyChains(source: AuditSource, options: { stream?: string } = {}): Promise<VerifyReport> {
  // The chain covers the stored form (personal fields sealed), so it is checked on that, never on decrypted data.
  source = { ...source, store: storedFormOf(source.store) };
  const recorded = source.recordedVersions ? await source.recordedVersions() : undefined;
  if (options.stream) {
    assertAuditableStream(options.stream);
    const events = await source.store.readStream(options.stream);
    if (events.length === 0 && !recorded?.has(options.stream)) {
      // A mistyped name must not read as "intact".
      throw new AuditInputError('STREAM_NOT_FOUND', `No events are recorded in stream ${options.stream}`, 'stream');
    }
    const findings = verifyStreamChain(options.stream, events, recorded?.get(options.stream));
    return { ok: findings.length === 0, streamsChecked: 1, eventsChecked: events.length, findings };
  }

  const tails = new Map<string, { version: number; hash: string | null }>();
  const flagged = new Set<string>();
  let eventsChecked = 0;
  for await (const page of readAllUpToHead(source.store)) {
    for (const event of page) {
      eventsChecked++;
      const tail = tails.get(event.streamName);
      if (!linksTo(event, tail)) flagged.add(event.streamName);
      tails.set(event.streamName, { version: event.streamVersion, hash: event.hash ?? null });
    }
  }
  for (const [stream, version] of recorded ?? []) {
    if (version >= 0 && tails.get(stream)?.version !== version) flagged.add(stream);
  }

  const findings: ChainFinding[] = [];
  for (const stream of [...flagged].sort()) {
    const found = verifyStreamChain(stream, await source.store.readStream(stream), recorded?.get(stream));
    findings.push(...found);
  }
  const streams = new Set([...tails.keys(), ...[...(recorded ?? [])].filter(([, v]) => v >= 0).map(([s]) => s)]);
  return { ok: findings.length === 0, streamsChecked: streams.size, eventsChecked, findings };
}

/** Whether the event continues its stream's chain: next version, links to the last hash, and its own hash verifies. */
function linksTo(event: StoredEvent, tail: { version: number; hash: string | null } | undefined): boolean {
  const expectedVersion = tail ? tail.version + 1 : 0;
  const expectedPrev = tail ? tail.hash : null;
  return (
    event.streamVersion === expectedVersion &&
    (event.prevHash ?? null) === expectedPrev &&
    !!event.hash &&
    eventHash(event, event.prevHash ?? null) === event.hash
  );
}
