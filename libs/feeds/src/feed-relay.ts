import type { Pool } from 'pg';
import type { AppConfig } from '@ect/platform';
import { openFeedKafka } from './feed-kafka';
import { relayOff, startRelay, type Relay } from './relay';

export interface FeedRelay {
  relay: Relay;
  notices: string[];
  /** Stops the relay, then the local broker if this process started it. */
  stop(): Promise<void>;
}

/**
 * What a process that runs projections starts for the contact feeds: the relay on the configured Kafka, or an
 * "off" relay for /health when there is none (the outbox then accumulates, and drains once Kafka is configured).
 */
export async function startFeedRelay(config: Pick<AppConfig, 'kafka' | 'dataDir'>, pool: Pool, log: (line: string) => void): Promise<FeedRelay> {
  const feedKafka = await openFeedKafka(config, log);
  if (!feedKafka) {
    const relay = relayOff('no Kafka configured (set KAFKA=local or KAFKA_BROKERS): feed messages wait in the outbox');
    return { relay, notices: ['Contact feeds: no Kafka configured, the relay is off and feed messages wait in the outbox'], stop: relay.stop };
  }
  const relay = startRelay({ pool, kafka: feedKafka.kafka, log });
  return {
    relay,
    notices: feedKafka.notices,
    async stop() {
      await relay.stop();
      await feedKafka.stop();
    },
  };
}
