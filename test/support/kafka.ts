import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AclEntry, Kafka } from 'kafkajs';
import {
  createAcls,
  createScramUser,
  deleteScramUser,
  kafkaClient,
  kafkaConnectionFromEnv,
  startLocalKafka,
  type KafkaConnection,
  type LocalKafka,
  type SaslCredentials,
} from '../../scripts/kafka';

export type { KafkaConnection, LocalKafka, SaslCredentials };

/** Set by kafka-global.ts (jest global set-up) for test files: the broker shared by the whole run. */
export const TEST_KAFKA_ENV = {
  brokers: 'TEST_KAFKA_BROKERS',
  username: 'TEST_KAFKA_SASL_USERNAME',
  password: 'TEST_KAFKA_SASL_PASSWORD',
  mechanism: 'TEST_KAFKA_SASL_MECHANISM',
  ssl: 'TEST_KAFKA_SSL',
} as const;

export interface TestKafka extends KafkaConnection {
  /** Where the cluster comes from: KAFKA_BROKERS, the run's shared broker, or a broker of this caller's own. */
  source: 'external' | 'shared' | 'dedicated';
  /** The local broker when this caller started it (source 'dedicated'): stop(), start(), restart(), dataDir... */
  local?: LocalKafka;
  /** A kafkajs client, as the administrator (a super user) or as the principal given. */
  client(credentials?: SaslCredentials, clientId?: string): Kafka;
  /** Creates a SCRAM-SHA-512 principal User:<username> (random password unless given); resolves once it can log in. */
  createScramUser(username: string, password?: string): Promise<SaslCredentials>;
  deleteScramUser(username: string): Promise<void>;
  /** Creates ACLs and resolves once the broker enforces them. */
  createAcls(acls: AclEntry[]): Promise<void>;
  /** Stops the broker this caller started and deletes its temporary data dir; nothing for a shared/external one. */
  stop(): Promise<void>;
}

export interface StartTestKafkaOptions {
  /**
   * Start a broker of one's own even when the run shares one (needed to stop or restart it). With KAFKA_BROKERS set
   * the external cluster is still used: check `local` before stopping anything.
   */
  dedicated?: boolean;
  /**
   * Always a real local broker of one's own, even with KAFKA_BROKERS set: for suites that test the broker this
   * project runs (its security settings, compaction, stop and restart).
   */
  local?: boolean;
  /** Extra server.properties entries for a dedicated broker. */
  serverProperties?: Record<string, string | number | boolean>;
}

/**
 * The Kafka cluster tests use:
 * 1. KAFKA_BROKERS set: that cluster, as KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (KAFKA_SASL_MECHANISM, KAFKA_SSL);
 * 2. else, unless `dedicated`, the broker the jest global set-up started (TEST_KAFKA_* variables, see kafka-global.ts);
 * 3. else a real local broker started now in a temporary directory (deleted by stop()).
 */
export async function startTestKafka(opts: StartTestKafkaOptions = {}): Promise<TestKafka> {
  const external = opts.local ? undefined : kafkaConnectionFromEnv();
  if (external) return wrap(external, 'external');
  if (!opts.dedicated && !opts.local) {
    const shared = sharedKafkaFromEnv();
    if (shared) return wrap(shared, 'shared');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'ect-register-test-kafka-'));
  try {
    const local = await startLocalKafka({ dataDir, serverProperties: opts.serverProperties });
    return wrap(local, 'dedicated', local, async () => {
      await local.stop();
      await rm(dataDir, { recursive: true, force: true });
    });
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** The run's shared broker as published by the global set-up, if any. */
export function sharedKafkaFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaConnection | undefined {
  const brokers = env[TEST_KAFKA_ENV.brokers];
  if (!brokers) return undefined;
  return kafkaConnectionFromEnv({
    KAFKA_BROKERS: brokers,
    KAFKA_SASL_USERNAME: env[TEST_KAFKA_ENV.username],
    KAFKA_SASL_PASSWORD: env[TEST_KAFKA_ENV.password],
    KAFKA_SASL_MECHANISM: env[TEST_KAFKA_ENV.mechanism],
    KAFKA_SSL: env[TEST_KAFKA_ENV.ssl],
  });
}

/** A name no other test (or earlier run against the same external cluster) uses: `<prefix>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

function wrap(conn: KafkaConnection, source: TestKafka['source'], local?: LocalKafka, stop: () => Promise<void> = async () => undefined): TestKafka {
  const connection: KafkaConnection = { brokers: conn.brokers, sasl: conn.sasl, ssl: conn.ssl ?? false };
  return {
    ...connection,
    source,
    local,
    client: (credentials, clientId) => kafkaClient(connection, { credentials, clientId }),
    createScramUser: (username, password) => createScramUser(connection, username, password),
    deleteScramUser: (username) => deleteScramUser(connection, username),
    createAcls: (acls) => createAcls(connection, acls),
    stop,
  };
}
