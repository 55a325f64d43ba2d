import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { ExpectedVersion, PostgresEventStore } from '@ect/event-store';
import { embeddedPostgresUrl, freePort } from '@ect/platform';
import { freshDatabase, type TestDatabase } from '../support/database';
import { ROOT, startNode, type RunningProcess } from '../support/processes';
import { projections } from '../../apps/projector/src/projections';

// Runs the built projector and rebuild CLI (`npm run build` output; `npm test` builds first) as real processes.
const PROJECTOR = 'dist/apps/projector/src/main.js';
const REBUILD = 'dist/apps/projector/src/cli/rebuild.js';

interface Health {
  status: string;
  projections: { name: string; state: string; checkpoint: string | null }[];
}

async function startProjector(env: Record<string, string | undefined>): Promise<{ process: RunningProcess; port: number }> {
  const port = await freePort();
  const projector = startNode(PROJECTOR, { HOST: '127.0.0.1', PROJECTOR_PORT: String(port), ...env });
  await projector.waitFor(/projector listening on/, 90_000);
  return { process: projector, port };
}

async function health(port: number): Promise<Health | null> {
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Health;
  } catch {
    return null;
  }
}

async function until<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function appendEvents(pool: Pool, count: number): Promise<bigint> {
  const store = new PostgresEventStore(pool);
  let last = -1n;
  await Promise.all(
    [0, 1, 2, 3].map(async (worker) => {
      for (let i = worker; i < count; i += 4) {
        // A category no read model subscribes to: only event-counts (all streams) sees these.
        const event = { eventId: randomUUID(), type: i % 3 ? 'ProbeRecorded' : 'ProbeNoted', schemaVersion: 1, data: {},
          metadata: { correlationId: randomUUID(), causationId: null, actingUserId: null, actingService: 'e2e' } };
        const { lastPosition } = await store.append(`e2eprobe-${i % 40}`, [event], ExpectedVersion.any);
        if (lastPosition > last) last = lastPosition;
      }
    }),
  );
  return last;
}

const countsOf = async (pool: Pool) =>
  (await pool.query(`select day::text, category, event_type, events::int from proj_event_counts.event_counts order by 1, 2, 3`)).rows;
const totalCounted = async (pool: Pool) =>
  Number((await pool.query(`select coalesce(sum(events), 0)::int as n from proj_event_counts.event_counts`)).rows[0].n);

describe('given two projector processes on one database', () => {
  let db: TestDatabase;
  const running: RunningProcess[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
    // drop() ends the pool, then force-drops the database: connections still closing get a termination notice.
    db.pool.on('error', () => undefined);
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await db.drop();
  });

  it('when the holder is killed with kill -9, the other takes over within seconds and every event is counted once', async () => {
    const a = await startProjector({ DATABASE_URL: db.url, DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-proj-a-')) });
    running.push(a.process);
    await until(() => health(a.port), (h) => h?.projections[0].state === 'running', 'A runs event-counts');
    const b = await startProjector({ DATABASE_URL: db.url, DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-proj-b-')) });
    running.push(b.process);
    await until(() => health(b.port), (h) => h?.projections[0].state === 'standby', 'B stands by');

    // Kill A while it is applying batches, so a batch is likely cut off mid-way.
    const firstHead = await appendEvents(db.pool, 3000);
    await until(() => health(a.port), (h) => BigInt(h?.projections[0].checkpoint ?? '-1') >= 0n, 'A starts applying');
    a.process.child.kill('SIGKILL');
    await a.process.exited;

    await until(() => health(b.port), (h) => h?.projections[0].state === 'running', 'B takes over', 20_000);
    const head = await appendEvents(db.pool, 200);
    expect(head).toBeGreaterThan(firstHead);
    await until(() => health(b.port), (h) => h?.projections[0].checkpoint === head.toString(), 'B catches up', 60_000);
    expect(await totalCounted(db.pool)).toBe(3200);

    // A fresh rebuild from the log gives the same table.
    const live = await countsOf(db.pool);
    const rebuild = startNode(REBUILD, { DATABASE_URL: db.url, DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-rebuild-')) }, ['event-counts']);
    expect(await rebuild.exited).toBe(0);
    expect(rebuild.output()).toMatch(/event-counts: swapped in at position \d+/);
    expect(await countsOf(db.pool)).toEqual(live);

    const metrics = await (await fetch(`http://127.0.0.1:${b.port}/metrics`)).text();
    expect(metrics).toContain(`ect_projection_checkpoint_position{projection="event-counts"} ${head}`);
    expect(metrics).toContain('ect_projection_lag_events{projection="event-counts"} 0');
  });
});

describe('given a projector on the embedded PostgreSQL default', () => {
  let projector: RunningProcess | undefined;
  afterAll(async () => {
    await projector?.stop();
  });

  it('rebuilds from a second terminal with the same DATA_DIR while it runs, twice with identical tables, and stops cleanly', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ect-proj-embedded-'));
    const started = await startProjector({ DATA_DIR: dataDir, AUTH_JWT_SECRET: undefined, STREAM_KEY_SECRET: undefined });
    projector = started.process;
    const pool = new Pool({ connectionString: (await embeddedPostgresUrl(dataDir))!, max: 4 });
    // Connections still closing when the projector stops its server get a termination notice; not a failure.
    pool.on('error', () => undefined);
    try {
      const head = await appendEvents(pool, 300);
      await until(() => health(started.port), (h) => h?.projections[0].checkpoint === head.toString(), 'caught up');
      const rebuild = () => startNode(REBUILD, { DATA_DIR: dataDir }, ['event-counts']);
      const first = rebuild();
      expect(await first.exited).toBe(0);
      expect(first.output()).not.toContain('embedded PostgreSQL started for this run');
      const once = await countsOf(pool);
      expect(await rebuild().exited).toBe(0);
      expect(await countsOf(pool)).toEqual(once);
      expect(once.reduce((sum, row) => sum + row.events, 0)).toBe(300);
    } finally {
      await pool.end();
    }
    expect(await projector.stop('SIGTERM')).toBe(0);
    projector = undefined;
  });
});

describe('given a wrong command line or configuration', () => {
  it('the rebuild CLI (run with tsx, as npm run projections:rebuild does) names the known projections', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'apps/projector/src/cli/rebuild.ts', 'nope'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    const known = projections.map((p) => p.name).join(', ');
    expect(known).toContain('school-overview');
    expect(result.stderr).toContain(`Unknown projection "nope". Usage: npm run projections:rebuild -- <name>   (projections: ${known})`);
  });

  it('the projector names a bad PROJECTOR_PORT and exits non-zero', async () => {
    const bad = startNode(PROJECTOR, { PROJECTOR_PORT: 'eighty' });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toContain('Configuration error: PROJECTOR_PORT must be a whole number');
  });
});
