import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { KafkaCommandProcessor } from './kafka-commands.processor';
import { COMMANDS_TOPIC, principalOfCommandTopic, replyTopicOf } from './kafka-commands.topics';

/**
 * Kafka adapter of the commands: one reply per delivered message, on the sender's reply topic. Nest's built-in
 * request-response is not used because it replies to the topic the message names (`kafka_replyTopic`); here the
 * reply topic follows from the command topic, so no sender can route replies elsewhere. The headers Nest's
 * ClientKafka matches on (`kafka_correlationId`, `kafka_replyPartition`) are honoured, so it works as a sender too.
 *
 * Delivery: the offset is committed only after the reply was written (kafkajs commits once this handler resolves).
 * If the reply cannot be written the handler fails, kafkajs delivers the message again, and the idempotency key
 * replays the first result: at least one reply per message, and a command's events at most once.
 */
@Controller()
export class KafkaCommandsController {
  constructor(private readonly processor: KafkaCommandProcessor) {}

  @EventPattern(COMMANDS_TOPIC)
  async handle(@Ctx() context: KafkaContext): Promise<void> {
    const topic = context.getTopic();
    const principal = principalOfCommandTopic(topic);
    if (!principal) throw new Error(`${topic} is not a command topic`); // the server subscribes to command topics only
    const message = context.getMessage();
    const headers = stringHeaders(message.headers);
    const instance = `kafka:${topic}/${context.getPartition()}/${message.offset}`;
    const { reply, headers: replyHeaders } = await this.processor.process({ principal, value: asBuffer(message.value), headers, instance });

    const partition = /^\d{1,6}$/.test(headers['kafka_replyPartition'] ?? '') ? Number(headers['kafka_replyPartition']) : undefined;
    try {
      await context.getProducer().send({
        topic: replyTopicOf(principal),
        acks: -1,
        messages: [
          {
            key: typeof message.key === 'string' || Buffer.isBuffer(message.key) ? message.key : null,
            ...(partition === undefined ? {} : { partition }),
            value: JSON.stringify(reply),
            headers: {
              ...replyHeaders,
              'correlation-id': reply.correlationId,
              'request-partition': String(context.getPartition()),
              'request-offset': message.offset,
              // What Nest's ClientKafka matches replies on; the value is never a Nest error (`kafka_nest-err`).
              kafka_correlationId: headers['kafka_correlationId'] ?? reply.correlationId,
              'kafka_nest-is-disposed': Buffer.alloc(1),
            },
          },
        ],
      });
    } catch (error) {
      // A plain Error: kafkajs retries it and restarts the consumer if need be, instead of stopping on a
      // non-retriable Kafka error (e.g. an authorization failure while an ACL is being fixed).
      throw new Error(`The reply to ${instance} could not be written to ${replyTopicOf(principal)}: ${(error as Error)?.message ?? error}`);
    }
  }
}

/** Headers as strings (Nest's parser decodes them; JSON-looking ones come back parsed, binary ones as Buffers). */
function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') result[name] = value;
  }
  return result;
}

function asBuffer(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}
