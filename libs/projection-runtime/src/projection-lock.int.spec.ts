import type { PostgresEventStore } from '@ect/event-store';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { holderLockKey } from './projection-lock';
import { appendThings, categoryCounts, eventually, expectedApplied, OUTBOX_TABLE, prepare, tablesOf } from './projection.spec-support';
import { startProjector, type Projector } from './projector';


describe('two projectors on one database', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let first: Projector;
  let second: Projector;
  const projection = categoryCounts();
  let logs: string[] = [];
  const start = () =>
    startProjector({ pool: db.pool, eventStore: store, projections: [projection], batchSize: 10, lockRetryMs: 100, log: (l) => logs.push(l) });
  const stateOf = (p: Projector) => p.statuses()[0].state;
  const allApplied = async () => {
    const expected = await expectedApplied(store);
    return eventually(() => tablesOf(db.pool, projection.name), (t) => t.applied.length === expected.length);
  };
  const outboxCount = async () =>
    (await db.pool.query(`select count(*)::int as n from ${OUTBOX_TABLE}`)).rows[0].n as number;

  beforeEach(async () => {
    logs = [];
    db = await freshDatabase();
    store = await prepare(db.pool, [projection]);
    first = start();
    await eventually(async () => stateOf(first), (s) => s === 'running');
    second = start();
  });
  afterEach(async () => {
    await Promise.all([first.stop(), second.stop()]);
    await db.drop();
  });

  it('runs each projection in one of them while the other stands by', async () => {
    await eventually(async () => stateOf(second), (s) => s === 'standby');
    await appendThings(store, 20);
    await allApplied();
    expect(first.statuses()[0].eventsApplied).toBe(20);
    expect(second.statuses()[0].eventsApplied).toBe(0);
    expect(second.health().projections[0]).toMatchObject({ name: projection.name, state: 'standby', failure: null });
  });

  describe('when the holder stops', () => {
    it('the other takes over and continues from the checkpoint', async () => {
      await appendThings(store, 15);
      await allApplied();
      await first.stop();
      await eventually(async () => stateOf(second), (s) => s === 'running');
      await appendThings(store, 15);
      const tables = await allApplied();
      expect(tables.applied).toEqual(await expectedApplied(store));
      expect(await outboxCount()).toBe(30);
    });
  });

  describe("when the holder's lock connection drops", () => {
    it('the holder stops applying and one of them holds the lock again, with no event applied twice', async () => {
      await appendThings(store, 10);
      await allApplied();
      const [classId, objId] = holderLockKey(projection.name);
      await db.pool.query(
        `select pg_terminate_backend(pid) from pg_locks
         where locktype = 'advisory' and classid = $1::int::oid and objid = $2::int::oid and objsubid = 2 and granted`,
        [classId, objId],
      );
      await eventually(async () => logs.some((l) => l.includes('lost its lock connection')), (lost) => lost);
      await eventually(async () => [stateOf(first), stateOf(second)], (s) => s.includes('running') && s.includes('standby'));
      await appendThings(store, 10);
      expect((await allApplied()).applied).toEqual(await expectedApplied(store));
      expect(await outboxCount()).toBe(20);
    });
  });
});
