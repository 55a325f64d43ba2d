/**
 * Who may do what on the feed topics, as `npm run feeds:provision` sets it up (the command runs as a process of its
 * own against the run's real broker, with administrator credentials from KAFKA_ADMIN_SASL_*).
 */
import { ConfigResourceTypes } from 'kafkajs';
import { consumerGroupPrefix, contactTopic } from '@ect/feeds';
import { canAuthenticate, kafkaClient } from '../../scripts/kafka';
import { startTestKafka, uniqueName, type SaslCredentials, type TestKafka } from '../support/kafka';
import { startNode } from '../support/processes';
import { consumeError, produceError } from './kafka-errors';

jest.setTimeout(180000);

let kafka: TestKafka;
beforeAll(async () => {
  kafka = await startTestKafka();
});
afterAll(() => kafka?.stop());

/** Runs the provisioning command; resolves with its exit code and output. */
async function provision(...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = startNode('node_modules/tsx/dist/cli.mjs', {
    KAFKA: undefined, KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_ADMIN_SASL_USERNAME: kafka.sasl.username, KAFKA_ADMIN_SASL_PASSWORD: kafka.sasl.password,
    KAFKA_SASL_MECHANISM: kafka.sasl.mechanism,
  }, ['scripts/feeds-provision.ts', ...args]);
  const code = await child.exited;
  return { code, output: child.output() };
}

function printedCredentials(output: string, variable: 'LP_KAFKA' | 'KAFKA_SASL'): SaslCredentials {
  const username = new RegExp(`${variable === 'LP_KAFKA' ? 'LP_KAFKA_USERNAME' : 'KAFKA_SASL_USERNAME'}=(\\S+)`).exec(output)?.[1];
  const password = new RegExp(`${variable === 'LP_KAFKA' ? 'LP_KAFKA_PASSWORD' : 'KAFKA_SASL_PASSWORD'}=(\\S+)`).exec(output)?.[1];
  if (!username || !password) throw new Error(`no credentials printed:\n${output}`);
  return { mechanism: 'scram-sha-512', username, password };
}

describe('given lead providers A and B provisioned by the command', () => {
  const a = uniqueName('lpa');
  const b = uniqueName('lpb');
  let principalA: SaslCredentials;

  beforeAll(async () => {
    const provisionedA = await provision(a, '--partitions', '2');
    expect(provisionedA.code).toBe(0);
    expect((await provision(b)).code).toBe(0);
    principalA = printedCredentials(provisionedA.output, 'LP_KAFKA');
    const producer = kafka.client().producer();
    await producer.connect();
    await producer.send({ topic: contactTopic(a), messages: [{ key: '100001', value: '{}' }] });
    await producer.send({ topic: contactTopic(b), messages: [{ key: '100002', value: '{}' }] });
    await producer.disconnect();
  });

  it('then A\'s topic is compacted (every version kept a week) with the partitions asked for, and A\'s principal is lead-provider-<id>', async () => {
    const admin = kafka.client().admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [contactTopic(a)] });
    const config = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: contactTopic(a), configNames: ['cleanup.policy', 'min.compaction.lag.ms', 'max.compaction.lag.ms', 'delete.retention.ms'] }] });
    await admin.disconnect();

    expect(metadata.topics[0].partitions).toHaveLength(2);
    expect(Object.fromEntries(config.resources[0].configEntries.map((e) => [e.configName, e.configValue]))).toEqual({
      'cleanup.policy': 'compact', 'min.compaction.lag.ms': '604800000', 'max.compaction.lag.ms': '691200000', 'delete.retention.ms': '604800000',
    });
    expect(principalA.username).toBe(`lead-provider-${a}`);
  });

  it('when A consumes its own topic in a group under its prefix, then it can', async () => {
    expect(await consumeError(kafka, principalA, contactTopic(a), `${consumerGroupPrefix(a)}copy`)).toBeUndefined();
  });

  it('when A reads B\'s topic, joins B\'s consumer groups, or writes any topic, then the broker refuses it', async () => {
    expect(await consumeError(kafka, principalA, contactTopic(b), `${consumerGroupPrefix(a)}copy`)).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await consumeError(kafka, principalA, contactTopic(a), `${consumerGroupPrefix(b)}copy`)).toBe('GROUP_AUTHORIZATION_FAILED');
    expect(await consumeError(kafka, principalA, contactTopic(a), 'some-other-group')).toBe('GROUP_AUTHORIZATION_FAILED');
    const asA = kafkaClient(kafka, { credentials: principalA, retries: 0 });
    expect(await produceError(asA, contactTopic(a))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await produceError(asA, contactTopic(b))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('when A lists topics, then it sees only its own', async () => {
    const admin = kafkaClient(kafka, { credentials: principalA }).admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();

    expect(topics).toEqual([contactTopic(a)]);
  });

  it('when the command runs again for A, then the topic stays and A gets the new password it was given', async () => {
    const again = await provision(a, '--password', 'a-new-password-1234');

    expect(again.code).toBe(0);
    expect(again.output).toContain('already there, left as it is (compacted, 2 partitions)');
    expect(printedCredentials(again.output, 'LP_KAFKA').password).toBe('a-new-password-1234');
    expect(await canAuthenticate(kafka, { ...principalA, password: 'a-new-password-1234' })).toBe(true);
    expect(await canAuthenticate(kafka, principalA)).toBe(false);
  });
});

describe('the service principal (--service)', () => {
  it('may write every feed topic, and neither read them nor write anything else', async () => {
    const lp = uniqueName('lps');
    expect((await provision(lp)).code).toBe(0);
    const result = await provision('--service', '--password', `svc-${uniqueName('pw')}`);
    expect(result.code).toBe(0);
    const service = printedCredentials(result.output, 'KAFKA_SASL');
    const asService = kafkaClient(kafka, { credentials: service, retries: 0 });

    expect(await produceError(asService, contactTopic(lp))).toBeUndefined();
    expect(await consumeError(kafka, service, contactTopic(lp), `${consumerGroupPrefix(lp)}copy`)).toMatch(/AUTHORIZATION_FAILED/);
    expect(await produceError(asService, `not-a-feed-${lp}`)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });
});

describe('a lead provider id with a dot', () => {
  it('is refused: its prefix could cover another provider\'s groups', async () => {
    const refused = await provision('lp.x');

    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/cannot have a feed/);
  });
});
