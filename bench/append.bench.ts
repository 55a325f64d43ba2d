/**
 * Append throughput: our PostgreSQL adapter vs a raw multi-row INSERT (the floor) vs Emmett's PostgreSQL event
 * store, on one embedded PostgreSQL, in one run.
 *
 *   npm run bench:append                 (about 1-2 minutes on 2 cores)
 *   BENCH_SCALE=0.2 npm run bench:append (quick smoke run; figures too short to quote)
 *
 * Each contender has its own database on the one server. Every (contender, cell) pair runs in its own child
 * process (bench/append/child.ts): it truncates its tables, checkpoints, warms up, then measures; the child's
 * peak RSS is therefore that contender's alone. Within each cell the order of contenders rotates, so no contender
 * is always first or last. Results: a table on stdout and JSON in bench/results/append-<timestamp>.json.
 */
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '@ect/platform';
import type { ChildInput, ChildResult } from './append/child';
import { CONTENDERS, cellKey, sampleSizes, type Cell, type ContenderName } from './append/workload';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
if (!(SCALE > 0)) throw new Error(`BENCH_SCALE must be a positive number, got ${process.env.BENCH_SCALE}`);

/** Events per cell, sized so each measured phase lasts a few seconds for every contender on 2 cores. */
const CELLS: Cell[] = [
  { batch: 1, concurrency: 1, events: 6_000 },
  { batch: 1, concurrency: 16, events: 18_000 },
  { batch: 10, concurrency: 1, events: 45_000 },
  { batch: 10, concurrency: 16, events: 90_000 },
].map((c) => {
  const events = Math.max(c.batch * c.concurrency * 10, Math.round((c.events * SCALE) / (c.batch * 10)) * c.batch * 10);
  return { ...c, events, warmupEvents: Math.max(c.batch * c.concurrency * 5, Math.round(events / 10 / c.batch) * c.batch) };
});

/** Server settings: none changed, so synchronous_commit (and fsync) are the PostgreSQL defaults; printed below. */
const SERVER_SETTINGS: Record<string, string> = {};

const SHOWN_SETTINGS = ['synchronous_commit', 'fsync', 'full_page_writes', 'wal_level', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout'];

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  const dataDir = await mkdtemp(join(tmpdir(), 'ect-append-bench-'));
  const pgLog: string[] = [];
  let server: RunningPostgres | undefined;
  let child: ReturnType<typeof fork> | undefined;
  const cleanup = async () => {
    child?.kill('SIGKILL');
    await server?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    server = await startEmbeddedPostgres({ dataDir, persistent: false, settings: SERVER_SETTINGS, log: (l) => pgLog.push(l) });
    const admin = new Pool({ connectionString: server.url, max: 1 });
    const postgresVersion = (await admin.query<{ version: string }>('select version()')).rows[0].version;
    const settings: Record<string, string> = {};
    for (const name of SHOWN_SETTINGS) settings[name] = (await admin.query(`show ${name}`)).rows[0][name];
    const urls = {} as Record<ContenderName, string>;
    for (const contender of CONTENDERS) {
      await admin.query(`create database bench_${contender}`);
      const url = new URL(server.url);
      url.pathname = `/bench_${contender}`;
      urls[contender] = url.toString();
    }
    await admin.end();

    const sizes = sampleSizes();
    const machine = {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
      node: process.version,
      postgres: postgresVersion,
    };
    console.log('Append throughput benchmark (npm run bench:append)');
    console.log(`machine: ${machine.cpus} cpus (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, node ${machine.node}`);
    console.log(`server:  ${postgresVersion}`);
    console.log(`load average before the run: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} (other work on the machine)`);
    console.log(`settings: ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    console.log(
      `events: ${sizes.dataBytes} B data + ${sizes.metadataBytes} B metadata (correlationId, causationId, actingUserId, actingService), ` +
        `fresh stream every 5 appends, scale ${SCALE}`,
    );
    console.log('');

    const results: ChildResult[] = [];
    for (const [i, cell] of CELLS.entries()) {
      const order = CONTENDERS.map((_, j) => CONTENDERS[(i + j) % CONTENDERS.length]);
      for (const contender of order) {
        const input: ChildInput = { contender, url: urls[contender], cell };
        process.stdout.write(`  ${cellKey(cell).padEnd(7)} ${contender.padEnd(7)} ${String(cell.events).padStart(6)} events ... `);
        child = fork(join(__dirname, 'append', 'child.ts'), [JSON.stringify(input)], { execArgv: process.execArgv });
        const result = await childResult(child);
        child = undefined;
        results.push(result);
        console.log(`${Math.round(result.measured.eventsPerSecond)} events/s in ${result.measured.seconds.toFixed(1)} s`);
      }
    }

    const report = {
      command: 'npm run bench:append',
      startedAt: startedAt.toISOString(),
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      scale: SCALE,
      machine,
      loadAverage: { before: loadBefore, after: loadavg() },
      serverSettings: settings,
      eventSizes: sizes,
      cells: CELLS,
      results,
      orchestratorPeakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    console.log('');
    console.log(renderTables(report.results, report.orchestratorPeakRssMb));
    console.log(`total run time ${report.durationSeconds.toFixed(0)} s; load average after: ${report.loadAverage.after.map((l) => l.toFixed(2)).join(' ')}`);

    const resultsDir = join(__dirname, 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, `append-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`results written to ${file}`);
  } catch (error) {
    if (pgLog.length) process.stderr.write(`last PostgreSQL log lines:\n${pgLog.slice(-20).join('\n')}\n`);
    throw error;
  } finally {
    await cleanup();
  }
}

