import { randomUUID } from 'node:crypto';
import { startTestApi, TestClock, type TestApi } from '../test/support/api';

// The read models, built by the projector running beside a real API on a real PostgreSQL database.
let api: TestApi;
const clock = new TestClock(new Date('2026-11-25T10:00:00Z'));
beforeAll(async () => {
  api = await startTestApi({ clock, projector: true });
});
afterAll(() => api.close());

let counter = 300000 + Math.floor(Math.random() * 600000);
const newUrn = () => String(counter++);
let trnCounter = 2000000 + Math.floor(Math.random() * 7000000);
const newTrn = () => String(trnCounter++);
const user = (n: string) => ({ userId: randomUUID(), email: `${n}-${randomUUID().slice(0, 6)}@school.example.org`, firstName: n, lastName: 'User' });

async function schoolWithUsers(count: number) {
  const urn = newUrn();
  await api.request('PUT', `/v1/schools/${urn}`, {
    role: 'reference-data',
    body: { name: `School ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: `office-${urn}@example.org` },
  });
  const users = [];
  for (let i = 0; i < count; i++) {
    const u = user(`U${i}`);
    await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: u });
    users.push(u);
  }
  return { urn, users };
}
const as = (urn: string, userId: string, method: 'POST' | 'PUT', path: string, body: unknown) =>
  api.request(method, `/v1/schools/${urn}${path}`, { role: 'school-commands', body, headers: { 'x-acting-user-id': userId } });
const ect = (trn: string, extra: Record<string, unknown> = {}) => ({
  trn, firstName: 'Ed', lastName: `Ect${trn}`, email: `ect-${trn}@example.org`, startDate: '2026-09-01', workingPattern: 'full_time',
  trainingProgramme: 'provider_led', leadProviderId: 'lp-1', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress', ...extra,
});
const mentor = (trn: string) => ({ trn, firstName: 'Mia', lastName: `Mentor${trn}`, email: `mentor-${trn}@example.org`, startDate: '2026-09-01' });

describe('after a mixed scenario', () => {
  it('the school overview and teacher histories match the streams', async () => {
    const { urn, users } = await schoolWithUsers(3);
    const other = await schoolWithUsers(1);
    const [a, b, c] = users;
    await api.request('DELETE', `/v1/schools/${urn}/users/${c.userId}`, { role: 'identity-sync' });
    await as(urn, a.userId, 'PUT', '/induction-tutor', { name: 'Sita Tutor', email: 'sita@example.org', contractPeriod: 2026 });
    await api.request('PUT', `/v1/schools/${urn}/partnerships/2026`, { role: 'partnerships', body: { leadProviderId: 'lp-1', deliveryPartnerId: 'dp-1' } });
    const ect1 = newTrn();
    const ect2 = newTrn();
    const m1 = newTrn();
    await as(urn, a.userId, 'POST', '/ects', ect(ect1));
    await as(urn, b.userId, 'POST', '/ects', ect(ect2, { trainingProgramme: 'school_led', leadProviderId: null }));
    await as(urn, b.userId, 'POST', '/mentors', mentor(m1));
    await as(other.urn, other.users[0].userId, 'POST', '/mentors', mentor(m1));
    await as(urn, a.userId, 'PUT', `/ects/${ect1}/mentor`, { mentorTrn: m1 });
    const last = await as(urn, a.userId, 'POST', `/ects/${ect2}/leaving`, { leavingOn: '2026-10-31' });

    const overview = (await api.request('GET', `/v1/schools/${urn}?after=${last.body.position}`, { role: 'reader' })).body;
    const stream = (await api.request('GET', `/v1/schools/${urn}/stream-state`, { role: 'reader' })).body.school;
    expect(overview.users.map((u: { userId: string }) => u.userId)).toEqual(stream.linkedUsers.map((u: { userId: string }) => u.userId));
    expect(overview.users.map((u: { userId: string }) => u.userId)).toEqual([a.userId, b.userId]);
    expect(overview.users[0].linkedSince).toEqual(expect.any(String));
    expect(overview.inductionTutor).toEqual(stream.inductionTutor);
    expect(overview.partnerships).toEqual(stream.partnerships);
    expect(overview.ects.total).toBe(2);
    const byTrn = Object.fromEntries(overview.ects.items.map((e: { trn: string }) => [e.trn, e]));
    expect(byTrn[ect1]).toMatchObject({ status: 'ongoing', mentor: { trn: m1, name: `Mia Mentor${m1}` }, registeredBy: { userId: a.userId }, leadProviderId: 'lp-1' });
    expect(byTrn[ect2]).toMatchObject({ status: 'left', leavingOn: '2026-10-31', trainingProgramme: 'school_led', registeredBy: { userId: b.userId } });
    expect(overview.mentors.items).toEqual([expect.objectContaining({ trn: m1, status: 'ongoing', ects: [{ trn: ect1, name: `Ed Ect${ect1}` }] })]);

    for (const trn of [ect1, ect2, m1]) {
      const history = (await api.request('GET', `/v1/teachers/${trn}?after=${last.body.position}`, { role: 'reader' })).body;
      const teacher = (await api.request('GET', `/v1/teachers/${trn}/stream-state`, { role: 'reader' })).body.teacher;
      const fromHistory = history.registrations.map((r: { role: string; schoolUrn: string; startDate: string; leavingOn: string | null; status: string }) => [r.role, r.schoolUrn, r.startDate, r.leavingOn, r.status]);
      const fromStream = [
        ...teacher.ectRegistrations.map((r: { schoolUrn: string; startDate: string; leavingOn: string | null; status: string }) => ['ect', r.schoolUrn, r.startDate, r.leavingOn, r.status]),
        ...teacher.mentorRegistrations.map((r: { schoolUrn: string; startDate: string; leavingOn: string | null; status: string }) => ['mentor', r.schoolUrn, r.startDate, r.leavingOn, r.status]),
      ];
      expect(fromHistory).toEqual(expect.arrayContaining(fromStream));
      expect(fromHistory).toHaveLength(fromStream.length);
    }
  });
});

describe('reading your writes', () => {
  it('answers with the write included when ?after= names its position', async () => {
    const { urn, users } = await schoolWithUsers(1);
    for (let i = 0; i < 3; i++) {
      const write = await as(urn, users[0].userId, 'PUT', '/induction-tutor', { name: `Tutor ${i}`, email: `tutor${i}-${urn}@example.org`, contractPeriod: 2026 });
      const read = await api.request('GET', `/v1/schools/${urn}?after=${write.body.position}`, { role: 'reader' });
      expect(read.body.inductionTutor.name).toBe(`Tutor ${i}`);
    }
  });

  it('answers 409 READ_MODEL_BEHIND instead of stale data when the read model does not catch up in time', async () => {
    const behind = await startTestApi({ clock, env: { READ_YOUR_WRITES_TIMEOUT_MS: '200' } });
    try {
      const urn = newUrn();
      const write = await behind.request('PUT', `/v1/schools/${urn}`, {
        role: 'reference-data',
        body: { name: 'Never Projected', status: 'open', inEngland: true, eligibleType: true, section41Approved: false },
      });
      const read = await behind.request('GET', `/v1/schools/${urn}?after=${write.body.position}`, { role: 'reader' });
      expect(read.status).toBe(409);
      expect(read.body.code).toBe('READ_MODEL_BEHIND');
    } finally {
      await behind.close();
    }
  });
});

describe('access and paging', () => {
  it('lets a school-commands caller read only a school its acting user is linked to', async () => {
    const { urn, users } = await schoolWithUsers(1);
    const write = await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: user('Late') });
    await api.request('GET', `/v1/schools/${urn}?after=${write.body.position}`, { role: 'reader' });
    const linked = await api.request('GET', `/v1/schools/${urn}`, { role: 'school-commands', headers: { 'x-acting-user-id': users[0].userId } });
    expect(linked.status).toBe(200);
    const stranger = await api.request('GET', `/v1/schools/${urn}`, { role: 'school-commands', headers: { 'x-acting-user-id': randomUUID() } });
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('USER_NOT_LINKED');
    expect((await api.request('GET', `/v1/schools/${urn}`, { role: 'partnerships' })).status).toBe(403);
  });

  it('pages the ECT list', async () => {
    const { urn, users } = await schoolWithUsers(1);
    let position = '';
    for (let i = 0; i < 5; i++) position = (await as(urn, users[0].userId, 'POST', '/ects', ect(newTrn()))).body.position;
    const page1 = (await api.request('GET', `/v1/schools/${urn}?after=${position}&pageSize=2`, { role: 'reader' })).body.ects;
    const page3 = (await api.request('GET', `/v1/schools/${urn}?pageSize=2&ectsPage=3`, { role: 'reader' })).body.ects;
    expect(page1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page3.items).toHaveLength(1);
    const bad = await api.request('GET', `/v1/schools/${urn}?pageSize=500`, { role: 'reader' });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for an unknown school and teacher', async () => {
    expect((await api.request('GET', `/v1/schools/${newUrn()}`, { role: 'reader' })).body.code).toBe('SCHOOL_NOT_FOUND');
    expect((await api.request('GET', `/v1/teachers/${newTrn()}`, { role: 'reader' })).body.code).toBe('TEACHER_NOT_FOUND');
  });
});

describe('when a mentor leaves a school', () => {
  it('their mentorships there end on the leaving date, on the mentees\' own streams', async () => {
    const { urn, users } = await schoolWithUsers(1);
    const actor = users[0].userId;
    const m = newTrn();
    const e1 = newTrn();
    const e2 = newTrn();
    await as(urn, actor, 'POST', '/mentors', mentor(m));
    await as(urn, actor, 'POST', '/ects', ect(e1));
    await as(urn, actor, 'POST', '/ects', ect(e2));
    await as(urn, actor, 'PUT', `/ects/${e1}/mentor`, { mentorTrn: m });
    await as(urn, actor, 'PUT', `/ects/${e2}/mentor`, { mentorTrn: m });
    await as(urn, actor, 'POST', `/mentors/${m}/leaving`, { leavingOn: '2027-02-28' });
    for (const trn of [e1, e2]) {
      let mentorships: { mentorTrn: string; endedOn: string | null; endReason: string | null }[] = [];
      for (let i = 0; i < 100 && !mentorships.some((x) => x.endedOn); i++) {
        mentorships = (await api.request('GET', `/v1/teachers/${trn}/stream-state`, { role: 'reader' })).body.teacher.mentorships;
        if (!mentorships.some((x) => x.endedOn)) await new Promise((r) => setTimeout(r, 50));
      }
      expect(mentorships).toEqual([expect.objectContaining({ mentorTrn: m, endedOn: '2027-02-28', endReason: 'mentor_left' })]);
    }
  });
});
