import { randomUUID } from 'node:crypto';
import { startTestApi, TestClock, type TestApi } from '../../../test/support/api';

// HTTP tests against a real API on a real PostgreSQL database.
let api: TestApi;
const clock = new TestClock(new Date('2026-11-25T10:00:00Z'));
beforeAll(async () => {
  api = await startTestApi({ clock });
});
afterAll(() => api.close());

let urnCounter = 100000 + Math.floor(Math.random() * 800000);
const newUrn = () => String(urnCounter++);
const details = (overrides: Record<string, unknown> = {}) => ({
  name: 'Oak Hill Primary',
  status: 'open',
  inEngland: true,
  eligibleType: true,
  section41Approved: false,
  primaryContactEmail: 'office@oakhill.example.org',
  ...overrides,
});
const user = (overrides: Record<string, unknown> = {}) => ({
  userId: randomUUID(),
  email: `${randomUUID().slice(0, 8)}@oakhill.example.org`,
  firstName: 'Ada',
  lastName: 'Lovelace',
  ...overrides,
});

async function knownSchool(overrides: Record<string, unknown> = {}) {
  const urn = newUrn();
  const response = await api.request('PUT', `/v1/schools/${urn}`, { role: 'reference-data', body: details(overrides) });
  expect(response.status).toBe(201);
  return urn;
}
async function linkedUser(urn: string, overrides: Record<string, unknown> = {}) {
  const body = user(overrides);
  const response = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body });
  expect(response.status).toBe(201);
  return body;
}
const nominate = (urn: string, actingUserId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.request('PUT', `/v1/schools/${urn}/induction-tutor`, {
    role: 'school-commands',
    body,
    headers: { 'x-acting-user-id': actingUserId, ...headers },
  });
const state = async (urn: string) => (await api.request('GET', `/v1/schools/${urn}/stream-state`, { role: 'reader' })).body;
const events = (urn: string) => api.runtime.eventStore.readStream(`school-${urn}`);

describe('authentication and roles', () => {
  it('answers 401 UNAUTHENTICATED without a valid token', async () => {
    const none = await api.request('PUT', `/v1/schools/${newUrn()}`, { body: details() });
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    const forged = await api.request('PUT', `/v1/schools/${newUrn()}`, { token: 'e30.e30.sig', body: details() });
    expect(forged.status).toBe(401);
  });

  it('answers 403 FORBIDDEN for the wrong role', async () => {
    const response = await api.request('PUT', `/v1/schools/${newUrn()}`, { role: 'reader', body: details() });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});

describe('recording GIAS details', () => {
  it('answers 201 the first time, 200 after, and appends nothing when nothing changed', async () => {
    const urn = newUrn();
    const first = await api.request('PUT', `/v1/schools/${urn}`, { role: 'reference-data', body: details() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ streamVersion: 0, eventIds: [expect.any(String)] });
    expect(first.headers.etag).toBe('"0"');
    const same = await api.request('PUT', `/v1/schools/${urn}`, { role: 'reference-data', body: details() });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ streamVersion: 0, position: first.body.position, eventIds: [] });
    const renamed = await api.request('PUT', `/v1/schools/${urn}`, { role: 'reference-data', body: details({ name: 'Oak Hill Academy' }) });
    expect(renamed.status).toBe(200);
    expect(renamed.body.streamVersion).toBe(1);
    expect((await state(urn)).school.details.name).toBe('Oak Hill Academy');
  });

  it('refuses a bad URN and a bad body with every bad field named, storing nothing', async () => {
    const badUrn = await api.request('PUT', '/v1/schools/12345', { role: 'reference-data', body: details() });
    expect(badUrn.status).toBe(400);
    expect(badUrn.body.code).toBe('VALIDATION_FAILED');
    expect(badUrn.body.errors).toEqual([expect.objectContaining({ field: 'urn' })]);

    const urn = newUrn();
    const bad = await api.request('PUT', `/v1/schools/${urn}`, {
      role: 'reference-data',
      body: { ...details({ status: 'gone', primaryContactEmail: 'not-an-email' }), inEngland: 'yes', extra: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'inEngland', 'primaryContactEmail', 'status']);
    expect(await events(urn)).toEqual([]);
  });

  it('refuses malformed JSON with a problem document', async () => {
    const response = await api.request('PUT', `/v1/schools/${newUrn()}`, { role: 'reference-data', rawBody: '{"name": ' });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('school users', () => {
  it('links many users to one school; relinking with the same details appends nothing, with new ones records the change', async () => {
    const urn = await knownSchool();
    const a = await linkedUser(urn);
    const b = await linkedUser(urn, { firstName: 'Grace', lastName: 'Hopper' });
    const again = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: a });
    expect(again.status).toBe(200);
    expect(again.body.eventIds).toEqual([]);
    const changed = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: { ...a, lastName: 'King' } });
    expect(changed.status).toBe(200);
    expect(changed.body.eventIds).toHaveLength(1);
    expect((await state(urn)).school.linkedUsers.map((u: { lastName: string }) => u.lastName)).toEqual(['King', 'Hopper']);
    expect((await events(urn)).map((e) => e.type)).toEqual([
      'SchoolDetailsRecorded',
      'UserLinkedToSchool',
      'UserLinkedToSchool',
      'SchoolUserDetailsChanged',
    ]);
    expect(b.userId).not.toBe(a.userId);
  });

  it('answers 404 SCHOOL_NOT_FOUND when linking to an unknown school', async () => {
    const response = await api.request('POST', `/v1/schools/${newUrn()}/users`, { role: 'identity-sync', body: user() });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('SCHOOL_NOT_FOUND');
  });

  it('unlinks a user; unlinking again is 404 USER_NOT_LINKED', async () => {
    const urn = await knownSchool();
    const a = await linkedUser(urn);
    const first = await api.request('DELETE', `/v1/schools/${urn}/users/${a.userId}`, { role: 'identity-sync' });
    expect(first.status).toBe(200);
    const second = await api.request('DELETE', `/v1/schools/${urn}/users/${a.userId}`, { role: 'identity-sync' });
    expect(second.status).toBe(404);
    expect(second.body.code).toBe('USER_NOT_LINKED');
  });
});

describe('the induction tutor', () => {
  it('is nominated by a linked user and need not be a user; the acting user is recorded', async () => {
    const urn = await knownSchool();
    const actor = await linkedUser(urn);
    const response = await nominate(urn, actor.userId, { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2026 });
    expect(response.status).toBe(200);
    const view = (await state(urn)).school;
    expect(view.inductionTutor).toEqual({ name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2026 });
    expect(view.linkedUsers.map((u: { email: string }) => u.email)).not.toContain('mary@oakhill.example.org');
    const last = (await events(urn)).pop()!;
    expect(last.type).toBe('InductionTutorNominated');
    expect(last.metadata).toMatchObject({ actingUserId: actor.userId, actingService: 'test-service', correlationId: expect.any(String) });
  });

  it('is confirmed when the same person is given for a later contract period, and one current tutor is kept', async () => {
    const urn = await knownSchool();
    const actor = await linkedUser(urn);
    await nominate(urn, actor.userId, { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2025 });
    await nominate(urn, actor.userId, { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2026 });
    await nominate(urn, actor.userId, { name: 'Florence Nightingale', email: 'florence@oakhill.example.org', contractPeriod: 2026 });
    expect((await events(urn)).slice(-3).map((e) => e.type)).toEqual(['InductionTutorNominated', 'InductionTutorConfirmed', 'InductionTutorNominated']);
    expect((await state(urn)).school.inductionTutor.email).toBe('florence@oakhill.example.org');
  });

  it('refuses a user who is not linked (403), one who was unlinked, and a missing acting user (400); history keeps what they did', async () => {
    const urn = await knownSchool();
    const actor = await linkedUser(urn);
    const tutor = { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2026 };
    expect((await nominate(urn, actor.userId, tutor)).status).toBe(200);
    await api.request('DELETE', `/v1/schools/${urn}/users/${actor.userId}`, { role: 'identity-sync' });
    const after = await nominate(urn, actor.userId, { ...tutor, name: 'Someone Else', email: 'else@oakhill.example.org' });
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('USER_NOT_LINKED');
    const stranger = await nominate(urn, randomUUID(), tutor);
    expect(stranger.body.code).toBe('USER_NOT_LINKED');
    const missing = await api.request('PUT', `/v1/schools/${urn}/induction-tutor`, { role: 'school-commands', body: tutor });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'x-acting-user-id' })]);
    const nominated = (await events(urn)).find((e) => e.type === 'InductionTutorNominated')!;
    expect(nominated.metadata.actingUserId).toBe(actor.userId);
  });

  it('lets a person linked to two schools act for each one separately', async () => {
    const first = await knownSchool();
    const second = await knownSchool();
    const person = await linkedUser(first);
    const tutor = { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2026 };
    expect((await nominate(second, person.userId, tutor)).status).toBe(403);
    await api.request('POST', `/v1/schools/${second}/users`, { role: 'identity-sync', body: person });
    expect((await nominate(second, person.userId, tutor)).status).toBe(200);
    await api.request('DELETE', `/v1/schools/${first}/users/${person.userId}`, { role: 'identity-sync' });
    expect((await nominate(first, person.userId, tutor)).status).toBe(403);
    expect((await nominate(second, person.userId, { ...tutor, contractPeriod: 2027 })).status).toBe(200);
  });

  it('refuses an ineligible school (422 SCHOOL_NOT_ELIGIBLE) and an unconfigured contract period (400)', async () => {
    const closed = await knownSchool({ status: 'closed' });
    const actor = await linkedUser(closed);
    const refused = await nominate(closed, actor.userId, { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2026 });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SCHOOL_NOT_ELIGIBLE');
    const urn = await knownSchool();
    const other = await linkedUser(urn);
    const tooLate = await nominate(urn, other.userId, { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2090 });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.errors).toEqual([expect.objectContaining({ field: 'contractPeriod' })]);
  });

  it('never loses an update when two nominations race: each succeeds in turn or gets a clean conflict', async () => {
    const urn = await knownSchool();
    const actor = await linkedUser(urn);
    const before = (await events(urn)).length;
    const responses = await Promise.all(
      ['one', 'two', 'three', 'four'].map((who) => nominate(urn, actor.userId, { name: `Tutor ${who}`, email: `${who}@oakhill.example.org`, contractPeriod: 2026 })),
    );
    for (const r of responses) expect([200, 409]).toContain(r.status);
    const ok = responses.filter((r) => r.status === 200);
    const appended = (await events(urn)).slice(before);
    expect(appended).toHaveLength(ok.length);
    expect(appended.map((e) => e.streamVersion)).toEqual(ok.map((r) => r.body.streamVersion).sort());
    const lastEmail = (appended[appended.length - 1].data as { email: string }).email;
    expect((await state(urn)).school.inductionTutor.email).toBe(lastEmail);
  });
});

