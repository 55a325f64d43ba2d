/**
 * One Kafka broker for a whole jest run, for jest's global set-up and teardown:
 *
 *   // test/support/global-setup.ts
 *   import { startGlobalKafka } from './kafka-global';
 *   ... await startGlobalKafka();
 *   // test/support/global-teardown.ts
 *   import { stopGlobalKafka } from './kafka-global';
 *   ... await stopGlobalKafka();
 *
 * startGlobalKafka publishes the cluster through TEST_KAFKA_* environment variables, which jest's workers inherit;
 * in a test file `await startTestKafka()` (kafka.ts) then returns that shared cluster instead of starting a broker.
 * With KAFKA_BROKERS set, that cluster is published and nothing is started.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaConnectionFromEnv, startLocalKafka, type KafkaConnection, type LocalKafka } from '../../scripts/kafka';
import { TEST_KAFKA_ENV } from './kafka';

interface GlobalKafka {
  local: LocalKafka;
  dataDir: string;
}

const KEY = '__TEST_KAFKA__';
type Holder = { [KEY]?: GlobalKafka };

export async function startGlobalKafka(opts: { log?: (line: string) => void } = {}): Promise<KafkaConnection> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const external = kafkaConnectionFromEnv();
  if (external) {
    publish(external);
    log(`Tests use the Kafka cluster at KAFKA_BROKERS (${external.brokers.join(',')}).`);
    return external;
  }
  const existing = (globalThis as Holder)[KEY];
  if (existing) return existing.local;
  const dataDir = await mkdtemp(join(tmpdir(), 'ect-register-test-kafka-'));
  try {
    const local = await startLocalKafka({ dataDir, log });
    (globalThis as Holder)[KEY] = { local, dataDir };
    publish(local);
    log(`Tests use a local Kafka ${local.version} broker on ${local.brokers.join(',')} (data in ${dataDir}).`);
    return local;
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

export async function stopGlobalKafka(): Promise<void> {
  const g = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  for (const name of Object.values(TEST_KAFKA_ENV)) delete process.env[name];
  if (!g) return;
  await g.local.stop();
  await rm(g.dataDir, { recursive: true, force: true });
}

function publish(conn: KafkaConnection): void {
  process.env[TEST_KAFKA_ENV.brokers] = conn.brokers.join(',');
  process.env[TEST_KAFKA_ENV.username] = conn.sasl.username;
  process.env[TEST_KAFKA_ENV.password] = conn.sasl.password;
  process.env[TEST_KAFKA_ENV.mechanism] = conn.sasl.mechanism;
  process.env[TEST_KAFKA_ENV.ssl] = String(conn.ssl ?? false);
}
