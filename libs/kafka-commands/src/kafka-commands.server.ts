import { ServerKafka } from '@nestjs/microservices';
import { logLevel, Partitioners } from 'kafkajs';
import type { KafkaCommandsOptions } from './kafka-commands.config';
import { commandTopicOf, COMMANDS_TOPIC, principalOfCommandTopic, replyTopicOf } from './kafka-commands.topics';

type Consumer = Parameters<ServerKafka['bindEvents']>[0];
type SaslOptions = NonNullable<NonNullable<ConstructorParameters<typeof ServerKafka>[0]['client']>['sasl']>;

/**
 * Nest's Kafka transport, consuming the command topics of the configured senders (one per principal) and handing
 * each to the `@EventPattern('ect-register.commands.v1')` handler. Values stay bytes (`keepBinary`), so a message
 * that is not JSON reaches the handler as it is and gets a problem reply.
 *
 * A new consumer group starts from the earliest offset: commands sent before the first API process started are
 * served, not skipped (their idempotency keys make a repeat harmless).
 */
export class KafkaCommandServer extends ServerKafka {
  private readonly senders: string[];

  constructor(options: KafkaCommandsOptions) {
    const { connection } = options;
    super({
      client: {
        clientId: options.clientId ?? 'ect-register-api',
        brokers: connection.brokers,
        ssl: connection.ssl ?? false,
        sasl: { ...connection.sasl } as SaslOptions,
        connectionTimeout: 5000,
        // kafkajs's info lines (joins, starts) are routine; warnings and errors still reach the app's logger.
        logLevel: logLevel.WARN,
      },
      consumer: { groupId: options.groupId, allowAutoTopicCreation: false },
      // Nest appends "-server" to ids by default; the group must be exactly the one the ACLs name.
      postfixId: '',
      parser: { keepBinary: true },
      producer: { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner },
      subscribe: { fromBeginning: true },
    });
    this.senders = Object.keys(options.principalRoles).sort();
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    const topics = this.senders.map(commandTopicOf);
    await this.ensureTopics([...topics, ...this.senders.map(replyTopicOf)]);
    await consumer.subscribe({ ...this.options.subscribe, topics });
    await consumer.run({ ...this.options.run, eachMessage: this.getMessageHandler() });
  }

  /** Every sender's topic goes to the one handler; it learns the sender from the topic. */
  override getHandlerByPattern(pattern: string) {
    return super.getHandlerByPattern(principalOfCommandTopic(pattern) ? COMMANDS_TOPIC : pattern);
  }

  /** Creates missing command and reply topics (broker defaults for partitions and replicas), or says what to do. */
  private async ensureTopics(topics: string[]): Promise<void> {
    const admin = this.client!.admin();
    await admin.connect();
    let missing: string[] = [];
    try {
      const existing = new Set(await admin.listTopics());
      missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic })) });
    } catch (error) {
      throw new Error(
        `Kafka topics ${missing.join(', ')} are missing and could not be created (${(error as Error)?.message ?? error}): ` +
          `create them, or grant the API's principal CREATE on the prefix ${COMMANDS_TOPIC}. (README: Commands over Kafka)`,
      );
    } finally {
      await admin.disconnect();
    }
  }
}
