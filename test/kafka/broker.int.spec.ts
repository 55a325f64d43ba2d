/**
 * The project's Kafka broker, for real: KRaft, SASL/SCRAM-SHA-512 and ACLs (StandardAuthorizer, deny by default),
 * driven by kafkajs, the client the service uses. One broker for the whole file, started by this file (it restarts it).
 * With KAFKA_BROKERS set the same tests run against that cluster, except those that need to stop the broker.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  logLevel,
  ResourcePatternTypes,
  type AclEntry,
  type Kafka,
  type KafkaMessage,
} from 'kafkajs';
import { canAuthenticate, kafkaClient } from '../../scripts/kafka';
import { startTestKafka, uniqueName, type SaslCredentials, type TestKafka } from '../support/kafka';

jest.setTimeout(120000);

let kafka: TestKafka;

beforeAll(async () => {
  // This suite tests the broker the project runs (security settings, compaction, restart): always a local one.
  kafka = await startTestKafka({ local: true });
}, 300000);

afterAll(async () => {
  await kafka?.stop();
});


const topicOf = (leadProviderId: string) => `ect-register.lead-provider.${leadProviderId}.contacts.v1`;
const groupPrefixOf = (leadProviderId: string) => `ect-register.lead-provider.${leadProviderId}.`;

async function createTopic(topic: string, configEntries: { name: string; value: string }[] = [{ name: 'cleanup.policy', value: 'compact' }]) {
  const admin = kafka.client().admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries }] });
  } finally {
    await admin.disconnect();
  }
}

interface Received {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  offset: string;
}

function decode(m: KafkaMessage): Received {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = String(v);
  return { key: m.key?.toString() ?? null, value: m.value?.toString() ?? null, headers, offset: m.offset };
}

/** Consumes `count` messages from the beginning of the topic in consumer group `groupId`, committing as it goes. */
async function consume(client: Kafka, topic: string, groupId: string, count: number): Promise<Received[]> {
  const consumer = client.consumer({ groupId, retry: { retries: 2 } });
  const got: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      // A retriable crash (the offsets topic still loading after a start) restarts the consumer.
      consumer.on(consumer.events.CRASH, (e) => e.payload.restart || reject(e.payload.error));
      consumer
        .run({
          eachMessage: async ({ message }) => {
            got.push(decode(message));
            if (got.length >= count) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Everything in the topic now (up to its high watermark), read by a throwaway consumer group. */
async function readAll(topic: string): Promise<Received[]> {
  const admin = kafka.client().admin();
  await admin.connect();
  const [{ high, low }] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const consumer = kafka.client().consumer({ groupId: uniqueName('read-all') });
  const got: Received[] = [];
  if (high === low) return got;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (e) => e.payload.restart || reject(e.payload.error));
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            got.push(decode(message));
            if (BigInt(message.offset) + 1n >= BigInt(high)) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

interface KafkaJsError {
  type?: string;
  name?: string;
  message?: string;
  cause?: KafkaJsError;
}

/**
 * The Kafka error type (e.g. TOPIC_AUTHORIZATION_FAILED) of a kafkajs error. kafkajs's retrier wraps the protocol
 * error in a KafkaJSNonRetriableError that keeps only its message, so that is mapped back through kafkajs's table.
 */
function errorType(e: KafkaJsError | undefined): string | undefined {
  if (!e) return undefined;
  if (e.type) return e.type;
  if (e.cause) return errorType(e.cause);
  return errorTypeOfMessage(e.message ?? '') ?? `${e.name}: ${e.message}`;
}

function errorTypeOfMessage(message: string): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: { type: string; message: string }[] };
  return errorCodes.find((c) => c.message === message)?.type;
}

/**
 * The Kafka error type a consumer of `topic` in group `groupId` runs into (subscribing or joining), or undefined.
 * kafkajs reports a refused FindCoordinator as KafkaJSGroupCoordinatorNotFound; the broker's answer (e.g.
 * GROUP_AUTHORIZATION_FAILED) is then taken from the response error kafkajs logs.
 */
async function consumeError(credentials: SaslCredentials, topic: string, groupId: string): Promise<string | undefined> {
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
  const failure = await consumeFailure(client, topic, groupId);
  if (failure?.name === 'KafkaJSGroupCoordinatorNotFound' && coordinatorErrors.length > 0) return coordinatorErrors[0];
  return errorType(failure);
}

async function consumeFailure(client: Kafka, topic: string, groupId: string): Promise<KafkaJsError | undefined> {
  // Authorization errors are not retriable; a retriable crash (a coordinator still loading) restarts the consumer.
  // KafkaJSGroupCoordinatorNotFound counts as retriable for kafkajs, but it only comes from a refused FindCoordinator.
  const consumer = client.consumer({ groupId, retry: { retries: 2, restartOnFailure: async (e: Error) => e.name !== 'KafkaJSGroupCoordinatorNotFound' } });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise((resolve) => {
      consumer.on(consumer.events.CRASH, (e) => e.payload.restart || resolve(e.payload.error as KafkaJsError));
      consumer.on(consumer.events.GROUP_JOIN, () => resolve(undefined));
      consumer.run({ eachMessage: async () => undefined }).catch((e: KafkaJsError) => resolve(e));
    });
  } catch (e) {
    return e as KafkaJsError;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

/** The Kafka error type a producer sending to `topic` runs into, or undefined. */
async function produceError(client: Kafka, topic: string, idempotent: boolean): Promise<string | undefined> {
  return errorType(await produceFailure(client, topic, idempotent));
}

async function produceFailure(client: Kafka, topic: string, idempotent: boolean): Promise<KafkaJsError | undefined> {
  // An idempotent kafkajs producer insists on retries.
  const producer = client.producer({ idempotent, maxInFlightRequests: idempotent ? 1 : undefined, retry: { retries: idempotent ? 1 : 0 } });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'v' }] });
    return undefined;
  } catch (e) {
    return e as KafkaJsError;
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

function leadProviderAcls(principal: string, leadProviderId: string): AclEntry[] {
  const base = { principal: `User:${principal}`, host: '*', permissionType: AclPermissionTypes.ALLOW };
  return [
    { ...base, resourceType: AclResourceTypes.TOPIC, resourceName: topicOf(leadProviderId), resourcePatternType: ResourcePatternTypes.LITERAL, operation: AclOperationTypes.READ },
    { ...base, resourceType: AclResourceTypes.TOPIC, resourceName: topicOf(leadProviderId), resourcePatternType: ResourcePatternTypes.LITERAL, operation: AclOperationTypes.WRITE },
    { ...base, resourceType: AclResourceTypes.GROUP, resourceName: groupPrefixOf(leadProviderId), resourcePatternType: ResourcePatternTypes.PREFIXED, operation: AclOperationTypes.READ },
  ];
}

describe('SCRAM authentication', () => {
  it('given the admin credentials, when a client connects, then it is authenticated and sees the one-node cluster', async () => {
    const admin = kafka.client().admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();

    expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
    if (kafka.local) {
      expect(cluster.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: Number(kafka.brokers[0].split(':')[1]) }]);
      expect(kafka.local.version).toMatch(/^4\./);
    }
  });

  it('given a wrong password, when the admin connects, then SASL authentication fails', async () => {
    const wrong: SaslCredentials = { ...kafka.sasl, password: `${kafka.sasl.password}x` };
    const admin = kafkaClient(kafka, { credentials: wrong, retries: 0 }).admin();

    await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await admin.disconnect().catch(() => undefined);
    expect(await canAuthenticate(kafka, wrong)).toBe(false);
  });

  it('given an unknown principal, when it connects, then SASL authentication fails', async () => {
    expect(await canAuthenticate(kafka, { mechanism: 'scram-sha-512', username: uniqueName('nobody'), password: 'whatever-password' })).toBe(false);
  });
});

