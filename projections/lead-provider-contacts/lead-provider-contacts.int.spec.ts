import { contactTopic } from '@ect/feeds';
import { rebuildProjection } from '@ect/projection-runtime';
import { startTestApi, TestClock, type TestApi } from '../../test/support/api';
import { assertValidSnapshot, outboxRows } from '../../test/feeds/feed-support';
import { SchoolScenario } from '../../test/feeds/school-scenario';
import { reviewAllDueContacts } from './contact-review';
import { leadProviderContactsProjection } from './lead-provider-contacts.projection';

// The projection on a real PostgreSQL, fed by the real API; the outbox is checked directly (no broker here: the
// relay has suites of its own under test/feeds).
let api: TestApi;
let s: SchoolScenario;
const clock = new TestClock(new Date());
beforeAll(async () => {
  api = await startTestApi({ clock, projector: true });
  s = new SchoolScenario(api);
});
afterAll(() => api.close());

const contactsOf = (leadProviderId: string, query = '', claim = leadProviderId) =>
  api.token('lead-provider', { leadProviderId: claim }).then((token) => api.request('GET', `/v1/lead-providers/${leadProviderId}/contacts${query}`, { token }));

async function rowsFor(urn: string) {
  await contactsOf('lp-sync', `?after=${s.position}`);
  return outboxRows(api, `key = '${urn}'`);
}

describe('the outbox', () => {
  it('given a partnered school, when its users and tutor change, then each change queues one snapshot for the partner, and a change the partner cannot see queues none', async () => {
    const urn = await s.school();
    const ann = await s.link(urn, 'Ann');
    await s.partner(urn, 'lp-a');
    const before = await rowsFor(urn);
    await s.tutor(urn, ann, 'Sita Tutor');
    await s.partner(urn, 'lp-b', 2027);
    await s.partner(urn, 'lp-a');

    const rows = await rowsFor(urn);
    expect(before.map((r) => r.topic)).toEqual([contactTopic('lp-a')]);
    expect(rows.map((r) => r.topic)).toEqual([contactTopic('lp-a'), contactTopic('lp-a')]);
    const latest = JSON.parse(rows[1].value!);
    assertValidSnapshot(latest);
    expect(latest).toMatchObject({ leadProviderId: 'lp-a', contractPeriod: 2026, contact: { source: 'induction_tutor', name: 'Sita Tutor' } });
    expect(latest.schoolUsers).toEqual([{ name: 'Ann User', email: ann.email }]);
  });

  it('given a school moved to another lead provider, then the old one gets a tombstone and the new one the snapshot', async () => {
    const urn = await s.school();
    await s.partner(urn, 'lp-a');
    await s.partner(urn, 'lp-b');
    await s.endPartnership(urn);

    const rows = await rowsFor(urn);
    expect(rows.map((r) => [r.topic, r.value === null ? 'tombstone' : 'snapshot'])).toEqual([
      [contactTopic('lp-a'), 'snapshot'],
      [contactTopic('lp-a'), 'tombstone'],
      [contactTopic('lp-b'), 'snapshot'],
      [contactTopic('lp-b'), 'tombstone'],
    ]);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(4);
  });
});

describe('GET /v1/lead-providers/{id}/contacts', () => {
  it('answers the provider its own schools with read-your-writes, paged by URN', async () => {
    const lp = `lp-http-${Date.now()}`;
    const urns = [await s.school(), await s.school(), await s.school()];
    for (const urn of urns) await s.partner(urn, lp);

    const page1 = await contactsOf(lp, `?after=${s.position}&pageSize=2`);
    const page2 = await contactsOf(lp, '?pageSize=2&page=2');

    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ leadProviderId: lp, page: 1, pageSize: 2, total: 3 });
    expect([...page1.body.items, ...page2.body.items].map((i: { school: { urn: string } }) => i.school.urn)).toEqual(urns);
    for (const item of page1.body.items) assertValidSnapshot(item);
  });

  it('refuses another provider\'s contacts, and a caller without the role', async () => {
    const other = await contactsOf('lp-a', '', 'lp-b');
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('FORBIDDEN');
    expect((await api.request('GET', '/v1/lead-providers/lp-a/contacts', { role: 'reader' })).status).toBe(403);
    expect((await contactsOf('lp-a', '?pageSize=500')).status).toBe(400);
  });
});

describe('a rebuild', () => {
  it('swaps in the same contacts and queues no feed message', async () => {
    const urn = await s.school();
    await s.partner(urn, 'lp-rebuild');
    await rowsFor(urn);
    const queued = (await outboxRows(api)).length;
    const before = (await contactsOf('lp-rebuild')).body;

    await rebuildProjection({ pool: api.runtime.pool, eventStore: api.runtime.eventStore, projection: leadProviderContactsProjection });

    expect((await outboxRows(api)).length).toBe(queued);
    expect((await contactsOf('lp-rebuild')).body).toEqual(before);
  });
});

// Last: it moves every school of this database to the next contract period.
describe('a new contract period with no new event', () => {
  it('given partnerships for this period and the next, when the review runs on 1 June, then the old partner gets tombstones and the new one snapshots', async () => {
    const stays = await s.school();
    const moves = await s.school();
    await s.partner(stays, 'lp-2026');
    await s.partner(moves, 'lp-2026');
    await s.partner(moves, 'lp-2027', 2027);
    await rowsFor(moves);
    const lastId = (await outboxRows(api)).at(-1)!.id;

    clock.set('2027-06-01T08:00:00Z');
    const afterReview = await contactsOf('lp-2027');

    expect(afterReview.body.items.map((i: { school: { urn: string }; contractPeriod: number }) => [i.school.urn, i.contractPeriod])).toEqual([[moves, 2027]]);
    expect((await contactsOf('lp-2026')).body.total).toBe(0);
    const rows = await outboxRows(api, `id > ${lastId} and key in ('${stays}', '${moves}')`);
    expect(rows.map((r) => [r.key, r.topic, r.value === null ? 'tombstone' : 'snapshot'])).toEqual([
      [stays, contactTopic('lp-2026'), 'tombstone'],
      [moves, contactTopic('lp-2026'), 'tombstone'],
      [moves, contactTopic('lp-2027'), 'snapshot'],
    ]);
    expect(await reviewAllDueContacts(api.runtime.pool, '2027-06-01')).toBe(0);
  });
});
