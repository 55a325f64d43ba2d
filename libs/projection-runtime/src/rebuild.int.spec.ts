import type { PostgresEventStore } from '@ect/event-store';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import {
  appendThings,
  categoryCounts,
  eventually,
  expectedApplied,
  OUTBOX_TABLE,
  prepare,
  tablesOf,
} from './projection.spec-support';
import { rebuildLockKey, SessionLock } from './projection-lock';
import { startProjector, type Projector } from './projector';
import { rebuildProjection, RebuildInProgressError, type RebuildProgress } from './rebuild';

const quiet = () => undefined;

describe('rebuilding a projection on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let projector: Projector | undefined;
  const projection = categoryCounts();
  const rebuild = (onProgress?: (p: RebuildProgress) => void) =>
    rebuildProjection({ pool: db.pool, eventStore: store, projection, batchSize: 25, onProgress });
  const caughtUp = async () => {
    const expected = await expectedApplied(store);
    return eventually(() => tablesOf(db.pool, projection.name), (t) => t.applied.length === expected.length);
  };
  const schemas = async () =>
    (await db.pool.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like 'proj_%' order by 1`)).rows.map((r) => r.nspname);

  beforeEach(async () => {
    db = await freshDatabase(undefined, 20);
    store = await prepare(db.pool, [projection]);
    projector = startProjector({ pool: db.pool, eventStore: store, projections: [projection], batchSize: 20, lockRetryMs: 100, log: quiet });
  });
  afterEach(async () => {
    await projector?.stop();
    await db.drop();
  });

  describe('given a live projector and writers appending all the time', () => {
    it('swaps the copy in with no missed event and every live side effect exactly once', async () => {
      await appendThings(store, 400);
      await caughtUp();
      let writing = true;
      const writers = [0, 1, 2].map(async (w) => {
        let appended = 0;
        while (writing || appended < 20) {
          await appendThings(store, 1, [`w${w}a`, `w${w}b`]);
          appended++;
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
      });
      const progress: RebuildProgress[] = [];
      const result = await rebuild((p) => progress.push(p));
      writing = false;
      await Promise.all(writers);

      expect(result.projectorRunning).toBe(true);
      expect(progress.some((p) => p.phase === 'building')).toBe(true);
      expect(progress[progress.length - 1].phase).toBe('done');
      const tables = await caughtUp();
      expect(tables.applied).toEqual(await expectedApplied(store));
      const outbox = await db.pool.query<{ event_id: string }>(`select event_id from ${OUTBOX_TABLE} where projection = $1`, [projection.name]);
      expect(outbox.rows.map((r) => r.event_id).sort()).toEqual(tables.applied.map((a) => a.event_id).sort());
      expect(await schemas()).toEqual(['proj_category_counts']);
    });
  });

  describe('given the projection is caught up', () => {
    it('gives identical tables when rebuilt twice, equal to the live ones', async () => {
      await appendThings(store, 120);
      const live = await caughtUp();
      await rebuild();
      const first = await tablesOf(db.pool, projection.name);
      await rebuild();
      expect(await tablesOf(db.pool, projection.name)).toEqual(first);
      expect(first).toEqual(live);
    });
  });

  describe('given no projector is running', () => {
    it('builds the copy up to the live checkpoint, so the projector later applies the rest live', async () => {
      await appendThings(store, 30);
      const before = await caughtUp();
      await projector!.stop();
      projector = undefined;
      await appendThings(store, 10);
      const result = await rebuild();
      expect(result.projectorRunning).toBe(false);
      expect(result.position.toString()).toBe(before.checkpoint);
      expect(await tablesOf(db.pool, projection.name)).toEqual(before);
    });
  });

  describe('when a rebuild of the same projection is already running', () => {
    it('refuses the second one', async () => {
      const held = new SessionLock(db.pool.options, rebuildLockKey(projection.name));
      expect(await held.tryAcquire()).toBe(true);
      try {
        await expect(rebuild()).rejects.toBeInstanceOf(RebuildInProgressError);
      } finally {
        await held.release();
      }
    });
  });
});