describe('partnerships', () => {
  it('keeps at most one lead provider per school per period: a new one ends the old', async () => {
    const urn = await knownSchool();
    const put = (lp: string, dp = 'dp-1') =>
      api.request('PUT', `/v1/schools/${urn}/partnerships/2026`, { role: 'partnerships', body: { leadProviderId: lp, deliveryPartnerId: dp } });
    expect((await put('lp-ambition')).status).toBe(200);
    await api.request('PUT', `/v1/schools/${urn}/partnerships/2025`, { role: 'partnerships', body: { leadProviderId: 'lp-ucl', deliveryPartnerId: 'dp-2' } });
    const moved = await put('lp-teach-first');
    expect(moved.body.eventIds).toHaveLength(2);
    expect((await events(urn)).slice(-2).map((e) => [e.type, e.data.leadProviderId])).toEqual([
      ['SchoolPartnershipEnded', 'lp-ambition'],
      ['SchoolPartnershipConfirmed', 'lp-teach-first'],
    ]);
    expect((await state(urn)).school.partnerships).toEqual([
      { contractPeriod: 2025, leadProviderId: 'lp-ucl', deliveryPartnerId: 'dp-2' },
      { contractPeriod: 2026, leadProviderId: 'lp-teach-first', deliveryPartnerId: 'dp-1' },
    ]);
  });

  it('ends a partnership; ending one that does not exist is 404 PARTNERSHIP_NOT_FOUND', async () => {
    const urn = await knownSchool();
    await api.request('PUT', `/v1/schools/${urn}/partnerships/2026`, { role: 'partnerships', body: { leadProviderId: 'lp-a', deliveryPartnerId: 'dp-a' } });
    expect((await api.request('DELETE', `/v1/schools/${urn}/partnerships/2026`, { role: 'partnerships' })).status).toBe(200);
    const again = await api.request('DELETE', `/v1/schools/${urn}/partnerships/2026`, { role: 'partnerships' });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('PARTNERSHIP_NOT_FOUND');
  });

  it('refuses an ineligible school with 422 SCHOOL_NOT_ELIGIBLE', async () => {
    const urn = await knownSchool({ inEngland: false });
    const response = await api.request('PUT', `/v1/schools/${urn}/partnerships/2026`, { role: 'partnerships', body: { leadProviderId: 'lp-a', deliveryPartnerId: 'dp-a' } });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('SCHOOL_NOT_ELIGIBLE');
  });
});

