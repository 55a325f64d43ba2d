/**
 * `npm run bench:projections`: rebuild of the school-overview read model from 1,000,000 generated events
 * (BENCH_EVENTS to change), next to a raw scan of the same events with no handler, in the same run, on one
 * embedded PostgreSQL. Prints events/s of both, their ratio, and peak RSS. Not part of the tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { eventStoreMigrations, PostgresEventStore, START } from '@ect/event-store';
import { migrate, startEmbeddedPostgres } from '@ect/platform';
import { projectionMigrations, rebuildProjection, startProjector } from '@ect/projection-runtime';
import { schoolOverviewProjection } from '@ect-projections';
import { generate } from './projections/generate';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'ect-bench-projections-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, persistent: false });
  const pool = new Pool({ connectionString: server.url, max: 12 });
  pool.on('error', () => undefined);
  try {
    const [{ version }] = (await pool.query('select version()')).rows;
    say(`machine: ${require('node:os').cpus().length} cpus, node ${process.version}; load average ${require('node:os').loadavg().map((l: number) => l.toFixed(2)).join(' ')}`);
    say(`server: ${version}`);
    await migrate(pool, [...eventStoreMigrations, ...projectionMigrations([schoolOverviewProjection])]);
    const store = new PostgresEventStore(pool);

    let t = Date.now();
    const stored = await generate(store, TOTAL, (done) => process.stdout.write(`\rgenerating: ${done} events`));
    say(`\rgenerated ${stored} events in ${((Date.now() - t) / 1000).toFixed(1)} s (through es_append, 8 writers)`);
    await pool.query('vacuum analyze');

    t = Date.now();
    let scanned = 0;
    let after = START;
    for (;;) {
      const page = await store.readAll({ after, maxCount: 5000 });
      if (page.length === 0) break;
      scanned += page.length;
      after = page[page.length - 1].globalPosition;
    }
    const scanSeconds = (Date.now() - t) / 1000;
    say(`raw scan: ${scanned} events in ${scanSeconds.toFixed(1)} s = ${Math.round(scanned / scanSeconds)} events/s (readAll pages of 5000, no handler)`);

    // The live projector first catches up from the first event (that is a full projection run too), then the
    // rebuild builds a second copy from the first event beside it and swaps it in.
    t = Date.now();
    const head = await store.headPosition();
    const projector = startProjector({ pool, eventStore: store, projections: [schoolOverviewProjection], batchSize: 500, log: () => undefined });
    for (;;) {
      const { rows } = await pool.query('select position from proj_school_overview.projection_checkpoint');
      if (rows[0] && BigInt(rows[0].position) >= head) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const liveSeconds = (Date.now() - t) / 1000;
    say(`live projector catch-up from the first event: ${stored} events in ${liveSeconds.toFixed(1)} s = ${Math.round(stored / liveSeconds)} events/s`);

    t = Date.now();
    let lastReport = 0;
    const result = await rebuildProjection({
      pool,
      eventStore: store,
      projection: schoolOverviewProjection,
      batchSize: 500,
      onProgress: (p) => {
        if (Date.now() - lastReport > 10000) {
          lastReport = Date.now();
          say(`  rebuild: ${p.events} events, ${Math.round(p.events / (p.elapsedMs / 1000))} events/s`);
        }
      },
    });
    const rebuildSeconds = (Date.now() - t) / 1000;
    await projector.stop();
    const rebuildRate = result.events / rebuildSeconds;
    say(`rebuild of school-overview: ${result.events} events in ${rebuildSeconds.toFixed(1)} s = ${Math.round(rebuildRate)} events/s (batches of 500)`);
    say(`ratio rebuild/raw scan: ${(rebuildRate / (scanned / scanSeconds)).toFixed(3)}`);
    const counts = (await pool.query(`select (select count(*) from proj_school_overview.schools) as schools, (select count(*) from proj_school_overview.ects) as ects`)).rows[0];
    say(`read model: ${counts.schools} schools, ${counts.ects} ECT registrations`);
    say(`peak RSS of this process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (PostgreSQL's own processes not included)`);
  } finally {
    await pool.end();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
