import type { Kafka, Message, Producer } from 'kafkajs';
import type { OutboxRow } from './outbox';

/**
 * The relay's producer: idempotent with one request in flight, so the broker never reorders or duplicates what one
 * producer session sends, even when kafkajs retries; retries go on (quickly) until the send's own timeout.
 */
export function relayProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2000 },
  });
}

/** The longest prefix of `rows` within `maxBytes` of keys and values (at least one row, whatever its size): order is kept. */
export function prefixWithin<T extends { key: string; value: string | null }>(rows: T[], maxBytes: number): T[] {
  let bytes = 0;
  const end = rows.findIndex((r) => (bytes += Buffer.byteLength(r.key) + (r.value === null ? 0 : Buffer.byteLength(r.value))) > maxBytes);
  return end === -1 ? rows : rows.slice(0, Math.max(1, end));
}

/** The rows as Kafka messages per topic, in order, with the feed's headers (a tombstone keeps them too). */
export function topicMessages(rows: OutboxRow[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const r of rows) {
    const headers = { 'event-id': r.event_id, position: r.position, 'schema-version': String(r.schema_version), 'content-type': 'application/json' };
    byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), { key: r.key, value: r.value, headers }]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** One request with acks=-1: resolves once every replica in sync has the batch; rejects after `timeoutMs`. */
export async function sendBatch(producer: Producer, rows: OutboxRow[], timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      producer.sendBatch({ acks: -1, topicMessages: topicMessages(rows) }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no acknowledgement within ${timeoutMs} ms`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
