import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { mintToken, type Role } from '@ect/nest-kit';
import { freePort } from '@ect/platform';
import type { SaslCredentials } from '../../scripts/kafka';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const SCHOOLS = 20;

export interface LatencyResult {
  commands: number;
  ratePerSecond: number;
  /** HTTP command sent → record with its event id handed to a kafkajs consumer, in ms. */
  endToEndMs: number[];
  /** HTTP command sent → HTTP answer, in ms. */
  commandMs: number[];
}

/**
 * The whole path at a steady rate: the built API process (`node dist/apps/api/src/main.js`, as `npm start` runs it:
 * HTTP, the projections and the relay in one process, KAFKA_BROKERS as the service principal), PostgreSQL and Kafka
 * beside it. Each command links a new user to one of 20 partnered
 * schools (in turn), so each queues exactly one snapshot; a consumer (as the lead provider) stamps when each event id arrives.
 */
export async function measureLatency(options: {
  databaseUrl: string;
  brokers: string[];
  service: SaslCredentials;
  leadProvider: Kafka;
  leadProviderId: string;
  topic: string;
  ratePerSecond: number;
  commands: number;
}): Promise<LatencyResult> {
  const port = await freePort();
  const api = spawn(process.execPath, ['dist/apps/api/src/main.js'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, APP_ENV: 'development', DATABASE_URL: options.databaseUrl, AUTH_JWT_SECRET: SECRET, STREAM_KEY_SECRET: SECRET, LOG_LEVEL: 'error',
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-feed-bench-api-')), PROJECTIONS_IN_PROCESS: 'true', KAFKA: '',
      KAFKA_BROKERS: options.brokers.join(','), KAFKA_SASL_USERNAME: options.service.username, KAFKA_SASL_PASSWORD: options.service.password,
    },
  });
  let output = '';
  api.stdout!.on('data', (chunk) => (output += chunk));
  api.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => api.once('exit', resolve));
  for (const deadline = Date.now() + 60000; !/API listening on/.test(output); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline || api.exitCode !== null) throw new Error(`the API did not start:\n${output}`);
  }
  const token = (role: Role) => mintToken(SECRET, { sub: 'bench', roles: [role] });
  const call = async (method: string, path: string, role: Role, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method, headers: { authorization: `Bearer ${await token(role)}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { eventIds: string[] };
  };

  // Commands go round SCHOOLS schools, so no one stream is written faster than once a second at 20/s.
  const urns = Array.from({ length: SCHOOLS }, (_, i) => String(700001 + i));
  for (const urn of urns) {
    await call('PUT', `/v1/schools/${urn}`, 'reference-data', { name: `Bench School ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: `office@${urn}.example.org` });
    await call('PUT', `/v1/schools/${urn}/partnerships/2026`, 'partnerships', { leadProviderId: options.leadProviderId, deliveryPartnerId: 'dp-1' });
  }

  const arrived = new Map<string, bigint>();
  const consumer = options.leadProvider.consumer({ groupId: `ect-register.lead-provider.${options.leadProviderId}.bench` });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({ eachMessage: async ({ message }) => void arrived.set(String(message.headers?.['event-id']), process.hrtime.bigint()) });
  await joined;
  while (arrived.size < SCHOOLS) await new Promise((r) => setTimeout(r, 20));

  const sent = new Map<string, bigint>();
  const commandMs: number[] = [];
  const inFlight: Promise<void>[] = [];
  const start = process.hrtime.bigint();
  const intervalNs = BigInt(Math.round(1e9 / options.ratePerSecond));
  for (let i = 0; i < options.commands; i++) {
    const due = start + intervalNs * BigInt(i);
    const wait = Number(due - process.hrtime.bigint()) / 1e6;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const at = process.hrtime.bigint();
    inFlight.push(
      call('POST', `/v1/schools/${urns[i % SCHOOLS]}/users`, 'identity-sync', { userId: randomUUID(), email: `user${i}@bench.example.org`, firstName: `User${i}`, lastName: 'Bench' }).then((r) => {
        commandMs.push(Number(process.hrtime.bigint() - at) / 1e6);
        sent.set(r.eventIds[0], at);
      }),
    );
  }
  await Promise.all(inFlight);
  const deadline = Date.now() + 60000;
  while ([...sent.keys()].some((id) => !arrived.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const endToEndMs = [...sent].map(([id, at]) => (arrived.has(id) ? Number(arrived.get(id)! - at) / 1e6 : Number.POSITIVE_INFINITY));

  await consumer.disconnect();
  api.kill('SIGTERM');
  await exited;
  return { commands: options.commands, ratePerSecond: options.ratePerSecond, endToEndMs, commandMs };
}
