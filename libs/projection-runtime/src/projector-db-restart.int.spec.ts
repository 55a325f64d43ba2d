import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startPostgresProcess, type PostgresProcess } from '../../../test/support/postgres-process';
import { appendThings, categoryCounts, eventually, expectedApplied, prepare, tablesOf } from './projection.spec-support';
import { startProjector, type Projector } from './projector';

describe('given a projector whose PostgreSQL server restarts', () => {
  let server: PostgresProcess;
  let dataDir: string;
  let pool: Pool;
  let projector: Projector | undefined;
  const projection = categoryCounts();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ect-projector-restart-'));
    server = await startPostgresProcess(dataDir, { persistent: true });
    pool = new Pool({ connectionString: server.url, max: 6, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined); // idle connections die with the server; the pool replaces them
  });
  afterAll(async () => {
    await projector?.stop();
    await pool.end();
    await server.stop();
  });

  it('holds the projection again when the server is back and applies every event once', async () => {
    const store = await prepare(pool, [projection]);
    const logs: string[] = [];
    projector = startProjector({ pool, eventStore: store, projections: [projection], lockRetryMs: 200, log: (l) => logs.push(l) });
    await appendThings(store, 20);
    await eventually(() => tablesOf(pool, projection.name), (t) => t.applied.length === 20);

    await server.stop();
    await eventually(async () => projector!.statuses()[0].state, (s) => s !== 'running', 20_000);
    server = await startPostgresProcess(dataDir, { persistent: true, port: server.port });

    await eventually(async () => projector!.statuses()[0].state, (s) => s === 'running', 30_000);
    await eventually(() => appendThings(store, 1).then(() => true, () => false), (ok) => ok, 30_000);
    await appendThings(store, 19);
    const tables = await eventually(() => tablesOf(pool, projection.name), (t) => t.applied.length === 40, 30_000);
    expect(tables.applied).toEqual(await expectedApplied(store));
    expect(projector.statuses()[0].failure).toBeNull();
    expect(logs.some((l) => l.includes('lost its lock connection'))).toBe(true);
  });
});
