/**
 * The broker goes away for a while: a Kafka broker of this suite's own (always local, so it can be stopped), the
 * real API, projector and relay, and the example consumer of examples/ as the lead provider.
 */
import { logLevel } from 'kafkajs';
import { unsentCount, type Relay } from '@ect/feeds';
import { ContactCopy, startContactConsumer, type Change, type ContactConsumer } from '../../examples/lead-provider-consumer';
import { startTestApi, type TestApi } from '../support/api';
import { startTestKafka, type TestKafka } from '../support/kafka';
import { assertValidSnapshot, outboxRows, provisionedLeadProvider, readTopic, servicePrincipal, startTestRelay } from './feed-support';
import { SchoolScenario } from './school-scenario';

jest.setTimeout(240000);

let api: TestApi;
let kafka: TestKafka;
let relay: Relay | undefined;
let consumer: ContactConsumer | undefined;
beforeAll(async () => {
  [kafka, api] = await Promise.all([startTestKafka({ local: true }), startTestApi({ projector: true })]);
}, 240000);
afterAll(async () => {
  await consumer?.stop().catch(() => undefined);
  await relay?.stop();
  await api?.close();
  await kafka?.stop();
});

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 120000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; relay: ${JSON.stringify(relay?.health())}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('given a partnered school whose lead provider consumes its feed', () => {
  it('when the broker stops, commands still succeed and the outbox grows; when it is back, the backlog drains in order and the consumer sees every change once', async () => {
    const s = new SchoolScenario(api);
    const lp = await provisionedLeadProvider(kafka, 'lp-outage');
    relay = startTestRelay(api, kafka.client(await servicePrincipal(kafka), 'outage-relay'), { sendTimeoutMs: 3000 });
    const urn = await s.school('Outage');
    const ann = await s.link(urn, 'Ann');
    await s.partner(urn, lp.id);
    const changes: Change[] = [];
    const copy = new ContactCopy();
    consumer = await startContactConsumer({
      brokers: kafka.brokers, username: lp.credentials.username, password: lp.credentials.password, leadProviderId: lp.id, groupName: 'outage-test', copy, logLevel: logLevel.NOTHING,
      onChange: (change) => void changes.push(change),
    });
    await eventually(() => changes.length === 1, 'the first snapshot to reach the consumer');

    await kafka.local!.stop();
    const users = [];
    for (const name of ['Bob', 'Cid', 'Dee', 'Eve', 'Fay']) users.push(await s.link(urn, name));
    await s.tutor(urn, ann, 'Sita Tutor');
    await s.unlink(urn, users[1]);
    await api.request('GET', `/v1/lead-providers/${lp.id}/contacts?after=${s.position}`, { token: await api.token('lead-provider', { leadProviderId: lp.id }) });
    expect(await unsentCount((sql, params) => api.runtime.pool.query(sql, params))).toBe(7);
    await eventually(() => relay!.health().state === 'retrying' && relay!.health().lastError !== null, 'the relay to report the broker is away');
    await new Promise((r) => setTimeout(r, 5000));
    expect(await unsentCount((sql, params) => api.runtime.pool.query(sql, params))).toBe(7);

    await kafka.local!.start();
    await eventually(async () => (await unsentCount((sql, params) => api.runtime.pool.query(sql, params))) === 0, 'the backlog to drain');
    const queued = await outboxRows(api, `topic = '${lp.topic}'`);
    await eventually(() => changes.length >= queued.length, 'the consumer to see every change');

    // Every snapshot version reached the topic, in the order queued; repeats (if any) carry an id already sent.
    const onTopic = await readTopic(kafka, lp.topic);
    const firstSeen = onTopic.map((r) => r.headers['event-id']).filter((id, i, all) => all.indexOf(id) === i);
    expect(firstSeen).toEqual(queued.map((r) => r.event_id));
    expect(onTopic.map((r) => r.value)).toEqual(expect.arrayContaining(queued.map((r) => JSON.parse(r.value!))));
    // The consumer applied each change exactly once, in order, and holds the latest snapshot.
    await new Promise((r) => setTimeout(r, 1000));
    expect(changes.map((c) => c.eventId)).toEqual(queued.map((r) => r.event_id));
    const latest = copy.schools[urn];
    assertValidSnapshot(latest);
    expect(latest).toEqual(JSON.parse(queued.at(-1)!.value!));
    expect((latest.schoolUsers as { name: string }[]).map((u) => u.name)).toEqual(['Ann User', 'Bob User', 'Dee User', 'Eve User', 'Fay User']);
    expect(relay!.health()).toMatchObject({ state: 'idle', pending: 0 });
  });
});
