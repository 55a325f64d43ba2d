/**
 * The relay alone in a process of its own, for the crash spec (relay-crash.int.spec.ts): it is killed with SIGKILL
 * there. Settings come from the environment: RELAY_DATABASE_URL, RELAY_BROKERS, RELAY_USERNAME, RELAY_PASSWORD,
 * RELAY_BATCH_SIZE, RELAY_SEND_TIMEOUT_MS.
 */
import { Pool } from 'pg';
import { startRelay } from '@ect/feeds';
import { kafkaClient } from '../../scripts/kafka';

const env = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
const pool = new Pool({ connectionString: env('RELAY_DATABASE_URL'), max: 3 });
const kafka = kafkaClient(
  { brokers: env('RELAY_BROKERS').split(','), sasl: { mechanism: 'scram-sha-512', username: env('RELAY_USERNAME'), password: env('RELAY_PASSWORD') } },
  { clientId: `relay-child-${process.pid}` },
);
const relay = startRelay({
  pool,
  kafka,
  batchSize: Number(env('RELAY_BATCH_SIZE')),
  sendTimeoutMs: Number(env('RELAY_SEND_TIMEOUT_MS')),
  pollMs: 200,
  lockRetryMs: 200,
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write('relay child started\n');
process.on('SIGTERM', () => void relay.stop().then(() => pool.end()).then(() => process.exit(0)));
