import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { serviceAcls, startRelay, type Relay, type RelayOptions } from '@ect/feeds';
import { provisionLeadProvider } from '../../scripts/feeds-provision';
import type { TestApi } from '../support/api';
import { uniqueName, type SaslCredentials, type TestKafka } from '../support/kafka';

/** Feed suites: a real broker (test/support/kafka.ts), the real relay, and the documented value schema. */

export const SCHEMA_FILE = join(__dirname, '../../docs/feeds/contact-snapshot.v1.schema.json');
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));

/** Throws unless the value is a valid contact snapshot (docs/feeds/contact-snapshot.v1.schema.json). */
export function assertValidSnapshot(value: unknown): void {
  if (!validate(value)) throw new Error(`not a valid contact snapshot: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
}

export interface FeedRecord {
  partition: number;
  offset: string;
  key: string | null;
  /** Parsed JSON, or null for a tombstone. */
  value: any;
  headers: Record<string, string>;
}

function decode(partition: number, m: KafkaMessage): FeedRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(v);
  const value = m.value === null ? null : JSON.parse(m.value.toString());
  if (value !== null) assertValidSnapshot(value);
  return { partition, offset: m.offset, key: m.key?.toString() ?? null, value, headers };
}

/** The service's principal for one suite (unique, so suites sharing a broker do not share credentials). */
export async function servicePrincipal(kafka: TestKafka): Promise<SaslCredentials> {
  const username = uniqueName('ect-register-service');
  const credentials = await kafka.createScramUser(username);
  await kafka.createAcls(serviceAcls(username));
  return credentials;
}

/** The relay on the suite's API database, as the service principal, with short waits for tests. */
export function startTestRelay(api: TestApi, client: Kafka, options: Partial<RelayOptions> = {}): Relay {
  return startRelay({ pool: api.runtime.pool, kafka: client, pollMs: 200, lockRetryMs: 200, topicRecheckMs: 300, sendTimeoutMs: 5000, ...options });
}

/** A lead provider id no other suite uses, with its topic, principal and ACLs made by the provisioning command. */
export async function provisionedLeadProvider(kafka: TestKafka, prefix = 'lp') {
  const id = uniqueName(prefix);
  const provisioned = await provisionLeadProvider(kafka, id);
  return { id, ...provisioned };
}

/**
 * Every record in the topic now (up to each partition's high watermark), read as the administrator. Feed topics
 * keep every record for min.compaction.lag.ms (a week, see provisioning), so each offset must be seen; an attempt
 * that crashed before (e.g. "coordinator is loading" on a fresh broker) is repeated with a new client and group.
 */
export async function readTopic(kafka: TestKafka, topic: string): Promise<FeedRecord[]> {
  const admin = kafka.client().admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = offsets.reduce((n, o) => n + Number(BigInt(o.high) - BigInt(o.low)), 0);
  for (let attempt = 1; ; attempt++) {
    const got = await readTopicOnce(kafka, topic, offsets);
    if (new Set(got.map((r) => `${r.partition}/${r.offset}`)).size === expected) return got;
    if (attempt === 5) throw new Error(`could not read all ${expected} records of ${topic} (got ${got.length})`);
  }
}

async function readTopicOnce(kafka: TestKafka, topic: string, offsets: { partition: number; high: string; low: string }[]): Promise<FeedRecord[]> {
  const remaining = new Map(offsets.filter((o) => o.high !== o.low).map((o) => [o.partition, BigInt(o.high)]));
  const got: FeedRecord[] = [];
  if (remaining.size === 0) return got;
  let invalid: unknown = null;
  const consumer = kafka.client().consumer({ groupId: uniqueName('read-all'), retry: { retries: 5, restartOnFailure: async () => false } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, () => resolve());
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            try {
              got.push(decode(partition, message));
            } catch (error) {
              invalid = error;
              resolve();
            }
            if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  if (invalid) throw invalid;
  return got.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** Reads the topic until `done(records)` holds (the relay sends in the background), or fails after the timeout. */
export async function waitForTopic(kafka: TestKafka, topic: string, done: (records: FeedRecord[]) => boolean, timeoutMs = 60000): Promise<FeedRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await readTopic(kafka, topic);
    if (done(records)) return records;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${topic}; it holds:\n${records.map((r) => `${r.key} ${r.headers['event-id']} ${JSON.stringify(r.value)}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The latest value per key, as a compacted topic converges to (tombstones remove the key). */
export function latestByKey(records: FeedRecord[]): Map<string, any> {
  const latest = new Map<string, any>();
  for (const r of records) {
    if (r.value === null) latest.delete(r.key!);
    else latest.set(r.key!, r.value);
  }
  return latest;
}

/** Outbox rows of the suite's database, in queue order. */
export async function outboxRows(api: TestApi, where = 'true'): Promise<{ id: string; topic: string; key: string; value: string | null; event_id: string; sent_at: Date | null }[]> {
  const { rows } = await api.runtime.pool.query(`select id, topic, key, value, event_id, sent_at from feeds.outbox where ${where} order by id`);
  return rows;
}
