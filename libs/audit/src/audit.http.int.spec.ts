import { randomUUID } from 'node:crypto';
import { startTestApi, TestClock, TEST_STREAM_KEY, type TestApi } from '../../../test/support/api';
import { teacherStreamFor } from './state-as-of';

// The audit endpoints over real HTTP (Nest + Fastify) on a real PostgreSQL database.
let api: TestApi;
const clock = new TestClock(new Date('2026-11-25T10:00:00Z'));
const urn = String(200000 + Math.floor(Math.random() * 700000));
const trn = String(1000000 + Math.floor(Math.random() * 8000000));
const user = { userId: randomUUID(), email: `user-${urn}@school.example.org`, firstName: 'Ada', lastName: 'Lovelace' };
const correlationId = randomUUID();
let createdAt: string;

beforeAll(async () => {
  api = await startTestApi({ clock });
  await api.request('PUT', `/v1/schools/${urn}`, {
    role: 'reference-data',
    body: { name: `School ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false },
  });
  createdAt = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 5));
  await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: user, headers: { 'x-correlation-id': correlationId } });
  const registered = await api.request('POST', `/v1/schools/${urn}/ects`, {
    role: 'school-commands',
    headers: { 'x-acting-user-id': user.userId },
    body: {
      trn, firstName: 'Sam', lastName: 'Teacher', email: `ect-${trn}@example.org`, startDate: '2026-09-01', workingPattern: 'full_time',
      trainingProgramme: 'provider_led', leadProviderId: 'lp-1', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress',
    },
  });
  expect(registered.status).toBe(201);
});
afterAll(() => api.close());

const audit = (method: 'GET' | 'POST', url: string, body?: unknown) => api.request(method, url, { role: 'auditor', body });

describe('GET /v1/audit/streams/{stream}', () => {
  it('lists the events with who did what, for whom, and why', async () => {
    const response = await audit('GET', `/v1/audit/streams/school-${urn}`);
    expect(response.status).toBe(200);
    expect(response.body.stream).toBe(`school-${urn}`);
    expect(response.body.events.map((e: { type: string }) => e.type)).toEqual(['SchoolDetailsRecorded', 'UserLinkedToSchool']);
    expect(response.body.events[1]).toMatchObject({
      version: 1,
      metadata: { correlationId, actingService: 'test-service', actingUserId: null },
      data: user,
      prevHash: response.body.events[0].hash,
    });
  });

  it('filters by type and recorded time', async () => {
    const byType = await audit('GET', `/v1/audit/streams/school-${urn}?type=UserLinkedToSchool`);
    expect(byType.body.events.map((e: { version: number }) => e.version)).toEqual([1]);
    const byTime = await audit('GET', `/v1/audit/streams/school-${urn}?to=${encodeURIComponent(createdAt)}`);
    expect(byTime.body.events.map((e: { version: number }) => e.version)).toEqual([0]);
  });

  it('answers 400 for a bad filter or stream name, and 404 STREAM_NOT_FOUND for a stream without events', async () => {
    expect((await audit('GET', `/v1/audit/streams/school-${urn}?from=yesterday`)).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'from' }] });
    expect((await audit('GET', `/v1/audit/streams/school-${urn}?colour=red`)).status).toBe(400);
    expect((await audit('GET', '/v1/audit/streams/School-1')).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await audit('GET', '/v1/audit/streams/school-000000')).body).toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND' });
  });
});

describe('GET /v1/audit/schools/{urn}/state?asOf=', () => {
  it('now: what stream-state serves now', async () => {
    const live = await api.request('GET', `/v1/schools/${urn}/stream-state`, { role: 'reader' });
    const asOf = new Date().toISOString();
    const response = await audit('GET', `/v1/audit/schools/${urn}/state?asOf=${encodeURIComponent(asOf)}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ asOf, stream: `school-${urn}`, streamVersion: live.body.streamVersion, position: live.body.position, state: live.body.school });
  });

  it('before the user was linked: the school without them; before the school was known: 404 SCHOOL_NOT_FOUND', async () => {
    const before = await audit('GET', `/v1/audit/schools/${urn}/state?asOf=${encodeURIComponent(createdAt)}`);
    expect(before.body).toMatchObject({ streamVersion: 0, state: { urn, linkedUsers: [] } });
    expect((await audit('GET', `/v1/audit/schools/${urn}/state?asOf=2000-01-01T00:00:00Z`)).body).toMatchObject({ status: 404, code: 'SCHOOL_NOT_FOUND' });
  });

  it('answers 400 without asOf or with a bad one', async () => {
    expect((await audit('GET', `/v1/audit/schools/${urn}/state`)).body).toMatchObject({ status: 400, errors: [{ field: 'asOf' }] });
    expect((await audit('GET', `/v1/audit/schools/${urn}/state?asOf=soon`)).status).toBe(400);
  });
});

