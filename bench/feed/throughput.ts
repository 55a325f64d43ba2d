import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { prefixWithin, startRelay, topicMessages, unsentCount } from '@ect/feeds';

/** The relay's default byte cap per batch; the raw producer's batches are cut the same way. */
const MAX_BATCH_BYTES = 512 * 1024;

/**
 * Relay throughput against the floor: a raw kafkajs producer with the relay's settings (idempotent, one request in
 * flight, acks=-1) sending the same records in the same batches, records already in memory. Each run gets fresh
 * topics, so neither contender writes behind the other's data.
 */
export interface FeedRecord {
  key: string;
  value: string;
  eventId: string;
  position: string;
}

/** `count` snapshot-sized records over `schools` keys (a realistic snapshot: 25 users, 6 ECTs, 3 mentors). */
export function records(count: number, schools: number): FeedRecord[] {
  const person = (i: number) => ({ name: `Person ${i} Surname`, email: `person.${i}@school-${i % 97}.example.org` });
  const teacher = (i: number) => ({ trn: String(1000000 + i), name: `Teacher ${i}`, startDate: '2026-09-01', leavingOn: null, registeredBy: person(i) });
  return Array.from({ length: count }, (_, i) => {
    const urn = String(100000 + (i % schools));
    const snapshot = {
      schemaVersion: 1, leadProviderId: 'bench', contractPeriod: 2026, deliveryPartnerId: 'dp-1', school: { urn, name: `School ${urn}` },
      contact: { source: 'induction_tutor', name: 'Sita Tutor', email: `sit@${urn}.example.org` },
      schoolUsers: Array.from({ length: 25 }, (_, j) => person(i + j)), ects: Array.from({ length: 6 }, (_, j) => teacher(i + j)), mentors: Array.from({ length: 3 }, (_, j) => teacher(i + 50 + j)),
    };
    return { key: urn, value: JSON.stringify(snapshot), eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, position: String(i + 1) };
  });
}

export async function createTopic(admin: Kafka, topic: string): Promise<void> {
  const client = admin.admin();
  await client.connect();
  await client.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
  await client.disconnect();
}

/** Seconds for the raw producer to send every record, in the relay's batches (count and bytes), one request at a time. */
export async function rawSend(kafka: Kafka, topic: string, all: FeedRecord[], batchSize: number): Promise<{ seconds: number; batches: number }> {
  const rows = all.map((r) => ({ id: '', topic, key: r.key, value: r.value, event_id: r.eventId, position: r.position, schema_version: 1 }));
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  let batches = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows.length; ) {
    const batch = prefixWithin(rows.slice(i, i + batchSize), MAX_BATCH_BYTES);
    await producer.sendBatch({ acks: -1, topicMessages: topicMessages(batch) });
    i += batch.length;
    batches++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return { seconds, batches };
}

/** Seconds for the relay to publish every record from the outbox (rows queued before it starts; it reads, sends, marks). */
export async function relaySend(pool: Pool, kafka: Kafka, topic: string, all: FeedRecord[], batchSize: number): Promise<number> {
  await pool.query('truncate feeds.outbox; update feeds.relay_state set send_started_at = null');
  for (let i = 0; i < all.length; i += 1000) {
    const chunk = all.slice(i, i + 1000);
    await pool.query(
      `insert into feeds.outbox (topic, key, value, event_id, position, schema_version)
       select $1, k, v, e, p::bigint, 1 from unnest($2::text[], $3::text[], $4::text[], $5::text[]) as t(k, v, e, p)`,
      [topic, chunk.map((r) => r.key), chunk.map((r) => r.value), chunk.map((r) => r.eventId), chunk.map((r) => r.position)],
    );
  }
  await pool.query('vacuum analyze feeds.outbox');
  const started = process.hrtime.bigint();
  const relay = startRelay({ pool, kafka, batchSize, pollMs: 1000 });
  // Done when the relay counts every row acknowledged and marked (its own counter: no extra queries competing).
  while (relay.health().sent < all.length) await new Promise((r) => setTimeout(r, 5));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await relay.stop();
  if ((await unsentCount((sql, params) => pool.query(sql, params))) !== 0) throw new Error('the relay left rows unsent');
  return seconds;
}
