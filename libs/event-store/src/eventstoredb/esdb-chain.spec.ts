import type { JSONRecordedEvent } from '@eventstore/db-client';
import { anEvent } from '../contract/event-store.contract';
import { validateNewEvents } from '../event-store.validation';
import { eventHash } from '../hash-chain';
import { chainedEventData } from './esdb-chain';
import { decodeRecordedEvent } from './esdb-codec';

// What the EventStoreDB adapter stores for the chain, checked without a server: the records it would send are read
// back the way the client hands them to a reader (JSON encoded and parsed), at the revisions they were computed for.
const now = new Date('2026-05-06T07:08:09.010Z');

function readBack(stream: string, data: ReturnType<typeof chainedEventData>, firstRevision: bigint) {
  return data.map((written, i) =>
    decodeRecordedEvent({
      streamId: stream,
      id: written.id,
      isJson: true,
      revision: firstRevision + BigInt(i),
      type: written.type,
      created: new Date('2030-01-01T00:00:00Z'), // the server's clock: not what the hash covers
      data: JSON.parse(JSON.stringify(written.data)),
      metadata: JSON.parse(JSON.stringify(written.metadata)),
      position: { commit: 100n + BigInt(i), prepare: 100n + BigInt(i) },
    } as JSONRecordedEvent),
  );
}

describe('EventStoreDB chain: an append to a new stream', () => {
  it('starts at version 0 with no previous hash; each event links to the one before it', () => {
    const events = [anEvent('A', { s: 'é 𝄞\n', n: 1.5e-7 }), anEvent('B', { big: 1e21 })];
    const data = chainedEventData('school-100001', events, validateNewEvents(events), null, null, now);
    const stored = readBack('school-100001', data, 0n);
    expect(stored.map((e) => e.prevHash)).toEqual([null, stored[0].hash]);
    for (const e of stored) expect(e.hash).toBe(eventHash(e, e.prevHash ?? null));
    expect(stored.map((e) => e.recordedAt)).toEqual([now, now]);
    expect(stored[0].metadata).toEqual(events[0].metadata);
  });
});

describe('EventStoreDB chain: an append after revision 4', () => {
  it('gives the events versions 5 and on, linked to the hash of the event at revision 4', () => {
    const events = [anEvent('C'), anEvent('D')];
    const previous = 'c'.repeat(64);
    const data = chainedEventData('school-100001', events, validateNewEvents(events), 4n, previous, now);
    const stored = readBack('school-100001', data, 5n);
    expect(stored[0].prevHash).toBe(previous);
    expect(stored[1].prevHash).toBe(stored[0].hash);
    for (const e of stored) expect(e.hash).toBe(eventHash(e, e.prevHash ?? null));
  });

  it('would not verify if the server stored the events at another revision (so only the exact revision is sent)', () => {
    const events = [anEvent('C')];
    const data = chainedEventData('school-100001', events, validateNewEvents(events), 4n, null, now);
    const [elsewhere] = readBack('school-100001', data, 6n);
    expect(elsewhere.hash).not.toBe(eventHash(elsewhere, elsewhere.prevHash ?? null));
  });
});

describe('EventStoreDB chain: data that JSON changes on the way (undefined fields, dates)', () => {
  it('hashes what is stored, not what was given', () => {
    const event = anEvent('E', { when: new Date('2026-01-01T00:00:00Z') as unknown as string, gone: undefined });
    const data = chainedEventData('school-100001', [event], validateNewEvents([event]), null, null, now);
    const [stored] = readBack('school-100001', data, 0n);
    expect(stored.data).toEqual({ when: '2026-01-01T00:00:00.000Z' });
    expect(stored.hash).toBe(eventHash(stored, null));
  });
});