describe('kafkajs against the broker', () => {
  it('given a topic created with cleanup.policy=compact, when its config is described, then it is compacted', async () => {
    const topic = topicOf(uniqueName('compact'));
    await createTopic(topic);

    const admin = kafka.client().admin();
    await admin.connect();
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] });
    await admin.disconnect();

    expect(described.resources[0].configEntries).toEqual([expect.objectContaining({ configName: 'cleanup.policy', configValue: 'compact' })]);
  });

  it('given an idempotent producer with acks=all, when it sends keyed messages with headers and a tombstone, then a consumer group receives them in order and commits its offsets', async () => {
    const topic = topicOf(uniqueName('roundtrip'));
    await createTopic(topic);
    const producer = kafka.client().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: '100001', value: JSON.stringify({ v: 1 }), headers: { 'event-id': 'e1', 'global-position': '1', 'schema-version': '1' } },
        { key: '100002', value: JSON.stringify({ v: 2 }), headers: { 'event-id': 'e2', 'global-position': '2', 'schema-version': '1' } },
        { key: '100001', value: null, headers: { 'event-id': 'e3', 'global-position': '3', 'schema-version': '1' } },
      ],
    });
    await producer.disconnect();
    expect(sent).toEqual([expect.objectContaining({ topicName: topic, errorCode: 0, baseOffset: '0' })]);

    const groupId = uniqueName('roundtrip-group');
    const got = await consume(kafka.client(), topic, groupId, 3);

    expect(got).toEqual([
      { key: '100001', value: '{"v":1}', headers: { 'event-id': 'e1', 'global-position': '1', 'schema-version': '1' }, offset: '0' },
      { key: '100002', value: '{"v":2}', headers: { 'event-id': 'e2', 'global-position': '2', 'schema-version': '1' }, offset: '1' },
      { key: '100001', value: null, headers: { 'event-id': 'e3', 'global-position': '3', 'schema-version': '1' }, offset: '2' },
    ]);
    const admin = kafka.client().admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    expect(offsets).toEqual([{ topic, partitions: [expect.objectContaining({ partition: 0, offset: '3' })] }]);
  });

  it('given a compacted topic, when a key is overwritten and its segment rolls, then the log cleaner keeps only the latest value of the key', async () => {
    const topic = topicOf(uniqueName('cleaner'));
    await createTopic(topic, [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'segment.ms', value: '100' },
      { name: 'min.cleanable.dirty.ratio', value: '0.01' },
      { name: 'min.compaction.lag.ms', value: '0' },
    ]);
    const producer = kafka.client().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'a', value: 'a1' }, { key: 'b', value: 'b1' }, { key: 'a', value: 'a2' }] });
    await new Promise((r) => setTimeout(r, 300));
    // Appending after segment.ms rolls the segment, so the first one can be cleaned.
    await producer.send({ topic, acks: -1, messages: [{ key: 'c', value: 'c1' }] });

    let values: string[] = [];
    const deadline = Date.now() + 60000;
    do {
      await new Promise((r) => setTimeout(r, 1000));
      values = (await readAll(topic)).map((m) => `${m.key}=${m.value}`);
    } while (values.includes('a=a1') && Date.now() < deadline);
    await producer.disconnect();

    expect(values).toEqual(['b=b1', 'a=a2', 'c=c1']);
  }, 90000);
});

