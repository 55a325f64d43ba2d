import type { PostgresEventStore } from '@ect/event-store';
import { freshDatabase, type TestDatabase } from '../../../test/support/database';
import { appendThings, categoryCounts, eventually, prepare, tablesOf } from './projection.spec-support';
import { startProjector, type Projector } from './projector';
import { serveProjectorHttp, type ProjectorHttp } from './projector-http';

describe("the projector's HTTP server", () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let projector: Projector;
  let http: ProjectorHttp;
  const ok = categoryCounts();
  const broken = categoryCounts({ name: 'broken-counts', failOn: (e) => e.streamName.startsWith('beta-') });
  const get = (path: string) => fetch(`http://127.0.0.1:${http.port}${path}`);

  beforeEach(async () => {
    db = await freshDatabase();
    store = await prepare(db.pool, [ok, broken]);
    await appendThings(store, 10);
    projector = startProjector({ pool: db.pool, eventStore: store, projections: [ok, broken], lockRetryMs: 100, log: () => undefined });
    http = await serveProjectorHttp(projector, { port: 0, host: '127.0.0.1' });
    await eventually(() => tablesOf(db.pool, ok.name), (t) => t.applied.length === 10);
    await eventually(async () => projector.health().status, (s) => s === 'failed');
  });
  afterEach(async () => {
    await http.close();
    await projector.stop();
    await db.drop();
  });

  describe('given one projection caught up and one stopped on a handler error', () => {
    it('serves the gauges and counters per projection in Prometheus text format', async () => {
      const response = await get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain('# TYPE ect_projection_checkpoint_position gauge');
      expect(text).toContain('ect_projection_checkpoint_position{projection="category-counts"} 9');
      expect(text).toContain('ect_projection_lag_events{projection="category-counts"} 0');
      expect(text).toContain('ect_projection_lag_seconds{projection="category-counts"} 0');
      expect(text).toMatch(/ect_projection_lag_events\{projection="broken-counts"\} (9|10)\n/);
      expect(text).toMatch(/ect_projection_lag_seconds\{projection="broken-counts"\} \d+(\.\d+)?\n/);
      expect(text).toContain('ect_projection_events_applied_total{projection="category-counts"} 10');
      expect(text).toContain('ect_projection_failures_total{projection="broken-counts"} 1');
      expect(text).toContain('ect_projection_state{projection="broken-counts",state="failed"} 1');
      expect(text).toContain('ect_event_store_head_position 9');
      expect(text).not.toMatch(/alpha-|beta-/);
    });

    it('shows each projection state on /health, with the failing event', async () => {
      const response = await get('/health');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { status: string; projections: unknown[] };
      expect(body.status).toBe('failed');
      expect(body.projections).toEqual([
        { name: 'category-counts', state: 'running', checkpoint: '9', failure: null },
        {
          name: 'broken-counts',
          state: 'failed',
          checkpoint: expect.any(String),
          failure: { eventId: expect.any(String), eventType: 'ThingHappened', position: '1', error: expect.stringContaining('test handler bug'), at: expect.any(String) },
        },
      ]);
    });

    it('answers 404 elsewhere', async () => {
      expect((await get('/nothing')).status).toBe(404);
    });
  });
});
