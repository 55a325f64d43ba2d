/**
 * One contender on one cell of the matrix, in its own process (started by bench/append.bench.ts), so that its
 * peak RSS is its own. Sends one `ChildResult` over IPC and exits.
 */
import { Pool } from 'pg';
import { loadContender } from './contenders';
import { cellKey, runPhase, type Cell, type ContenderName, type PhaseResult } from './workload';

export interface ChildInput {
  contender: ContenderName;
  url: string;
  cell: Cell;
}

export interface ChildResult {
  contender: ContenderName;
  cell: Cell;
  warmup: PhaseResult;
  measured: PhaseResult;
  rowsAfter: number;
  /** Indexes PostgreSQL maintains on the events table on every insert (pg_indexes). */
  eventsTableIndexes: string[];
  /** CPU time of this (client) process during the measured phase, per event (microseconds, user + system). */
  clientCpuUsPerEvent: number;
  /** WAL the server wrote during the measured phase, per event (bytes; cluster-wide, runs are sequential). */
  walBytesPerEvent: number;
  /** RSS once modules are loaded and the schema is ready, before any append (MB). */
  rssBeforeMb: number;
  /** process.resourceUsage().maxRSS at the end: peak RSS of this process (MB). */
  peakRssMb: number;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]) as ChildInput;
  const { cell } = input;
  const pool = new Pool({ connectionString: input.url, max: cell.concurrency });
  try {
    const contender = await loadContender(input.contender, pool, input.url);
    await contender.setup();
    await contender.reset();
    await pool.query('checkpoint');
    const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;

    const key = cellKey(cell);
    const warmup = await runPhase(contender.append, `${key}-warm`, cell.batch, cell.concurrency, cell.warmupEvents);
    const lsn = (await pool.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0].lsn;
    const cpu = process.cpuUsage();
    const measured = await runPhase(contender.append, `${key}-run`, cell.batch, cell.concurrency, cell.events);
    const cpuUsed = process.cpuUsage(cpu);
    const wal = (await pool.query<{ bytes: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text as bytes', [lsn])).rows[0].bytes;

    const rowsAfter = await contender.countEvents();
    if (rowsAfter !== warmup.events + measured.events) {
      throw new Error(`${input.contender} ${key}: ${rowsAfter} rows stored, expected ${warmup.events + measured.events}`);
    }
    const indexes = await pool.query<{ indexdef: string }>('select indexdef from pg_indexes where tablename = $1 order by indexname', [
      contender.eventsTable,
    ]);
    await contender.close();
    const result: ChildResult = {
      contender: input.contender,
      cell,
      warmup,
      measured,
      rowsAfter,
      eventsTableIndexes: indexes.rows.map((r) => r.indexdef),
      clientCpuUsPerEvent: (cpuUsed.user + cpuUsed.system) / measured.events,
      walBytesPerEvent: Number(wal) / measured.events,
      rssBeforeMb,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
    process.send!(result);
  } finally {
    await pool.end();
  }
}

main().then(
  () => process.disconnect?.(),
  (error) => {
    process.stderr.write(`append bench child failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