describe('reading the stream state', () => {
  it('answers 404 SCHOOL_NOT_FOUND for an unknown school and gives the version as ETag', async () => {
    const missing = await api.request('GET', `/v1/schools/${newUrn()}/stream-state`, { role: 'reader' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('SCHOOL_NOT_FOUND');
    const urn = await knownSchool();
    const found = await api.request('GET', `/v1/schools/${urn}/stream-state`, { role: 'reader' });
    expect(found.headers.etag).toBe('"0"');
  });
});

describe('optimistic concurrency with If-Match', () => {
  it('applies the command at the expected version and answers 412 STREAM_VERSION_MISMATCH otherwise', async () => {
    const urn = await knownSchool();
    const actor = await linkedUser(urn);
    const tutor = { name: 'Mary Seacole', email: 'mary@oakhill.example.org', contractPeriod: 2026 };
    const stale = await nominate(urn, actor.userId, tutor, { 'if-match': '"0"' });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('STREAM_VERSION_MISMATCH');
    const fresh = await nominate(urn, actor.userId, tutor, { 'if-match': '"1"' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe('"2"');
    const bad = await nominate(urn, actor.userId, tutor, { 'if-match': 'yesterday' });
    expect(bad.status).toBe(400);
  });
});

describe('idempotency keys', () => {
  it('replays the first response for the same key and request, appending nothing', async () => {
    const urn = await knownSchool();
    const body = user();
    const first = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body, headers: { 'idempotency-key': 'link-1' } });
    const count = (await events(urn)).length;
    const retry = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body, headers: { 'idempotency-key': 'link-1' } });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await events(urn)).toHaveLength(count);
  });

  it('refuses the same key with another request: 422 IDEMPOTENCY_KEY_REUSED, nothing stored', async () => {
    const urn = await knownSchool();
    await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: user(), headers: { 'idempotency-key': 'link-2' } });
    const count = (await events(urn)).length;
    const reused = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: user(), headers: { 'idempotency-key': 'link-2' } });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await events(urn)).toHaveLength(count);
  });

  it('keeps keys in the database: another API process on the same database replays them', async () => {
    const urn = await knownSchool();
    const body = user();
    const first = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body, headers: { 'idempotency-key': 'link-3' } });
    const other = await startTestApi({ databaseUrl: api.database!.url });
    try {
      const retry = await other.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body, headers: { 'idempotency-key': 'link-3' } });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
    } finally {
      await other.close();
    }
  });

  it('refuses a malformed key', async () => {
    const response = await api.request('POST', `/v1/schools/${newUrn()}/users`, { role: 'identity-sync', body: user(), headers: { 'idempotency-key': 'has spaces' } });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'idempotency-key' })]);
  });
});

describe('the OpenAPI document', () => {
  it('describes every school endpoint with its body and error codes, and the docs page lists them', async () => {
    const doc = (await api.request('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/schools/{urn}',
        '/v1/schools/{urn}/users',
        '/v1/schools/{urn}/users/{userId}',
        '/v1/schools/{urn}/induction-tutor',
        '/v1/schools/{urn}/partnerships/{contractPeriod}',
        '/v1/schools/{urn}/stream-state',
      ]),
    );
    const nominateOp = doc.paths['/v1/schools/{urn}/induction-tutor'].put;
    expect(nominateOp.requestBody.content['application/json'].schema.required).toEqual(['name', 'email', 'contractPeriod']);
    expect(JSON.stringify(nominateOp.responses['403'])).toContain('USER_NOT_LINKED');
    const docs = await api.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.body).toContain('/v1/schools/{urn}/induction-tutor');
  });
});
