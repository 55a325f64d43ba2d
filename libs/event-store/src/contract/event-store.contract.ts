import { randomUUID } from 'node:crypto';
import {
  ExpectedVersion,
  START,
  type EventStore,
  type GlobalPosition,
  type NewEvent,
  type StoredEvent,
} from '../event-store.port';
import {
  EventIdConflictError,
  EventTooLargeError,
  InvalidEventError,
  InvalidStreamNameError,
  WrongExpectedVersionError,
} from '../event-store.errors';
import { MAX_EVENT_BYTES } from '../event-store.validation';
import { describeHashChainContract } from './hash-chain.contract';

/**
 * The behaviour every EventStore adapter must show. Each adapter's spec calls this with a harness.
 * Tests use unique stream names, so they run against a store that already holds other events.
 */
export interface EventStoreHarness {
  store(): EventStore;
  /** Restarts the server behind the store (data kept), when the adapter's spec can; the store must work after. */
  restartServer?: () => Promise<void>;
}

export function anEvent(type = 'SomethingHappened', data: Record<string, unknown> = { n: 1 }): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: null,
      actingUserId: '4b5f1b9e-0b8e-4a7a-9b8e-2d6f9b1c0a11',
      actingService: 'contract-test',
    },
  };
}

export const uniqueStream = (category = 'contract') => `${category}-${randomUUID().replace(/-/g, '')}`;

/** Collects events from a subscription until `count` have arrived. */
export async function collect(
  store: EventStore,
  count: number,
  options: { after?: GlobalPosition; streamPrefixes?: string[]; timeoutMs?: number; batchSize?: number } = {},
): Promise<StoredEvent[]> {
  const seen: StoredEvent[] = [];
  let resolveDone!: () => void;
  const reached = new Promise<void>((r) => (resolveDone = r));
  const subscription = store.subscribe({
    after: options.after,
    streamPrefixes: options.streamPrefixes,
    batchSize: options.batchSize,
    handle: async (events) => {
      seen.push(...events);
      if (seen.length >= count) resolveDone();
    },
  });
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), options.timeoutMs ?? 20000).unref());
  const outcome = await Promise.race([reached, subscription.done, timeout]);
  await subscription.stop();
  if (outcome === 'timeout') throw new Error(`subscription delivered ${seen.length} of ${count} events before the timeout`);
  return seen;
}

