import { logLevel, type Kafka } from 'kafkajs';
import { kafkaClient } from '../../scripts/kafka';
import type { SaslCredentials, TestKafka } from '../support/kafka';

/** The Kafka error type (e.g. TOPIC_AUTHORIZATION_FAILED) behind a kafkajs error (see test/kafka/broker.int.spec.ts). */
interface KafkaJsError {
  type?: string;
  name?: string;
  message?: string;
  cause?: KafkaJsError;
}

function errorTypeOfMessage(message: string): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: { type: string; message: string }[] };
  return errorCodes.find((c) => c.message === message)?.type;
}

function errorType(e: KafkaJsError | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type) return e.type;
  if (e.cause) return errorType(e.cause);
  return errorTypeOfMessage(e.message ?? '') ?? `${e.name}: ${e.message}`;
}

/**
 * The error a consumer of `topic` in group `groupId` runs into, or undefined when it joins. A refused FindCoordinator
 * surfaces in kafkajs as KafkaJSGroupCoordinatorNotFound; the broker's answer is then taken from kafkajs's log. The
 * consumer never restarts itself (a restart scheduled inside kafkajs could outlive the test); a transient failure
 * (e.g. a coordinator still loading) is tried again with a new client.
 */
export async function consumeError(kafka: TestKafka, credentials: SaslCredentials, topic: string, groupId: string): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    const error = await consumeOnce(kafka, credentials, topic, groupId);
    if (error === undefined || /AUTHORIZATION_FAILED/.test(error) || attempt === 5) return error;
  }
}

async function consumeOnce(kafka: TestKafka, credentials: SaslCredentials, topic: string, groupId: string): Promise<string | undefined> {
  const coordinatorErrors: string[] = [];
  const client = kafkaClient(kafka, {
    credentials,
    retries: 2,
    logLevel: logLevel.ERROR,
    logCreator: () => ({ log }) => {
      const { message, error } = log as { message?: string; error?: unknown };
      if (/^Response (GroupCoordinator|FindCoordinator)/.test(message ?? '') && typeof error === 'string') coordinatorErrors.push(errorTypeOfMessage(error) ?? error);
    },
  });
  const consumer = client.consumer({ groupId, retry: { retries: 2, restartOnFailure: async () => false } });
  let failure: KafkaJsError | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    failure = await new Promise((resolve) => {
      consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error as KafkaJsError));
      consumer.on(consumer.events.GROUP_JOIN, () => resolve(undefined));
      consumer.run({ eachMessage: async () => undefined }).catch((e: KafkaJsError) => resolve(e));
    });
  } catch (e) {
    failure = e as KafkaJsError;
  } finally {
    // Stop the fetch loop first: a heartbeat of a batch in flight must not outlive the test.
    await consumer.stop().catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
  }
  if (failure?.name === 'KafkaJSGroupCoordinatorNotFound' && coordinatorErrors.length > 0) return coordinatorErrors[0];
  return errorType(failure);
}

/** The error a plain producer sending to `topic` runs into, or undefined when the broker takes the message. */
export async function produceError(client: Kafka, topic: string): Promise<string | undefined> {
  const producer = client.producer({ retry: { retries: 0 } });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: '100000', value: 'x' }] });
    return undefined;
  } catch (e) {
    return errorType(e as KafkaJsError);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
