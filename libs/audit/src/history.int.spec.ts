import { randomUUID } from 'node:crypto';
import { ExpectedVersion, PostgresEventStore, eventStoreMigrations, type NewEvent } from '@ect/event-store';
import { migrate } from '@ect/platform';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { historyFilter, streamHistory } from './history';

// History of a stream on a real PostgreSQL event store.
let db: TestDatabase;
let store: PostgresEventStore;
const stream = `school-${100000 + Math.floor(Math.random() * 800000)}`;
const correlationId = randomUUID();
const userId = randomUUID();

const event = (type: string, n: number, causationId: string | null): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data: { n },
  metadata: { correlationId, causationId, actingUserId: n % 2 ? userId : null, actingService: `service-${n}` },
});
const pause = () => new Promise((r) => setTimeout(r, 15));

beforeAll(async () => {
  db = await freshDatabase();
  await migrate(db.pool, eventStoreMigrations);
  store = new PostgresEventStore(db.pool);
  // Four events recorded at four different times: A, B, A, C.
  let causation: string | null = null;
  for (const [i, type] of ['A', 'B', 'A', 'C'].entries()) {
    const e = event(type, i, causation);
    await store.append(stream, [e], ExpectedVersion.any);
    causation = e.eventId;
    await pause();
  }
});
afterAll(() => db.drop());

describe('given a stream with four events', () => {
  it('lists every event in version order with its metadata, position, recorded time and chain fields', async () => {
    const events = await streamHistory(store, stream);
    expect(events.map((e) => [e.version, e.type, e.metadata.actingService])).toEqual([
      [0, 'A', 'service-0'],
      [1, 'B', 'service-1'],
      [2, 'A', 'service-2'],
      [3, 'C', 'service-3'],
    ]);
    expect(events[1]).toMatchObject({
      stream,
      position: expect.stringMatching(/^\d+$/),
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      metadata: { correlationId, causationId: events[0].eventId, actingUserId: userId, actingService: 'service-1' },
      data: { n: 1 },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: events[0].hash,
    });
  });

  describe('when filtered by recorded time', () => {
    it('keeps the events recorded from `from` to `to`, both inclusive', async () => {
      const all = await streamHistory(store, stream);
      const filter = historyFilter({ from: all[1].recordedAt, to: all[2].recordedAt });
      expect((await streamHistory(store, stream, filter)).map((e) => e.version)).toEqual([1, 2]);
      expect((await streamHistory(store, stream, historyFilter({ from: all[3].recordedAt }))).map((e) => e.version)).toEqual([3]);
      expect((await streamHistory(store, stream, historyFilter({ to: all[0].recordedAt }))).map((e) => e.version)).toEqual([0]);
    });

    it('gives an empty list when nothing was recorded in the range', async () => {
      expect(await streamHistory(store, stream, historyFilter({ from: '2000-01-01', to: '2000-12-31T23:59:59Z' }))).toEqual([]);
    });
  });

  describe('when filtered by type', () => {
    it('keeps the events of the given types (repeated or comma-separated)', async () => {
      expect((await streamHistory(store, stream, historyFilter({ type: ['A'] }))).map((e) => e.version)).toEqual([0, 2]);
      expect((await streamHistory(store, stream, historyFilter({ type: 'B,C' }))).map((e) => e.version)).toEqual([1, 3]);
      expect((await streamHistory(store, stream, historyFilter({ type: ['B', 'C'] }))).map((e) => e.version)).toEqual([1, 3]);
    });

    it('combines with the time range', async () => {
      const all = await streamHistory(store, stream);
      expect((await streamHistory(store, stream, historyFilter({ type: 'A', from: all[1].recordedAt }))).map((e) => e.version)).toEqual([2]);
    });
  });
});

describe('given bad input', () => {
  it('refuses a date that is not one, and a range that ends before it starts, naming the field', () => {
    expect(() => historyFilter({ from: 'yesterday' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', fields: [expect.objectContaining({ field: 'from' })] }));
    expect(() => historyFilter({ from: '2026-02-01', to: '2026-01-01' })).toThrow(/from must not be after to/);
  });

  it('refuses what is not a stream name, and says STREAM_NOT_FOUND for a stream without events', async () => {
    await expect(streamHistory(store, 'not a stream')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(streamHistory(store, 'school-999999')).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND', kind: 'not-found' });
  });
});