describe('GET /v1/audit/teachers/{trn}/state?asOf=', () => {
  it('gives the teacher as stream-state showed them, statuses as of the UTC date of asOf', async () => {
    const asOf = new Date().toISOString();
    const response = await audit('GET', `/v1/audit/teachers/${trn}/state?asOf=${encodeURIComponent(asOf)}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ stream: teacherStreamFor(trn, TEST_STREAM_KEY), streamVersion: 0, state: { trn: trn.padStart(7, '0') } });
    expect(response.body.state.ectRegistrations).toEqual([expect.objectContaining({ schoolUrn: urn, status: 'ongoing' })]);
    expect((await audit('GET', `/v1/audit/teachers/${trn}/state?asOf=2000-01-01T00:00:00Z`)).body).toMatchObject({ status: 404, code: 'TEACHER_NOT_FOUND' });
  });
});

describe('POST /v1/audit/verify', () => {
  it('reports intact chains, for one stream or for all', async () => {
    expect((await audit('POST', '/v1/audit/verify', { stream: `school-${urn}` })).body).toEqual({ ok: true, streamsChecked: 1, eventsChecked: 2, findings: [] });
    const all = await audit('POST', '/v1/audit/verify', {});
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ ok: true, findings: [] });
    expect(all.body.eventsChecked).toBeGreaterThanOrEqual(3);
  });

  it('reports a changed event precisely once its row is edited in the database', async () => {
    const stream = `school-${urn}`;
    await api.runtime.pool.query(`update es_events set data = data || '{"lastName": "Byron"}' where stream_name = $1 and stream_version = 1`, [stream]);
    const response = await audit('POST', '/v1/audit/verify', { stream });
    expect(response.body).toMatchObject({ ok: false, findings: [{ stream, version: 1, problem: 'changed-content' }] });
    expect((await audit('POST', '/v1/audit/verify', {})).body.findings).toEqual(response.body.findings);
  });

  it('answers 400 for an unknown body field, and 404 STREAM_NOT_FOUND for a stream that never had events', async () => {
    expect((await audit('POST', '/v1/audit/verify', { streams: ['x'] })).status).toBe(400);
    expect((await audit('POST', '/v1/audit/verify', { stream: 'school-000000' })).body).toMatchObject({ status: 404, code: 'STREAM_NOT_FOUND' });
  });
});

describe('callers without the auditor role', () => {
  it.each([
    ['GET', `/v1/audit/streams/school-100001`],
    ['GET', `/v1/audit/schools/100001/state?asOf=2026-01-01T00:00:00Z`],
    ['GET', `/v1/audit/teachers/1234567/state?asOf=2026-01-01T00:00:00Z`],
    ['POST', '/v1/audit/verify'],
  ] as const)('%s %s answers 403 FORBIDDEN (and 401 without a token)', async (method, url) => {
    for (const role of ['reader', 'school-commands', 'data-protection'] as const) {
      const response = await api.request(method, url, { role, body: method === 'POST' ? {} : undefined });
      expect(response.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await api.request(method, url, { body: method === 'POST' ? {} : undefined })).status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('describes the four audit operations, for the auditor role', async () => {
    const doc = (await api.request('GET', '/openapi.json')).body;
    expect(doc.paths['/v1/audit/streams/{stream}'].get['x-roles']).toEqual(['auditor']);
    expect(doc.paths['/v1/audit/schools/{urn}/state'].get.operationId).toBe('auditSchoolStateAsOf');
    expect(doc.paths['/v1/audit/teachers/{trn}/state'].get.operationId).toBe('auditTeacherStateAsOf');
    expect(doc.paths['/v1/audit/verify'].post.operationId).toBe('auditVerifyChains');
  });
});