export function describeEventStoreContract(adapter: string, harness: EventStoreHarness): void {
  describe(`EventStore contract: ${adapter}`, () => {
    const store = () => harness.store();

    describe('given a new stream', () => {
      it('appends with "no stream" and reads the events back in order with versions from 0', async () => {
        const stream = uniqueStream();
        const events = [anEvent('A', { i: 0 }), anEvent('B', { i: 1 })];
        const result = await store().append(stream, events, ExpectedVersion.noStream);
        expect(result.nextExpectedVersion).toBe(1);
        expect(result.eventIds).toEqual(events.map((e) => e.eventId));
        const read = await store().readStream(stream);
        expect(read.map((e) => [e.type, e.streamVersion, e.data])).toEqual([
          ['A', 0, { i: 0 }],
          ['B', 1, { i: 1 }],
        ]);
        expect(read[1].globalPosition).toBe(result.lastPosition);
        expect(read[0].globalPosition < read[1].globalPosition).toBe(true);
        expect(read[0].metadata).toEqual(events[0].metadata);
        expect(read[0].recordedAt).toBeInstanceOf(Date);
        expect(await store().streamVersion(stream)).toBe(1);
      });

      it('refuses "stream exists" and an exact version, and stores nothing', async () => {
        const stream = uniqueStream();
        await expect(store().append(stream, [anEvent()], ExpectedVersion.streamExists)).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        await expect(store().append(stream, [anEvent()], ExpectedVersion.exact(0))).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        expect(await store().readStream(stream)).toEqual([]);
        expect(await store().streamVersion(stream)).toBeNull();
      });

      it('accepts "any"', async () => {
        const stream = uniqueStream();
        const result = await store().append(stream, [anEvent()], ExpectedVersion.any);
        expect(result.nextExpectedVersion).toBe(0);
      });
    });

    describe('given a stream at version 1', () => {
      const existing = async () => {
        const stream = uniqueStream();
        await store().append(stream, [anEvent(), anEvent()], ExpectedVersion.noStream);
        return stream;
      };

      it('appends with the exact version and refuses a stale one without storing anything', async () => {
        const stream = await existing();
        const ok = await store().append(stream, [anEvent('C')], ExpectedVersion.exact(1));
        expect(ok.nextExpectedVersion).toBe(2);
        const stale = store().append(stream, [anEvent('D'), anEvent('E')], ExpectedVersion.exact(1));
        await expect(stale).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION', actual: 2, streamName: stream });
        expect((await store().readStream(stream)).map((e) => e.type)).toEqual(['SomethingHappened', 'SomethingHappened', 'C']);
      });

      it('refuses "no stream", accepts "stream exists" and "any"', async () => {
        const stream = await existing();
        await expect(store().append(stream, [anEvent()], ExpectedVersion.noStream)).rejects.toBeInstanceOf(
          WrongExpectedVersionError,
        );
        expect((await store().append(stream, [anEvent()], ExpectedVersion.streamExists)).nextExpectedVersion).toBe(2);
        expect((await store().append(stream, [anEvent()], ExpectedVersion.any)).nextExpectedVersion).toBe(3);
      });

      it('reads from a version and a page size', async () => {
        const stream = await existing();
        await store().append(stream, [anEvent('C'), anEvent('D')], ExpectedVersion.exact(1));
        const page = await store().readStream(stream, { fromVersion: 1, maxCount: 2 });
        expect(page.map((e) => e.streamVersion)).toEqual([1, 2]);
      });
    });

    describe('when several writers race on one stream with the same expected version', () => {
      it('lets exactly one win; the others get a concurrency error and store nothing', async () => {
        const stream = uniqueStream();
        await store().append(stream, [anEvent()], ExpectedVersion.noStream);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store().append(stream, [anEvent('Raced', { i })], ExpectedVersion.exact(0))),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes.filter((o) => o.status === 'rejected')) {
          expect((o as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
        }
        expect(await store().readStream(stream)).toHaveLength(2);
      });
    });

    describe('when one append carries several events and one of them is invalid', () => {
      it('stores none of them', async () => {
        const stream = uniqueStream();
        const bad = { ...anEvent(), type: 'not a valid type!' };
        await expect(store().append(stream, [anEvent(), bad], ExpectedVersion.any)).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store().readStream(stream)).toEqual([]);
      });
    });

    describe('when an append is retried with the same event ids', () => {
      it('stores nothing new and answers with the original result', async () => {
        const stream = uniqueStream();
        const events = [anEvent('A'), anEvent('B')];
        const first = await store().append(stream, events, ExpectedVersion.noStream);
        await store().append(stream, [anEvent('C')], ExpectedVersion.exact(1));
        const retry = await store().append(stream, events, ExpectedVersion.noStream);
        expect(retry).toEqual(first);
        expect((await store().readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('refuses the same event id in another stream', async () => {
        const event = anEvent();
        await store().append(uniqueStream(), [event], ExpectedVersion.any);
        await expect(store().append(uniqueStream(), [event], ExpectedVersion.any)).rejects.toBeInstanceOf(EventIdConflictError);
      });

      it('stores a retry racing with the original only once', async () => {
        const stream = uniqueStream();
        const events = [anEvent('A'), anEvent('B')];
        const results = await Promise.all(Array.from({ length: 5 }, () => store().append(stream, events, ExpectedVersion.any)));
        expect(new Set(results.map((r) => r.lastPosition.toString())).size).toBe(1);
        expect(await store().readStream(stream)).toHaveLength(2);
      });

      if (harness.restartServer) {
        it('still answers with the original result after the server restarts', async () => {
          const stream = uniqueStream();
          const events = [anEvent('A')];
          const first = await store().append(stream, events, ExpectedVersion.noStream);
          await harness.restartServer!();
          expect(await store().append(stream, events, ExpectedVersion.noStream)).toEqual(first);
          expect(await store().readStream(stream)).toHaveLength(1);
        });
      }
    });

    describe('given bad input', () => {
      it.each([['school'], ['school-'], ['School-1'], ['$all'], ['-1'], ['school-1 2'], ['a'.repeat(300)]])(
        'refuses the stream name %p',
        async (name) => {
          await expect(store().append(name, [anEvent()], ExpectedVersion.any)).rejects.toBeInstanceOf(InvalidStreamNameError);
          await expect(store().readStream(name)).rejects.toBeInstanceOf(InvalidStreamNameError);
        },
      );

      it('refuses an event id that is not a UUID', async () => {
        await expect(store().append(uniqueStream(), [{ ...anEvent(), eventId: '123' }], ExpectedVersion.any)).rejects.toBeInstanceOf(
          InvalidEventError,
        );
      });

      it('refuses an event over the size limit', async () => {
        const big = anEvent('Big', { blob: 'x'.repeat(MAX_EVENT_BYTES) });
        await expect(store().append(uniqueStream(), [big], ExpectedVersion.any)).rejects.toBeInstanceOf(EventTooLargeError);
      });

      it('refuses an empty append', async () => {
        await expect(store().append(uniqueStream(), [], ExpectedVersion.any)).rejects.toBeInstanceOf(InvalidEventError);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store().readStream(uniqueStream())).toEqual([]);
      });
    });

    describeHashChainContract(store);

    describe('reading all events', () => {
      it('returns events after a position in position order, filtered by stream prefix', async () => {
        const head = await store().headPosition();
        const category = `cat${randomUUID().slice(0, 8)}`;
        const a = `${category}-a`;
        const other = uniqueStream('other');
        await store().append(a, [anEvent('A1')], ExpectedVersion.any);
        await store().append(other, [anEvent('O1')], ExpectedVersion.any);
        await store().append(a, [anEvent('A2')], ExpectedVersion.any);
        const all = await store().readAll({ after: head, maxCount: 1000 });
        const mine = all.filter((e) => e.streamName === a || e.streamName === other);
        expect(mine.map((e) => e.type)).toEqual(['A1', 'O1', 'A2']);
        const filtered = await store().readAll({ after: head, streamPrefixes: [`${category}-`] });
        expect(filtered.map((e) => e.type)).toEqual(['A1', 'A2']);
        expect(await store().headPosition()).toBeGreaterThanOrEqual(mine[2].globalPosition);
      });
    });

    describe('a catch-up subscription', () => {
      it('delivers past and new events once each, in position order', async () => {
        const head = await store().headPosition();
        const category = `sub${randomUUID().slice(0, 8)}`;
        await store().append(`${category}-1`, [anEvent('P1'), anEvent('P2')], ExpectedVersion.any);
        const received = collect(store(), 4, { after: head, streamPrefixes: [`${category}-`] });
        await store().append(`${category}-2`, [anEvent('N1')], ExpectedVersion.any);
        await store().append(`${category}-1`, [anEvent('N2')], ExpectedVersion.any);
        const events = await received;
        expect(events.map((e) => e.type)).toEqual(['P1', 'P2', 'N1', 'N2']);
      });

      it('resumes after a stored checkpoint without repeating or skipping', async () => {
        const head = await store().headPosition();
        const category = `cp${randomUUID().slice(0, 8)}`;
        for (let i = 0; i < 5; i++) await store().append(`${category}-1`, [anEvent(`E${i}`)], ExpectedVersion.any);
        const firstRun = await collect(store(), 2, { after: head, streamPrefixes: [`${category}-`], batchSize: 2 });
        const checkpoint = firstRun[1].globalPosition;
        const secondRun = await collect(store(), 3, { after: checkpoint, streamPrefixes: [`${category}-`] });
        expect([...firstRun.slice(0, 2), ...secondRun].map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
      });

      it('stops with the handler error when the handler throws', async () => {
        const stream = uniqueStream('fail');
        await store().append(stream, [anEvent()], ExpectedVersion.any);
        const subscription = store().subscribe({
          after: START,
          streamPrefixes: ['fail-'],
          handle: async () => {
            throw new Error('handler broke');
          },
        });
        await expect(subscription.done).rejects.toThrow('handler broke');
        await subscription.stop();
      });

      it('delivers every event of many concurrent writers exactly once, in position order', async () => {
        const head = await store().headPosition();
        const category = `many${randomUUID().slice(0, 8)}`;
        const writers = 16;
        const appendsPerWriter = 15;
        const total = writers * appendsPerWriter * 2;
        const received = collect(store(), total, { after: head, streamPrefixes: [`${category}-`], timeoutMs: 60000 });
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < appendsPerWriter; i++) {
              await store().append(`${category}-${w % 5}`, [anEvent('W', { w, i }), anEvent('W', { w, i })], ExpectedVersion.any);
            }
          }),
        );
        const events = await received;
        expect(events).toHaveLength(total);
        expect(new Set(events.map((e) => e.eventId)).size).toBe(total);
        for (let i = 1; i < events.length; i++) expect(events[i].globalPosition > events[i - 1].globalPosition).toBe(true);
      });
    });
  });
}
