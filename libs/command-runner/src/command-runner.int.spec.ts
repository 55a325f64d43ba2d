import { randomUUID } from 'node:crypto';
import { migrate } from '@ect/platform';
import { eventStoreMigrations, PostgresEventStore, type EventStore, ExpectedVersion } from '@ect/event-store';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { CommandRunner, type CommandContext } from './command-runner';
import { DomainError, type Decider, type DomainEvent, type EventCodec } from './decider';

// A small seat-booking decider: enough rules to show read, fold, decide, append, retry.
type Booked = DomainEvent<'SeatBooked', { seat: number; by: string }>;
type Book = { type: 'BookSeat'; data: { by: string }; metadata: { now: string } };
const CAPACITY = 3;
const seats: Decider<Book, Booked, { taken: number }> = {
  initialState: () => ({ taken: 0 }),
  evolve: (state) => ({ taken: state.taken + 1 }),
  decide: (command, state) => {
    if (state.taken >= CAPACITY) throw new DomainError('FULL', 'conflict', 'No seats left');
    return [{ type: 'SeatBooked', data: { seat: state.taken + 1, by: command.data.by } }];
  },
};
const codec: EventCodec<Booked> = {
  schemaVersion: () => 1,
  decode: (stored) => {
    if (stored.type !== 'SeatBooked') throw new Error(`unknown ${stored.type}`);
    return { type: 'SeatBooked', data: stored.data as Booked['data'] };
  },
};
const book = (by: string): Book => ({ type: 'BookSeat', data: { by }, metadata: { now: '2026-11-25T10:00:00Z' } });
const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  correlationId: randomUUID(),
  causationId: null,
  actingUserId: 'f0a3c2d1-0000-4000-8000-000000000001',
  actingService: 'runner-spec',
  ...overrides,
});

let db: TestDatabase;
let store: EventStore;
let runner: CommandRunner;
beforeAll(async () => {
  db = await freshDatabase();
  await migrate(db.pool, eventStoreMigrations);
  store = new PostgresEventStore(db.pool);
  runner = new CommandRunner(store, { newId: randomUUID });
});
afterAll(() => db.drop());

const stream = () => `show-${randomUUID().slice(0, 8)}`;

describe('given an empty stream', () => {
  it('decides on the initial state, appends with "no stream" and stamps the metadata', async () => {
    const name = stream();
    const ctx = context();
    const result = await runner.execute({ streamName: name, decider: seats, codec, command: book('ada'), context: ctx });
    expect(result.streamVersion).toBe(0);
    expect(result.state).toEqual({ taken: 1 });
    const [stored] = await store.readStream(name);
    expect(stored.data).toEqual({ seat: 1, by: 'ada' });
    expect(stored.metadata).toEqual({ correlationId: ctx.correlationId, causationId: null, actingUserId: ctx.actingUserId, actingService: 'runner-spec' });
    expect(stored.eventId).toBe(result.eventIds[0]);
  });
});

describe('when commands race on one stream', () => {
  it('decides again on the fresh state after a conflict, so no decision is based on a stale state', async () => {
    const name = stream();
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'd', 'e'].map((by) => runner.execute({ streamName: name, decider: seats, codec, command: book(by), context: context() })),
    );
    const booked = (await store.readStream(name)).map((e) => (e.data as Booked['data']).seat);
    expect(booked).toEqual([1, 2, 3]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    for (const o of outcomes.filter((o) => o.status === 'rejected')) expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'FULL' });
  });

  it('gives up with CONCURRENT_MODIFICATION after the bounded number of retries', async () => {
    const name = stream();
    // A rival appends to the stream just before each of the runner's appends, so every attempt loses the race.
    const contested: EventStore = Object.assign(Object.create(store), {
      append: async (...args: Parameters<EventStore['append']>) => {
        await store.append(name, [{ eventId: randomUUID(), type: 'SeatBooked', schemaVersion: 1, data: { seat: 0, by: 'rival' }, metadata: { ...context() } }], ExpectedVersion.any);
        return store.append(...args);
      },
    });
    const impatient = new CommandRunner(contested, { newId: randomUUID, maxRetries: 2 });
    const big = { ...seats, decide: (command: Book) => [{ type: 'SeatBooked' as const, data: { seat: 99, by: command.data.by } }] };
    await expect(impatient.execute({ streamName: name, decider: big, codec, command: book('late'), context: context() })).rejects.toMatchObject({
      code: 'CONCURRENT_MODIFICATION',
      kind: 'conflict',
    });
    const stored = await store.readStream(name);
    expect(stored.map((e) => (e.data as Booked['data']).by)).toEqual(['rival', 'rival', 'rival']);
  });
});

describe('when the caller names the version it saw (If-Match)', () => {
  it('fails with STREAM_VERSION_MISMATCH instead of deciding again', async () => {
    const name = stream();
    await runner.execute({ streamName: name, decider: seats, codec, command: book('a'), context: context() });
    await expect(
      runner.execute({ streamName: name, decider: seats, codec, command: book('b'), context: context({ expectedVersion: 5 }) }),
    ).rejects.toMatchObject({ code: 'STREAM_VERSION_MISMATCH', kind: 'precondition-failed' });
    const ok = await runner.execute({ streamName: name, decider: seats, codec, command: book('b'), context: context({ expectedVersion: 0 }) });
    expect(ok.streamVersion).toBe(1);
  });
});

describe('when the decision changes nothing', () => {
  it('appends nothing and reports the current version and position', async () => {
    const name = stream();
    const first = await runner.execute({ streamName: name, decider: seats, codec, command: book('a'), context: context() });
    const idle: typeof seats = { ...seats, decide: () => [] };
    const result = await runner.execute({ streamName: name, decider: idle, codec, command: book('b'), context: context() });
    expect(result).toMatchObject({ eventIds: [], streamVersion: 0, position: first.position });
  });
});