describe('principals and ACLs', () => {
  const leadProviderA = uniqueName('lpa');
  const leadProviderB = uniqueName('lpb');
  let principalA: SaslCredentials;

  beforeAll(async () => {
    await createTopic(topicOf(leadProviderA));
    await createTopic(topicOf(leadProviderB));
    principalA = await kafka.createScramUser(`lead-provider-${leadProviderA}`);
  });

  it('given a principal with no ACLs, when it produces or consumes its topic, then the broker refuses it', async () => {
    const client = kafkaClient(kafka, { credentials: principalA, retries: 0 });
    const topic = topicOf(leadProviderA);

    expect(await canAuthenticate(kafka, principalA)).toBe(true);
    expect(await produceError(client, topic, false)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceError(client, topic, true)).toBe('CLUSTER_AUTHORIZATION_FAILED');
    expect(await consumeError(principalA, topic, `${groupPrefixOf(leadProviderA)}feed`)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('given READ and WRITE ACLs on its own topic and READ on its group prefix, when it produces and consumes, then it can, and still not on another provider\'s topic or groups', async () => {
    await kafka.createAcls(leadProviderAcls(principalA.username, leadProviderA));
    const client = kafkaClient(kafka, { credentials: principalA, retries: 2 });
    const topic = topicOf(leadProviderA);

    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: '123456', value: 'snapshot' }] });
    await producer.disconnect();
    const got = await consume(client, topic, `${groupPrefixOf(leadProviderA)}feed`, 1);
    expect(got.map((m) => [m.key, m.value])).toEqual([['123456', 'snapshot']]);

    const strict = kafkaClient(kafka, { credentials: principalA, retries: 0 });
    expect(await consumeError(principalA, topicOf(leadProviderB), `${groupPrefixOf(leadProviderA)}other`)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceError(strict, topicOf(leadProviderB), false)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await consumeError(principalA, topic, `${groupPrefixOf(leadProviderB)}feed`)).toBe('GROUP_AUTHORIZATION_FAILED');
  });
});

describe('restart', () => {
  it('given a broker holding topics, messages, committed offsets, principals and ACLs, when it is stopped and started again on the same data dir, then it keeps them all', async () => {
    const local = kafka.local!;
    const leadProvider = uniqueName('lpr');
    const topic = topicOf(leadProvider);
    await createTopic(topic);
    const principal = await kafka.createScramUser(`lead-provider-${leadProvider}`);
    await kafka.createAcls(leadProviderAcls(principal.username, leadProvider));
    const producer = kafka.client().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: '1', value: 'one' }, { key: '2', value: 'two' }] });
    await producer.disconnect();
    const groupId = `${groupPrefixOf(leadProvider)}feed`;
    await consume(kafkaClient(kafka, { credentials: principal }), topic, groupId, 2);

    await local.stop();
    expect(local.running()).toBe(false);
    expect(await canAuthenticate(kafka, kafka.sasl)).toBe(false);
    await local.start();

    expect(local.running()).toBe(true);
    expect(await canAuthenticate(kafka, principal)).toBe(true);
    const client = kafkaClient(kafka, { credentials: principal, retries: 2 });
    const producer2 = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer2.connect();
    await producer2.send({ topic, acks: -1, messages: [{ key: '3', value: 'three' }] });
    await producer2.disconnect();
    // The group resumes after its committed offset: only the message sent after the restart.
    const resumed = await consume(client, topic, groupId, 1);
    expect(resumed.map((m) => [m.key, m.value, m.offset])).toEqual([['3', 'three', '2']]);
    expect((await readAll(topic)).map((m) => m.value)).toEqual(['one', 'two', 'three']);
  }, 180000);
});
