/**
 * What lead providers see on their topics after a realistic mix of commands, through the whole path: HTTP command,
 * event store, projection, outbox, relay, the run's real Kafka broker. Every value read is checked against the
 * documented JSON Schema (feed-support.ts).
 */
import { contactTopic, type Relay } from '@ect/feeds';
import { provisionLeadProvider } from '../../scripts/feeds-provision';
import { startTestApi, type TestApi } from '../support/api';
import { startTestKafka, type TestKafka } from '../support/kafka';
import { latestByKey, outboxRows, provisionedLeadProvider, servicePrincipal, startTestRelay, waitForTopic, type FeedRecord } from './feed-support';
import { SchoolScenario } from './school-scenario';

jest.setTimeout(120000);

let api: TestApi;
let kafka: TestKafka;
let relay: Relay;
beforeAll(async () => {
  kafka = await startTestKafka();
  api = await startTestApi({ projector: true });
  relay = startTestRelay(api, kafka.client(await servicePrincipal(kafka), 'feed-contents-relay'));
}, 120000);
afterAll(async () => {
  await relay?.stop();
  await api?.close();
  await kafka?.stop();
});

const names = (people: { name: string }[]) => people.map((p) => p.name);
/** Waits until every outbox row of the topic is on it (the relay sends in the background). */
async function delivered(topic: string): Promise<FeedRecord[]> {
  const expected = (await outboxRows(api, `topic = '${topic}'`)).map((r) => r.event_id);
  return waitForTopic(kafka, topic, (records) => expected.every((id) => records.some((r) => r.headers['event-id'] === id)));
}

describe('given two schools partnered with lead provider A', () => {
  it('when users come and go, the tutor changes, an ECT and a mentor are registered by different users, the ECT transfers, and one school moves to B, then each topic shows exactly that', async () => {
    const s = new SchoolScenario(api);
    const a = await provisionedLeadProvider(kafka, 'lpa');
    const b = await provisionedLeadProvider(kafka, 'lpb');
    const oak = await s.school('Oak');
    const elm = await s.school('Elm');
    const [ann, bob, cid] = [await s.link(oak, 'Ann'), await s.link(oak, 'Bob'), await s.link(oak, 'Cid')];
    const dan = await s.link(elm, 'Dan');
    await s.partner(oak, a.id);
    await s.partner(elm, a.id);
    await s.tutor(oak, ann, 'Sita Tutor');
    const ect = await s.ect(oak, ann);
    const mentor = await s.mentor(oak, bob);
    await s.unlink(oak, cid);
    const tom = await s.tutor(oak, bob, 'Tom Tutor');
    await s.ect(elm, dan, ect, '2026-11-01');
    await s.partner(oak, b.id);
    await api.request('GET', `/v1/lead-providers/${a.id}/contacts?after=${s.position}`, { token: await api.token('lead-provider', { leadProviderId: a.id }) });

    const onA = await delivered(a.topic);
    const onB = await delivered(b.topic);

    // A: Oak's history ends in a tombstone; Elm holds the transferred ECT, registered by Dan.
    const oakOnA = onA.filter((r) => r.key === oak);
    expect(oakOnA.at(-1)!.value).toBeNull();
    expect(oakOnA.map((r) => r.value && [names(r.value.schoolUsers), r.value.contact.name, r.value.ects.length, r.value.mentors.length])).toEqual([
      [['Ann User', 'Bob User', 'Cid User'], null, 0, 0],
      [['Ann User', 'Bob User', 'Cid User'], 'Sita Tutor', 0, 0],
      [['Ann User', 'Bob User', 'Cid User'], 'Sita Tutor', 1, 0],
      [['Ann User', 'Bob User', 'Cid User'], 'Sita Tutor', 1, 1],
      [['Ann User', 'Bob User'], 'Sita Tutor', 1, 1],
      [['Ann User', 'Bob User'], 'Tom Tutor', 1, 1],
      [['Ann User', 'Bob User'], 'Tom Tutor', 0, 1],
      null,
    ]);
    const onACompacted = latestByKey(onA);
    expect([...onACompacted.keys()]).toEqual([elm]);
    expect(onACompacted.get(elm)).toMatchObject({
      leadProviderId: a.id,
      school: { urn: elm },
      contact: { source: 'gias_primary', name: null, email: `office-${elm}@school.example.org` },
      schoolUsers: [{ name: 'Dan User', email: dan.email }],
      ects: [{ trn: ect, name: `Ed Ect${ect}`, startDate: '2026-11-01', leavingOn: null, registeredBy: { name: 'Dan User', email: dan.email } }],
      mentors: [],
    });

    // B: only Oak, as it is now: no Cid, Tom as the contact, the mentor (registered by Bob), the ECT gone.
    expect(onB.map((r) => r.key)).toEqual([oak]);
    expect(onB[0].value).toEqual({
      schemaVersion: 1,
      leadProviderId: b.id,
      contractPeriod: 2026,
      deliveryPartnerId: 'dp-1',
      school: { urn: oak, name: `Oak ${oak}` },
      contact: { source: 'induction_tutor', name: 'Tom Tutor', email: tom },
      schoolUsers: [{ name: 'Ann User', email: ann.email }, { name: 'Bob User', email: bob.email }],
      ects: [],
      mentors: [{ trn: mentor, name: `Mia Mentor${mentor}`, startDate: '2026-09-01', leavingOn: null, registeredBy: { name: 'Bob User', email: bob.email } }],
    });

    // Headers: the causing event's id (one message per change), its position (rising per school), the schema version.
    for (const r of [...onA, ...onB]) expect(r.headers).toEqual({ 'event-id': expect.any(String), position: expect.stringMatching(/^\d+$/), 'schema-version': '1', 'content-type': 'application/json' });
    expect(new Set(oakOnA.map((r) => r.headers['event-id'])).size).toBe(oakOnA.length);
    const positions = oakOnA.map((r) => BigInt(r.headers.position));
    expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(relay.health()).toMatchObject({ state: 'idle', waitingForTopics: [] });
  });
});

describe('given a lead provider whose topic was never provisioned', () => {
  it('then its messages wait (and /health says so) while other topics flow, and go once the topic exists', async () => {
    const s = new SchoolScenario(api);
    const late = `lp-late-${Date.now()}`;
    const ready = await provisionedLeadProvider(kafka, 'lpready');
    const first = await s.school();
    const second = await s.school();
    await s.partner(first, late);
    await s.partner(second, ready.id);

    await delivered(ready.topic);
    await waitUntil(() => relay.health().waitingForTopics.includes(contactTopic(late)));
    await provisionLeadProvider(kafka, late);
    const onLate = await delivered(contactTopic(late));

    expect(onLate.map((r) => [r.key, r.value.leadProviderId])).toEqual([[first, late]]);
    await waitUntil(() => relay.health().waitingForTopics.length === 0);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; relay health: ${JSON.stringify(relay.health())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
