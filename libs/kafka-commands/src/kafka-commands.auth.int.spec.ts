import { randomUUID } from 'node:crypto';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry, type Kafka } from 'kafkajs';
import { ClientKafka } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { startKafkaCommandsApi, type KafkaCommandsHarness } from './kafka-commands.spec-support';
import { commandTopicOf, replyTopicOf } from './kafka-commands.topics';

// Who may send what over Kafka, and delivery when a reply cannot be written: the run's real broker (SASL/SCRAM,
// StandardAuthorizer ACLs, deny by default) and a real API on real PostgreSQL.
jest.setTimeout(120000);

let h: KafkaCommandsHarness;
beforeAll(async () => {
  h = await startKafkaCommandsApi({
    senders: { gias: ['reference-data'], identity: ['identity-sync', 'reader'], nest: ['reference-data'], blocked: ['reference-data'] },
  });
}, 300000);
afterAll(() => h?.close());

let counter = 200000 + Math.floor(Math.random() * 700000);
const newUrn = () => String(counter++);
const details = (urn: string) => ({ name: `School ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false });
const recordSchool = (urn: string) => ({ type: 'RecordSchoolDetails', urn, payload: details(urn), idempotencyKey: `k-${randomUUID()}` });
const events = (urn: string) => h.runtime.eventStore.readStream(`school-${urn}`);

/** The Kafka error type (or message) a kafkajs error carries, through kafkajs's wrappers. */
function kafkaError(e: unknown): string {
  const error = e as { type?: string; message?: string; cause?: unknown } | undefined;
  if (!error) return 'none';
  return error.type ?? (error.cause ? kafkaError(error.cause) : String(error.message));
}

async function produceAs(client: Kafka, topic: string): Promise<string> {
  const producer = client.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ value: JSON.stringify(recordSchool(newUrn())) }] });
    return 'none';
  } catch (e) {
    return kafkaError(e);
  } finally {
    await producer.disconnect();
  }
}

async function consumeAs(client: Kafka, groupId: string, topic: string): Promise<string> {
  const consumer = client.consumer({ groupId, retry: { retries: 0, restartOnFailure: async () => false } });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<string>((resolve) => {
      consumer.on(consumer.events.CRASH, (event) => resolve(kafkaError(event.payload.error)));
      consumer.on(consumer.events.GROUP_JOIN, () => resolve('none'));
      consumer.run({ eachMessage: async () => undefined }).catch((e) => resolve(kafkaError(e)));
    });
  } catch (e) {
    return kafkaError(e);
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}

describe('a sender without the role a command needs', () => {
  it('gets FORBIDDEN, before any validation, and nothing is appended', async () => {
    const urn = newUrn();
    const forbidden = await h.senders.identity.request(recordSchool(urn));
    expect(forbidden).toMatchObject({ ok: false, problem: { status: 403, code: 'FORBIDDEN', detail: 'This needs one of the roles: reference-data' } });
    const invalid = await h.senders.identity.request({ type: 'RecordSchoolDetails', urn: 'bad' });
    expect(invalid).toMatchObject({ ok: false, problem: { code: 'FORBIDDEN' } });
    expect(await events(urn)).toEqual([]);
  });
});

describe('a sender claiming another sender\'s roles', () => {
  it('cannot write to another sender\'s command topic, nor read its replies: the broker refuses', async () => {
    const { identity, gias } = h.senders;
    const client = h.kafka.client(identity.credentials);

    expect(await produceAs(client, commandTopicOf(gias.principal))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await consumeAs(client, `${identity.principal}.spy`, replyTopicOf(gias.principal))).toBe('TOPIC_AUTHORIZATION_FAILED');
    // Its own topic is open to it, and its own roles apply there.
    expect(await produceAs(client, commandTopicOf(identity.principal))).toBe('none');
  });
});

describe('a Nest ClientKafka sender', () => {
  it('gets the reply through Nest\'s request-response, matched on kafka_correlationId and its reply partition', async () => {
    const { nest } = h.senders;
    const client = new ClientKafka({
      client: { clientId: nest.principal, brokers: h.kafka.brokers, sasl: { ...nest.credentials, mechanism: 'scram-sha-512' }, ssl: false },
      consumer: { groupId: `${nest.principal}.nest` },
      producer: { allowAutoTopicCreation: false },
    });
    client.subscribeToResponseOf(commandTopicOf(nest.principal));
    await client.connect();
    try {
      // ClientKafka needs its reply partition assigned before it can send.
      for (let i = 0; i < 200 && client.getConsumerAssignments()[replyTopicOf(nest.principal)] === undefined; i++) await new Promise((r) => setTimeout(r, 100));
      const urn = newUrn();
      const reply = await lastValueFrom(client.send(commandTopicOf(nest.principal), recordSchool(urn)));
      expect(reply).toMatchObject({ ok: true, result: { streamVersion: 0, eventIds: [expect.any(String)] } });
      expect(await events(urn)).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});

describe('when a reply cannot be written', () => {
  it('does not commit the command message: once the reply topic is writable again, the redelivered message gets the first result and appends nothing', async () => {
    const { blocked } = h.senders;
    const deny: AclEntry = {
      principal: `User:${h.apiPrincipal}`, host: '*', permissionType: AclPermissionTypes.DENY, operation: AclOperationTypes.WRITE,
      resourceType: AclResourceTypes.TOPIC, resourceName: replyTopicOf(blocked.principal), resourcePatternType: ResourcePatternTypes.LITERAL,
    };
    await h.kafka.createAcls([deny]);
    const urn = newUrn();
    const offset = await blocked.send(recordSchool(urn));
    for (let i = 0; i < 300 && (await events(urn)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const [event] = await events(urn);
    expect(event).toBeDefined();
    await new Promise((r) => setTimeout(r, 2000));
    expect(blocked.repliesTo(offset)).toEqual([]);

    const admin = h.kafka.client().admin();
    await admin.connect();
    await admin.deleteAcls({ filters: [deny] });
    await admin.disconnect();

    const reply = await blocked.reply(offset, 90000);
    expect(reply.value).toMatchObject({ ok: true, replayed: true, result: { streamVersion: 0, eventIds: [event.eventId] } });
    expect(await events(urn)).toHaveLength(1);
    expect(await h.senders.gias.request(recordSchool(newUrn()))).toMatchObject({ ok: true });
  }, 180000);
});
