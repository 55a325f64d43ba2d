import { toProblem } from '@ect/nest-kit';
import type { PostgresEventStore } from '@ect/event-store';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { appendThings, categoryCounts, prepare } from './projection.spec-support';
import { startProjector, type Projector } from './projector';
import { createPositionWaiter, ReadModelBehindError, type PositionWaiter } from './wait-for-position';

const quiet = () => undefined;

describe('waiting for read models to reach a position (read your writes)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let projector: Projector | undefined;
  let waiter: PositionWaiter;
  const counts = categoryCounts();
  const alphaOnly = categoryCounts({ name: 'alpha-counts', streamPrefixes: ['alpha-'] });
  const run = () =>
    (projector = startProjector({ pool: db.pool, eventStore: store, projections: [counts, alphaOnly], lockRetryMs: 100, log: quiet }));

  beforeEach(async () => {
    db = await freshDatabase();
    store = await prepare(db.pool, [counts, alphaOnly]);
    waiter = createPositionWaiter(db.pool, { pollIntervalMs: 10 });
  });
  afterEach(async () => {
    waiter.close();
    await projector?.stop();
    projector = undefined;
    await db.drop();
  });

  describe('given the projector is running', () => {
    it('resolves once the projections have applied the position a write returned', async () => {
      run();
      const position = await appendThings(store, 15);
      await waiter.waitForPosition(['category-counts', 'alpha-counts'], position, 20_000);
      const { rows } = await db.pool.query(`select count(*)::int as n from proj_category_counts.applied`);
      expect(rows[0].n).toBe(15);
    });

    it('resolves for a projection of other streams once it has scanned past the position', async () => {
      run();
      await appendThings(store, 5, ['alpha']);
      const betaPosition = await appendThings(store, 3, ['beta']);
      await waiter.waitForPosition(['alpha-counts'], betaPosition, 20_000);
      const { rows } = await db.pool.query(`select count(*)::int as n from proj_alpha_counts.applied`);
      expect(rows[0].n).toBe(5);
    });

    it('serves many waits at once', async () => {
      run();
      const positions = await Promise.all([1, 2, 3, 4, 5].map(() => appendThings(store, 2)));
      await Promise.all(positions.map((p) => waiter.waitForPosition(['category-counts'], p, 20_000)));
    });
  });

  describe('given no projector is running', () => {
    it('fails after the timeout with READ_MODEL_BEHIND, a conflict (HTTP 409)', async () => {
      const position = await appendThings(store, 2);
      const error = await waiter.waitForPosition(['category-counts'], position, 100).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadModelBehindError);
      expect(error).toMatchObject({ code: 'READ_MODEL_BEHIND', kind: 'conflict', position, reached: { 'category-counts': '-1' } });
      expect(toProblem(error).problem).toMatchObject({ status: 409, code: 'READ_MODEL_BEHIND', detail: expect.stringContaining('retry') });
    });

    it('looks once when the timeout is 0', async () => {
      await expect(waiter.waitForPosition(['category-counts'], 0n, 0)).rejects.toBeInstanceOf(ReadModelBehindError);
      await expect(waiter.waitForPosition(['category-counts'], -1n, 0)).resolves.toBeUndefined();
    });
  });

  describe('given a projection that does not exist', () => {
    it('fails at once rather than waiting', async () => {
      await expect(waiter.waitForPosition(['no-such-model'], 0n, 10_000)).rejects.toThrow(/has no tables/);
      await expect(waiter.waitForPosition(['Bad Name'], 0n, 10)).rejects.toThrow(/not a projection name/);
    });
  });
});
