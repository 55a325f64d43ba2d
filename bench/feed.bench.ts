/**
 * `npm run bench:feed`: the contact feed's relay on a real local Kafka broker and an embedded PostgreSQL, started
 * here in temporary folders. Not part of the tests.
 *
 * 1. Throughput: the relay publishing a backlog of BENCH_FEED_RECORDS outbox rows (default 20,000 snapshot-sized
 *    records, 500 per batch) against a raw kafkajs producer sending the same records in the same batches with the
 *    same settings (idempotent, maxInFlightRequests 1, acks=-1). Rounds alternate the order; medians and the ratio.
 * 2. Latency: HTTP command → record handed to a consumer, at BENCH_FEED_RATE commands/s (default 20) for
 *    BENCH_FEED_COMMANDS commands (default 600), with the built API process running projections and relay
 *    (so `npm run bench:feed` builds first).
 *
 * Prints a summary and writes JSON to bench/results/feed-<timestamp>.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { FEED_OUTBOX_SQL, serviceAcls } from '@ect/feeds';
import { startEmbeddedPostgres } from '@ect/platform';
import { createAcls, createScramUser, kafkaClient, startLocalKafka } from '../scripts/kafka';
import { provisionLeadProvider } from '../scripts/feeds-provision';
import { measureLatency } from './feed/latency';
import { createTopic, rawSend, records, relaySend } from './feed/throughput';

const RECORDS = Number(process.env.BENCH_FEED_RECORDS ?? 20000);
const ROUNDS = Number(process.env.BENCH_FEED_ROUNDS ?? 3);
const RATE = Number(process.env.BENCH_FEED_RATE ?? 20);
const COMMANDS = Number(process.env.BENCH_FEED_COMMANDS ?? 600);
const BATCH = 500;
const say = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'ect-feed-bench-'));
  const pgDir = await mkdtemp(join(tmpdir(), 'ect-feed-bench-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false });
  const kafka = await startLocalKafka({ dataDir: join(dir, 'kafka'), log: say });
  try {
    const admin = new Pool({ connectionString: pg.url, max: 1 });
    for (const name of ['bench_throughput', 'bench_latency']) await admin.query(`create database ${name}`);
    const postgres = (await admin.query('select version()')).rows[0].version as string;
    await admin.end();
    const url = (name: string) => Object.assign(new URL(pg.url), { pathname: `/${name}` }).toString();
    const service = await createScramUser(kafka, 'ect-register-service');
    await createAcls(kafka, serviceAcls());
    const asService = kafkaClient(kafka, { credentials: service, clientId: 'bench-relay' });
    const asAdmin = kafkaClient(kafka);
    say(`machine: ${availableParallelism()} cpus (${cpus()[0]?.model}), ${Math.round(totalmem() / 1024 ** 3)} GiB, node ${process.version}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
    say(`servers: Kafka ${kafka.version} (one local KRaft node, SASL/SCRAM, ACLs), ${postgres}`);

    const pool = new Pool({ connectionString: url('bench_throughput'), max: 4 });
    pool.on('error', () => undefined);
    await pool.query(FEED_OUTBOX_SQL);
    const all = records(RECORDS, 500);
    const bytes = all.reduce((n, r) => n + r.value.length, 0);
    say(`throughput: ${RECORDS} records of ${Math.round(bytes / RECORDS)} bytes on average, batches of at most ${BATCH} records and 512 KiB, ${ROUNDS} rounds`);
    // Warm-up (not counted): JIT of both paths, the broker's first segments, PostgreSQL's caches.
    const warm = all.slice(0, Math.min(2000, RECORDS));
    for (const contender of ['raw', 'relay'] as const) {
      const topic = `ect-register.lead-provider.bench-warmup-${contender}.contacts.v1`;
      await createTopic(asAdmin, topic);
      if (contender === 'raw') await rawSend(asService, topic, warm, BATCH);
      else await relaySend(pool, asService, topic, warm, BATCH);
    }
    const raw: number[] = [];
    const relay: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['raw', 'relay'] as const) : (['relay', 'raw'] as const);
      for (const contender of order) {
        const topic = `ect-register.lead-provider.bench-${contender}-${round}.contacts.v1`;
        await createTopic(asAdmin, topic);
        const seconds = contender === 'raw' ? (await rawSend(asService, topic, all, BATCH)).seconds : await relaySend(pool, asService, topic, all, BATCH);
        (contender === 'raw' ? raw : relay).push(RECORDS / seconds);
        say(`  round ${round + 1} ${contender.padEnd(5)} ${Math.round(RECORDS / seconds)} records/s (${seconds.toFixed(2)} s)`);
      }
    }
    await pool.end();
    const throughput = { rawPerSecond: median(raw), relayPerSecond: median(relay), ratio: median(relay) / median(raw), raw, relay };
    say(`  median: raw ${Math.round(throughput.rawPerSecond)}/s, relay ${Math.round(throughput.relayPerSecond)}/s, relay/raw = ${throughput.ratio.toFixed(2)}`);

    const lp = await provisionLeadProvider(kafka, 'bench-lp');
    say(`latency: ${COMMANDS} commands at ${RATE}/s (open loop), each one snapshot on ${lp.topic}`);
    const latency = await measureLatency({
      databaseUrl: url('bench_latency'), brokers: kafka.brokers, service, leadProvider: kafkaClient(kafka, { credentials: lp.credentials }),
      leadProviderId: 'bench-lp', topic: lp.topic, ratePerSecond: RATE, commands: COMMANDS,
    });
    const summary = (xs: number[]) => ({ p50: percentile(xs, 50), p90: percentile(xs, 90), p99: percentile(xs, 99), max: Math.max(...xs) });
    const endToEnd = summary(latency.endToEndMs);
    const command = summary(latency.commandMs);
    const fmt = (s: ReturnType<typeof summary>) => `p50 ${s.p50.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;
    say(`  command → record at the consumer: ${fmt(endToEnd)}`);
    say(`  command → HTTP answer:            ${fmt(command)}`);
    const loadAfter = loadavg();
    say(`load average after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}; ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all`);

    await mkdir(join(__dirname, 'results'), { recursive: true });
    const file = join(__dirname, 'results', `feed-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify({ startedAt, loadBefore, loadAfter, records: RECORDS, batch: BATCH, throughput, latency: { rate: RATE, commands: COMMANDS, endToEnd, command, raw: latency } }, null, 2));
    say(`results: ${file}`);
  } finally {
    await kafka.stop();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(pgDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