function childResult(child: ReturnType<typeof fork>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    let result: ChildResult | undefined;
    child.on('message', (message) => (result = message as ChildResult));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      result && code === 0 ? resolve(result) : reject(new Error(`benchmark child exited with ${signal ?? code} and no result`)),
    );
  });
}

function renderTables(results: ChildResult[], orchestratorPeakRssMb: number): string {
  const find = (c: ContenderName, cell: Cell) => results.find((r) => r.contender === c && cellKey(r.cell) === cellKey(cell))!;
  const int = (n: number) => Math.round(n).toLocaleString('en-GB');
  const ms = (n: number) => n.toFixed(2);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);

  const lines: string[] = [];
  lines.push('Throughput (events/s, measured phase; p50 / p99 append latency in ms)');
  lines.push('');
  lines.push('| batch | concurrency | events | ours | raw INSERT | Emmett | ours/raw | ours/Emmett |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const cell of CELLS) {
    const [o, r, e] = CONTENDERS.map((c) => find(c, cell));
    const fig = (x: ChildResult) => `${int(x.measured.eventsPerSecond)} (${ms(x.measured.latencyMs.p50)} / ${ms(x.measured.latencyMs.p99)})`;
    lines.push(
      `| ${cell.batch} | ${cell.concurrency} | ${int(cell.events)} | ${fig(o)} | ${fig(r)} | ${fig(e)} | ` +
        `${ratio(o.measured.eventsPerSecond, r.measured.eventsPerSecond)} | ${ratio(o.measured.eventsPerSecond, e.measured.eventsPerSecond)} |`,
    );
  }
  lines.push('');
  lines.push('Cost per event in the measured phase: client CPU (µs, user + system of the benchmark child) and server WAL (bytes)');
  lines.push('');
  lines.push(`| contender | ${CELLS.map((c) => `b${c.batch} c${c.concurrency}`).join(' | ')} |`);
  lines.push(`|---|${CELLS.map(() => '---:').join('|')}|`);
  for (const c of CONTENDERS) {
    const rows = CELLS.map((cell) => find(c, cell));
    lines.push(`| ${c} | ${rows.map((r) => `${r.clientCpuUsPerEvent.toFixed(0)} µs, ${r.walBytesPerEvent.toFixed(0)} B`).join(' | ')} |`);
  }
  lines.push('');
  lines.push('Peak RSS per child process (MB, process.resourceUsage().maxRSS; before first append in brackets)');
  lines.push('');
  lines.push(`| contender | ${CELLS.map((c) => `b${c.batch} c${c.concurrency}`).join(' | ')} | max |`);
  lines.push(`|---|${CELLS.map(() => '---:').join('|')}|---:|`);
  for (const c of CONTENDERS) {
    const rows = CELLS.map((cell) => find(c, cell));
    lines.push(
      `| ${c} | ${rows.map((r) => `${r.peakRssMb.toFixed(0)} (${r.rssBeforeMb.toFixed(0)})`).join(' | ')} | ` +
        `${Math.max(...rows.map((r) => r.peakRssMb)).toFixed(0)} |`,
    );
  }
  lines.push('');
  lines.push('Indexes on each events table (maintained on every insert):');
  for (const c of CONTENDERS) lines.push(`  ${c}: ${find(c, CELLS[0]).eventsTableIndexes.join('; ')}`);
  lines.push('');
  lines.push(`Orchestrator (no appends, PostgreSQL client only) peak RSS: ${orchestratorPeakRssMb.toFixed(0)} MB. PostgreSQL server processes not included.`);
  return lines.join('\n');
}

main().catch((error) => {
  process.stderr.write(`bench:append failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
