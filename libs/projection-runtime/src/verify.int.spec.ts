import { randomUUID } from 'node:crypto';
import type { PostgresEventStore } from '@ect/event-store';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { appendThings, categoryCounts, eventually, expectedApplied, OUTBOX_TABLE, prepare, tablesOf } from './projection.spec-support';
import { rebuildLockKey, SessionLock } from './projection-lock';
import { startProjector, type Projector } from './projector';
import type { Projection } from './projection';
import { ProjectionNotDeployedError, VerifyAbortedError, verifyProjection, VerifyBusyError, type VerifyOptions, type VerifyProgress } from './verify';

const quiet = () => undefined;

describe('verifying a read model against a rebuild from the events, on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let projector: Projector | undefined;
  const projection = categoryCounts();
  const verify = (options: Partial<VerifyOptions> = {}) =>
    verifyProjection({ pool: db.pool, eventStore: store, projection, batchSize: 25, ...options });
  const caughtUp = async () => {
    const expected = await expectedApplied(store);
    return eventually(() => tablesOf(db.pool, projection.name), (t) => t.applied.length === expected.length);
  };
  const schemas = async () =>
    (await db.pool.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like 'proj_%' order by 1`)).rows.map((r) => r.nspname);
  const outbox = async () =>
    (await db.pool.query<{ event_id: string }>(`select event_id from ${OUTBOX_TABLE} where projection = $1 order by 1`, [projection.name])).rows.map((r) => r.event_id);

  beforeEach(async () => {
    db = await freshDatabase(undefined, 20);
    store = await prepare(db.pool, [projection]);
    projector = startProjector({ pool: db.pool, eventStore: store, projections: [projection], batchSize: 20, lockRetryMs: 100, log: quiet });
  });
  afterEach(async () => {
    await projector?.stop();
    await db.drop();
  });

  describe('given the live tables match the events', () => {
    it('reports every table ok at the live checkpoint, writes nothing live, and drops its scratch schema', async () => {
      await appendThings(store, 120);
      const live = await caughtUp();
      const sentBefore = await outbox();

      const result = await verify();

      expect(result).toMatchObject({ projection: projection.name, ok: true, position: BigInt(live.checkpoint), events: 120 });
      expect(result.tables.map((t) => [t.table, t.ok, t.onlyInLive, t.onlyInCopy])).toEqual([
        ['applied', true, 0, 0],
        ['counts', true, 0, 0],
      ]);
      expect(await outbox()).toEqual(sentBefore);
      expect(await schemas()).toEqual(['proj_category_counts']);
      expect(await tablesOf(db.pool, projection.name)).toEqual(live);
    });
  });

  describe('given rows changed, deleted and inserted directly in the live tables', () => {
    it('reports each in its table, by primary key only unless whole rows are asked for', async () => {
      await appendThings(store, 60);
      await caughtUp();
      const [deleted] = (await db.pool.query(`delete from proj_category_counts.applied where position = (select min(position) from proj_category_counts.applied) returning event_id`)).rows;
      const inserted = randomUUID();
      await db.pool.query(`insert into proj_category_counts.applied values ($1, 999999)`, [inserted]);
      await db.pool.query(`update proj_category_counts.counts set events = events + 5 where category = 'alpha'`);

      const result = await verify();

      expect(result.ok).toBe(false);
      const byTable = Object.fromEntries(result.tables.map((t) => [t.table, t]));
      expect(byTable.counts).toMatchObject({
        ok: false, onlyInLive: 1, onlyInCopy: 1, sampleColumns: ['category'],
        samplesOnlyInLive: [{ category: 'alpha' }], samplesOnlyInCopy: [{ category: 'alpha' }],
      });
      expect(byTable.applied).toMatchObject({
        ok: false, onlyInLive: 1, onlyInCopy: 1, sampleColumns: ['event_id'],
        samplesOnlyInLive: [{ event_id: inserted }], samplesOnlyInCopy: [{ event_id: deleted.event_id }],
      });

      const full = await verify({ fullRows: true });
      const counts = full.tables.find((t) => t.table === 'counts')!;
      expect(counts.sampleColumns).toEqual(['category', 'events']);
      expect(Number(counts.samplesOnlyInLive[0].events)).toBe(Number(counts.samplesOnlyInCopy[0].events) + 5);
      expect(await schemas()).toEqual(['proj_category_counts']);
    });
  });

  describe('given a live projector applying events that writers keep appending', () => {
    it('compares both at one position, so it is still ok, and the projector goes on afterwards', async () => {
      await appendThings(store, 200);
      await caughtUp();
      const sentBefore = (await outbox()).length;
      let writing = true;
      const writers = [0, 1, 2].map(async (w) => {
        let appended = 0;
        while (writing || appended < 20) {
          await appendThings(store, 1, [`w${w}a`, `w${w}b`]);
          appended++;
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
      });
      // Several times: the live tables move between and during the comparisons' statements unless held still.
      const results = [];
      let progress: VerifyProgress[] = [];
      for (let i = 0; i < 3; i++) {
        progress = [];
        results.push(await verify({ onProgress: (p) => progress.push(p) }));
      }
      writing = false;
      await Promise.all(writers);

      expect(results.flatMap((r) => r.tables.filter((t) => !t.ok))).toEqual([]);
      expect(results.map((r) => r.ok)).toEqual([true, true, true]);
      const result = results[2];
      expect(result.position).toBeGreaterThan(results[0].position);
      expect(progress.some((p) => p.phase === 'building')).toBe(true);
      expect(progress[progress.length - 1]).toMatchObject({ phase: 'done', copyPosition: result.position, livePosition: result.position });
      const tables = await caughtUp();
      expect(BigInt(tables.checkpoint)).toBeGreaterThan(result.position);
      // Only the live projector wrote to the outbox: one row per event it applied, none from the copy.
      expect((await outbox()).length).toBe(tables.applied.length);
      expect(tables.applied.length).toBeGreaterThan(sentBefore);
      expect(await schemas()).toEqual(['proj_category_counts']);
    });
  });

  describe('when rebuilding the copy fails', () => {
    it('drops the scratch schema and rethrows', async () => {
      await appendThings(store, 30);
      await caughtUp();
      const failing: Projection = categoryCounts({
        beforeApply: async (_event, ctx) => {
          if (ctx.mode === 'rebuild') throw new Error('handler bug on replay');
        },
      });
      await expect(verify({ projection: failing })).rejects.toThrow(/handler bug on replay/);
      expect(await schemas()).toEqual(['proj_category_counts']);
    });
  });

  describe('when interrupted while building the copy', () => {
    it('stops with VerifyAbortedError and drops the scratch schema', async () => {
      await appendThings(store, 100);
      await caughtUp();
      const abort = new AbortController();
      await expect(verify({ signal: abort.signal, onProgress: () => abort.abort() })).rejects.toBeInstanceOf(VerifyAbortedError);
      expect(await schemas()).toEqual(['proj_category_counts']);
    });
  });

  describe('when a rebuild (or another verification) of the projection holds its lock', () => {
    it('refuses to start', async () => {
      const held = new SessionLock(db.pool.options, rebuildLockKey(projection.name));
      expect(await held.tryAcquire()).toBe(true);
      try {
        await expect(verify()).rejects.toBeInstanceOf(VerifyBusyError);
      } finally {
        await held.release();
      }
    });
  });

  describe('given a projection whose tables were never created in this database', () => {
    it('says it is not run here', async () => {
      await expect(verify({ projection: categoryCounts({ name: 'never-deployed' }) })).rejects.toBeInstanceOf(ProjectionNotDeployedError);
      expect(await schemas()).toEqual(['proj_category_counts']);
    });
  });
});
