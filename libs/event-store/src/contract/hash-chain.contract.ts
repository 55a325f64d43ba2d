import { ExpectedVersion, type EventStore, type StoredEvent } from '../event-store.port';
import { eventHash } from '../hash-chain';
import { anEvent, uniqueStream } from './event-store.contract';

/** The hash chain every adapter keeps (hash-chain.ts); part of the EventStore contract. */
export function describeHashChainContract(store: () => EventStore): void {
  describe('the hash chain', () => {
    const expectChained = (events: StoredEvent[]) => {
      expect(events[0].prevHash).toBeNull();
      events.forEach((event, i) => {
        expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
        if (i > 0) expect(event.prevHash).toBe(events[i - 1].hash);
        // The stored hash is the canonical form's (hash-chain.ts), recomputable by any reader.
        expect(event.hash).toBe(eventHash(event, event.prevHash ?? null));
      });
    };

    it('gives the first event no previous hash and links every later one to the hash of the one before it', async () => {
      const stream = uniqueStream();
      await store().append(stream, [anEvent('A', { s: 'é ☃ 𝄞 "q" \\ \n', n: 1.5e-7, big: 1e21, neg: -12.25 })], ExpectedVersion.noStream);
      await store().append(stream, [anEvent('B', { nested: { b: [1, { z: null, a: true }], aa: '' } }), anEvent('C')], ExpectedVersion.exact(0));
      const events = await store().readStream(stream);
      expect(events.map((e) => e.streamVersion)).toEqual([0, 1, 2]);
      expectChained(events);
      expect(new Set(events.map((e) => e.hash)).size).toBe(3);
    });

    it('gives readAll the same hashes as readStream', async () => {
      const head = await store().headPosition();
      const stream = uniqueStream('chainall');
      await store().append(stream, [anEvent('A'), anEvent('B')], ExpectedVersion.any);
      const all = await store().readAll({ after: head, streamPrefixes: [stream] });
      expect(all.map((e) => [e.hash, e.prevHash])).toEqual((await store().readStream(stream)).map((e) => [e.hash, e.prevHash]));
    });

    it('keeps one unbroken chain when concurrent writers append to one stream', async () => {
      const stream = uniqueStream('chainrace');
      await Promise.all(
        Array.from({ length: 6 }, async (_, w) => {
          for (let i = 0; i < 4; i++) await store().append(stream, [anEvent('W', { w, i })], ExpectedVersion.any);
        }),
      );
      const events = await store().readStream(stream);
      expect(events).toHaveLength(24);
      expectChained(events);
    });
  });
}
