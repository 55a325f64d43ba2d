import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { AppConfig } from '@ect/platform';
// The broker helpers live with the scripts that also serve tests and the CLI (one implementation of the local broker).
import {
  canAuthenticate,
  createAcls,
  createScramUser,
  kafkaClient,
  kafkaConnectionFromEnv,
  randomPassword,
  startLocalKafka,
  type KafkaConnection,
  type SaslCredentials,
} from '../../../scripts/kafka';
import { SERVICE_PRINCIPAL, serviceAcls } from './feed-topics';

export interface FeedKafka {
  /** A client as the service's principal, for the relay. */
  kafka: Kafka;
  /** The principal the relay connects as. */
  principal: string;
  /** Lines worth telling a person at start. */
  notices: string[];
  /** Stops the local broker when this process started it. */
  stop(): Promise<void>;
}

/** Where KAFKA=local keeps its broker: under DATA_DIR, beside the embedded PostgreSQL. */
export const localKafkaDir = (config: Pick<AppConfig, 'dataDir'>): string => join(config.dataDir, 'kafka');

/**
 * The Kafka the relay publishes to, or null when none is configured (the outbox then only accumulates):
 * - `KAFKA_BROKERS`: that cluster, as KAFKA_SASL_USERNAME (which should be the service's own principal,
 *   `ect-register-service`, made by `npm run feeds:provision -- --service` with administrator credentials);
 * - `KAFKA=local`: the broker under DATA_DIR/kafka, joined when another process already runs it, else started here
 *   (and stopped by `stop()`). Its service principal is created once, with a generated password kept beside it.
 */
export async function openFeedKafka(config: Pick<AppConfig, 'kafka' | 'dataDir'>, log: (line: string) => void): Promise<FeedKafka | null> {
  if (config.kafka === null) return null;
  if (config.kafka === 'external') {
    const conn = kafkaConnectionFromEnv()!;
    return {
      kafka: kafkaClient(conn, { clientId: 'ect-register-feed-relay' }),
      principal: conn.sasl.username,
      notices: [`Contact feeds: the relay publishes to ${conn.brokers.join(',')} as ${conn.sasl.username}`],
      stop: async () => undefined,
    };
  }
  const dataDir = localKafkaDir(config);
  const running = await runningLocalKafka(dataDir);
  const local = running ? null : await startLocalKafka({ dataDir, log });
  const admin: KafkaConnection = running ?? local!;
  try {
    const service = await serviceCredentials(admin, dataDir);
    return {
      kafka: kafkaClient(admin, { credentials: service, clientId: 'ect-register-feed-relay' }),
      principal: service.username,
      notices: [
        `Kafka (KAFKA=local): ${admin.brokers.join(',')}, ${local ? 'started by this process' : 'already running'}, data in ${dataDir}; ` +
          `the relay publishes as ${service.username}; administrator credentials in ${join(dataDir, 'credentials.json')}`,
      ],
      stop: async () => {
        await local?.stop();
      },
    };
  } catch (error) {
    await local?.stop();
    throw error;
  }
}

/** The broker of this data dir when one already serves (started by another process), else null. */
async function runningLocalKafka(dataDir: string): Promise<KafkaConnection | null> {
  const file = join(dataDir, 'credentials.json');
  if (!existsSync(file)) return null;
  const { brokers, sasl } = JSON.parse(await readFile(file, 'utf8')) as { brokers: string[]; sasl: SaslCredentials };
  const conn: KafkaConnection = { brokers, sasl, ssl: false };
  return (await canAuthenticate(conn, sasl)) ? conn : null;
}

/** The service principal of the local broker: reused when it logs in, else (re)created with its ACLs. */
async function serviceCredentials(admin: KafkaConnection, dataDir: string): Promise<SaslCredentials> {
  const file = join(dataDir, 'service-credentials.json');
  if (existsSync(file)) {
    const saved = JSON.parse(await readFile(file, 'utf8')) as SaslCredentials;
    if (await canAuthenticate(admin, saved)) return saved;
  }
  const credentials = await createScramUser(admin, SERVICE_PRINCIPAL, randomPassword());
  await createAcls(admin, serviceAcls(SERVICE_PRINCIPAL));
  await writeFile(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  return credentials;
}
