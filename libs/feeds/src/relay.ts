import type { ClientConfig, Pool } from 'pg';
import type { Kafka, Producer } from 'kafkajs';
import { markSent, unsentCount, unsentRows, type OutboxRow } from './outbox';
import { prefixWithin, relayProducer, sendBatch } from './relay-batch';
import { RelayLease } from './relay-lease';
import { TopicDirectory } from './topic-directory';

export interface RelayOptions {
  pool: Pool;
  /** A kafkajs client as the service's principal (WRITE and DESCRIBE on the feed topics). */
  kafka: Kafka;
  /** Settings for the lock session; the pool's by default. */
  lockConnection?: ClientConfig;
  batchSize?: number;
  /** Largest batch in bytes of keys and values (default 512 KiB): a record batch over the broker's message.max.bytes (1 MiB by default) is refused. */
  maxBatchBytes?: number;
  /** Longest wait for new rows when no notification comes (a fallback: NOTIFY normally wakes the relay). */
  pollMs?: number;
  lockRetryMs?: number;
  /** A send not acknowledged within this is abandoned (the producer is closed) and retried. */
  sendTimeoutMs?: number;
  topicRecheckMs?: number;
  log?: (line: string) => void;
}

export type RelayState = 'off' | 'standby' | 'taking-over' | 'sending' | 'idle' | 'retrying' | 'stopped';

export interface RelayHealth {
  state: RelayState;
  /** Why the relay is off. */
  reason?: string;
  /** Unsent outbox rows at the last count (every few seconds while the relay runs). */
  pending: number | null;
  sent: number;
  lastSentAt: string | null;
  /** Topics with rows waiting because the topic does not exist (not provisioned yet). */
  waitingForTopics: string[];
  lastError: string | null;
}

export interface Relay {
  health(): RelayHealth;
  stop(): Promise<void>;
}

/** What /health shows when no Kafka is configured: the outbox only accumulates. */
export function relayOff(reason: string): Relay {
  return { health: () => ({ state: 'off', reason, pending: null, sent: 0, lastSentAt: null, waitingForTopics: [], lastError: null }), stop: async () => undefined };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes the outbox to Kafka. Guarantees:
 * - One sender at a time: the holder of the relay's advisory lock. A relay taking over first waits until any send the
 *   previous holder started has timed out, so an old batch can never land after a newer one.
 * - Order: rows are sent in outbox order, one batch at a time (idempotent producer, acks=-1, one request in flight),
 *   so each topic (and each key) receives them in the order they were queued.
 * - At least once: rows are marked sent only after the broker acknowledged the whole batch. After a failure or a
 *   crash the same rows are sent again, with the same `event-id` header, for consumers to de-duplicate.
 */
export function startRelay(options: RelayOptions): Relay {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 500;
  const sendTimeoutMs = options.sendTimeoutMs ?? 15000;
  const maxBatchBytes = options.maxBatchBytes ?? 512 * 1024;
  let wake: () => void = () => undefined;
  const lease = new RelayLease(options.lockConnection ?? (options.pool.options as ClientConfig), () => wake());
  const topics = new TopicDirectory(options.kafka, options.topicRecheckMs ?? 5000);
  const health: RelayHealth = { state: 'standby', pending: null, sent: 0, lastSentAt: null, waitingForTopics: [], lastError: null };
  let producer: Producer | null = null;
  let stopping = false;
  let countedAt = 0;

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = () => undefined;
        resolve();
      }
      wake = done;
    });

  async function closeProducer(): Promise<void> {
    const p = producer;
    producer = null;
    await p?.disconnect().catch(() => undefined);
  }

  /** Waits until a send the previous holder may still have in flight has certainly ended (timed out or landed). */
  async function waitOutPredecessor(): Promise<void> {
    health.state = 'taking-over';
    const { rows } = await options.pool.query<{ ms: number }>(
      `select greatest(0, extract(epoch from (send_started_at + make_interval(secs => $1::float / 1000) - now())) * 1000)::int as ms
       from feeds.relay_state where send_started_at is not null`,
      [sendTimeoutMs + 1000],
    );
    if (rows[0]?.ms > 0) {
      log(`feed relay: waiting ${rows[0].ms} ms for the previous holder's last send to end`);
      await sleep(rows[0].ms);
    }
  }

  async function send(rows: OutboxRow[]): Promise<void> {
    if (!producer) {
      producer = relayProducer(options.kafka);
      await producer.connect();
    }
    await sendBatch(producer, rows, sendTimeoutMs);
  }

  /** One batch: true when rows were sent (look again at once), false when there was nothing to send. */
  async function relayOnce(): Promise<boolean> {
    if (Date.now() - countedAt > 5000) {
      health.pending = await unsentCount((sql, params) => options.pool.query(sql, params));
      countedAt = Date.now();
    }
    const waiting = health.waitingForTopics;
    let rows = await unsentRows((sql, params) => options.pool.query(sql, params), batchSize, maxBatchBytes, waiting);
    if (waiting.length > 0 || rows.length > 0) {
      const missing = await topics.missing([...new Set([...waiting, ...rows.map((r) => r.topic)])]);
      for (const t of missing) if (!waiting.includes(t)) log(`feed relay: topic ${t} does not exist; its messages wait until it is provisioned (npm run feeds:provision)`);
      const appeared = waiting.filter((t) => !missing.includes(t));
      health.waitingForTopics = missing;
      if (appeared.length > 0) return true;
      rows = rows.filter((r) => !missing.includes(r.topic));
    }
    rows = prefixWithin(rows, maxBatchBytes);
    if (rows.length === 0) return false;
    if (!(await lease.beforeSend())) return false;
    health.state = 'sending';
    await send(rows);
    await markSent((sql, params) => options.pool.query(sql, params), rows.map((r) => r.id));
    health.sent += rows.length;
    health.lastSentAt = new Date().toISOString();
    health.pending = Math.max(0, (health.pending ?? rows.length) - rows.length);
    return true;
  }

  async function run(): Promise<void> {
    let backoff = 200;
    while (!stopping) {
      if (!lease.isHeld) {
        await closeProducer();
        if (!(await lease.tryAcquire())) {
          health.state = 'standby';
          await nap(options.lockRetryMs ?? 1000);
          continue;
        }
        try {
          await waitOutPredecessor();
        } catch (error) {
          health.lastError = (error as Error).message;
          await lease.release();
          await nap(backoff);
          continue;
        }
        log('feed relay: holding the relay lock; sending the outbox');
      }
      try {
        const more = await relayOnce();
        backoff = 200;
        if (!more) {
          health.state = 'idle';
          await nap(options.pollMs ?? 1000);
        }
      } catch (error) {
        health.state = 'retrying';
        health.lastError = `${new Date().toISOString()} ${(error as Error).message}`;
        log(`feed relay: ${(error as Error).message}; retrying in ${backoff} ms`);
        // A new producer (new producer id) after a failure: the rows go again, with the same event ids.
        await closeProducer();
        topics.forget();
        await nap(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  const loop = run();
  return {
    health: () => ({ ...health, waitingForTopics: [...health.waitingForTopics] }),
    async stop() {
      stopping = true;
      wake();
      await closeProducer();
      await loop.catch(() => undefined);
      await closeProducer();
      await topics.close();
      await lease.release();
      health.state = 'stopped';
    },
  };
}
