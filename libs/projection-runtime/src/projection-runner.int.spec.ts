import type { PostgresEventStore, StoredEvent } from '@ect/event-store';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { applyBatch } from './apply-batch';
import { liveSchema } from './projection';
import {
  appendThings,
  categoryCounts,
  eventually,
  expectedApplied,
  OUTBOX_TABLE,
  prepare,
  tablesOf,
} from './projection.spec-support';
import { startProjector, type Projector } from './projector';
import { rebuildProjection } from './rebuild';

const quiet = () => undefined;

describe('the projection runner on real PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let projector: Projector | undefined;
  const projection = categoryCounts();
  const start = (projections = [projection]) =>
    (projector = startProjector({ pool: db.pool, eventStore: store, projections, batchSize: 10, lockRetryMs: 100, log: quiet }));
  const caughtUp = () => waitApplied(projection.name);
  const waitApplied = async (name: string, prefixes?: string[]) => {
    const expected = await expectedApplied(store, prefixes);
    return eventually(() => tablesOf(db.pool, name), (t) => t.applied.length === expected.length);
  };

  beforeEach(async () => {
    db = await freshDatabase();
    store = await prepare(db.pool, [projection, categoryCounts({ name: 'other-counts' })]);
  });
  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await db.drop();
  });

  describe('given events in the log when the projector runs', () => {
    it('applies every event once, in order, and stores the checkpoint at the last position', async () => {
      const head = await appendThings(store, 25);
      start();
      const tables = await caughtUp();
      expect(tables.applied).toEqual(await expectedApplied(store));
      expect(tables.checkpoint).toBe(head.toString());
      expect(tables.counts).toEqual([
        { category: 'alpha', events: 13 },
        { category: 'beta', events: 12 },
      ]);
    });
  });

  describe('given a batch that was already applied', () => {
    it('changes nothing when the same events are applied again', async () => {
      await appendThings(store, 12);
      const events = await store.readAll();
      const client = await db.pool.connect();
      try {
        const target = { projection, schema: liveSchema(projection.name), mode: 'live' as const };
        expect((await applyBatch(client, target, events)).applied).toBe(12);
        const before = await tablesOf(db.pool, projection.name);
        const again = await applyBatch(client, target, events.slice(4));
        expect(again.applied).toBe(0);
        expect(await tablesOf(db.pool, projection.name)).toEqual(before);
      } finally {
        client.release();
      }
    });
  });

  describe('when the batch transaction dies mid-batch (its process was killed)', () => {
    it('leaves no part of that batch, and after a restart the tables equal a fresh rebuild', async () => {
      await appendThings(store, 30);
      const fifteenth = (await store.readAll())[14];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let backendPid: number | null = null;
      const dying = categoryCounts({
        beforeApply: async (event, ctx) => {
          if (event.eventId !== fifteenth.eventId || backendPid !== null) return;
          backendPid = (await ctx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
          await gate;
        },
      });
      start([dying]);
      await eventually(async () => backendPid, (pid) => pid !== null);
      await db.pool.query('select pg_terminate_backend($1)', [backendPid]);
      release();
      await projector!.stop();

      const afterKill = await tablesOf(db.pool, projection.name);
      expect(afterKill.applied).toEqual((await expectedApplied(store)).slice(0, 10));
      expect(afterKill.checkpoint).toBe((await store.readAll())[9].globalPosition.toString());

      start();
      const restarted = await waitApplied(projection.name);
      await rebuildProjection({ pool: db.pool, eventStore: store, projection, batchSize: 7 });
      expect(await tablesOf(db.pool, projection.name)).toEqual(restarted);
      const outbox = await db.pool.query(`select count(*)::int as n from ${OUTBOX_TABLE} where projection = $1`, [projection.name]);
      expect(outbox.rows[0].n).toBe(30);
    });
  });

  describe('when a handler throws on one event', () => {
    let failing: StoredEvent;
    beforeEach(async () => {
      await appendThings(store, 20);
      failing = (await store.readAll())[13];
      start([categoryCounts({ failOn: (e) => e.eventId === failing.eventId }), categoryCounts({ name: 'other-counts' })]);
      await eventually(async () => projector!.health(), (h) => h.status === 'failed');
    });

    it('stops only that projection, before the event, and shows the event and error on health', async () => {
      const health = projector!.health();
      expect(health.projections.find((p) => p.name === projection.name)).toMatchObject({
        state: 'failed',
        failure: {
          eventId: failing.eventId,
          eventType: failing.type,
          position: failing.globalPosition.toString(),
          error: expect.stringContaining('test handler bug'),
        },
      });
      await waitApplied('other-counts');
      expect(projector!.health().projections.find((p) => p.name === 'other-counts')?.state).toBe('running');
      await appendThings(store, 3);
      await waitApplied('other-counts');
      const stopped = await tablesOf(db.pool, projection.name);
      expect(BigInt(stopped.checkpoint)).toBeLessThan(failing.globalPosition);
      expect(stopped.applied.map((a) => a.event_id)).not.toContain(failing.eventId);
    });

    it('resumes from its checkpoint after a restart with the handler fixed, and applies the failing event', async () => {
      await projector!.stop();
      start([projection, categoryCounts({ name: 'other-counts' })]);
      const tables = await waitApplied(projection.name);
      expect(tables.applied).toEqual(await expectedApplied(store));
      expect(projector!.health().status).toBe('ok');
    });
  });
});
