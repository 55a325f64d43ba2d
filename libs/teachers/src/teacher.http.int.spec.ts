import { randomUUID } from 'node:crypto';
import { startTestApi, TestClock, type TestApi } from '../../../test/support/api';

// HTTP tests of ECT and mentor registration against a real API on a real PostgreSQL database. Today: 2026-11-25.
let api: TestApi;
const clock = new TestClock(new Date('2026-11-25T10:00:00Z'));
beforeAll(async () => {
  api = await startTestApi({ clock });
});
afterAll(() => api.close());

let counter = 200000 + Math.floor(Math.random() * 700000);
const newUrn = () => String(counter++);
let trnCounter = 1000000 + Math.floor(Math.random() * 8000000);
const newTrn = () => String(trnCounter++);

interface School {
  urn: string;
  user: { userId: string; email: string; firstName: string; lastName: string };
}
async function school(overrides: Record<string, unknown> = {}): Promise<School> {
  const urn = newUrn();
  await api.request('PUT', `/v1/schools/${urn}`, {
    role: 'reference-data',
    body: { name: `School ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false, ...overrides },
  });
  const user = { userId: randomUUID(), email: `user-${urn}@school.example.org`, firstName: 'Ada', lastName: `Lovelace${urn}` };
  await api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: user });
  return { urn, user };
}
const as = (s: School, method: 'POST' | 'PUT', path: string, body: unknown, actingUserId = s.user.userId) =>
  api.request(method, `/v1/schools/${s.urn}${path}`, { role: 'school-commands', body, headers: { 'x-acting-user-id': actingUserId } });
const ect = (trn: string, overrides: Record<string, unknown> = {}) => ({
  trn,
  firstName: 'Sam',
  lastName: 'Teacher',
  email: `ect-${trn}@example.org`,
  startDate: '2026-09-01',
  workingPattern: 'full_time',
  trainingProgramme: 'provider_led',
  leadProviderId: 'lp-ambition',
  appropriateBodyId: 'ab-1',
  inductionStatus: 'InProgress',
  ...overrides,
});
const mentor = (trn: string, overrides: Record<string, unknown> = {}) => ({
  trn,
  firstName: 'Mo',
  lastName: 'Mentor',
  email: `mentor-${trn}@example.org`,
  startDate: '2026-09-01',
  ...overrides,
});
const teacher = async (trn: string) => (await api.request('GET', `/v1/teachers/${trn}/stream-state`, { role: 'reader' })).body.teacher;

describe('registering an ECT', () => {
  it('answers 201 and records who registered them, taken from the school stream, not the request', async () => {
    const s = await school();
    const trn = newTrn();
    const response = await as(s, 'POST', '/ects', ect(trn));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ streamVersion: 0, eventIds: [expect.any(String)] });
    const view = await teacher(trn);
    expect(view.ectRegistrations).toEqual([
      expect.objectContaining({
        schoolUrn: s.urn,
        status: 'ongoing',
        registeredBy: { userId: s.user.userId, email: s.user.email, name: `Ada ${s.user.lastName}` },
      }),
    ]);
  });

  it('cleans and pads the TRN, and names the field when it is not 5 to 7 digits', async () => {
    const s = await school();
    const padded = await as(s, 'POST', '/ects', ect('RP 12-345', { email: `pad-${randomUUID()}@example.org` }));
    expect(padded.status).toBe(201);
    expect((await teacher('0012345')).trn).toBe('0012345');
    for (const bad of ['1234', '12345678', 'abc']) {
      const refused = await as(s, 'POST', '/ects', ect(bad));
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'trn' })]);
    }
  });

  it('keeps stream names free of TRNs and emails', async () => {
    const s = await school();
    const trn = newTrn();
    const body = ect(trn);
    await as(s, 'POST', '/ects', body);
    const { rows } = await api.runtime.pool.query<{ stream_name: string }>('select distinct stream_name from es_events');
    for (const { stream_name } of rows) {
      expect(stream_name).not.toContain(trn);
      expect(stream_name).not.toContain(body.email);
    }
    expect(rows.some((r) => /^teacher-[0-9a-f]{64}$/.test(r.stream_name))).toBe(true);
    expect(rows.some((r) => /^ect_email-[0-9a-f]{64}$/.test(r.stream_name))).toBe(true);
  });

  it('refuses an ECT already ongoing at this school with 409 ECT_ALREADY_REGISTERED', async () => {
    const s = await school();
    const trn = newTrn();
    await as(s, 'POST', '/ects', ect(trn));
    const again = await as(s, 'POST', '/ects', ect(trn));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ECT_ALREADY_REGISTERED');
  });

  it('transfers an ECT ongoing at another school: the old registration ends the day before the new start', async () => {
    const a = await school();
    const b = await school();
    const trn = newTrn();
    await as(a, 'POST', '/ects', ect(trn, { startDate: '2025-09-01' }));
    const moved = await as(b, 'POST', '/ects', ect(trn, { startDate: '2027-01-05' }));
    expect(moved.status).toBe(201);
    expect(moved.body.eventIds).toHaveLength(2);
    const view = await teacher(trn);
    expect(view.ectRegistrations.map((r: { schoolUrn: string; leavingOn: string | null; status: string }) => [r.schoolUrn, r.leavingOn, r.status])).toEqual([
      [a.urn, '2027-01-04', 'leaving'],
      [b.urn, null, 'ongoing'],
    ]);
  });

  it.each([['Passed'], ['Failed'], ['Exempt']])('refuses an induction status of %s with 422 INDUCTION_COMPLETED', async (status) => {
    const s = await school();
    const response = await as(s, 'POST', '/ects', ect(newTrn(), { inductionStatus: status }));
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('INDUCTION_COMPLETED');
  });

  it('needs a lead provider for provider-led training and forbids one for school-led', async () => {
    const s = await school();
    const missing = await as(s, 'POST', '/ects', ect(newTrn(), { leadProviderId: undefined }));
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'leadProviderId' })]);
    const forbidden = await as(s, 'POST', '/ects', ect(newTrn(), { trainingProgramme: 'school_led' }));
    expect(forbidden.status).toBe(400);
    expect(forbidden.body.errors).toEqual([expect.objectContaining({ field: 'leadProviderId' })]);
    const schoolLed = await as(s, 'POST', '/ects', ect(newTrn(), { trainingProgramme: 'school_led', leadProviderId: null }));
    expect(schoolLed.status).toBe(201);
  });

  it('refuses a start date before the previous contract period with 422 START_DATE_TOO_EARLY', async () => {
    const s = await school();
    const early = await as(s, 'POST', '/ects', ect(newTrn(), { startDate: '2025-05-31' }));
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('START_DATE_TOO_EARLY');
    expect((await as(s, 'POST', '/ects', ect(newTrn(), { startDate: '2025-06-01' }))).status).toBe(201);
  });

  it('refuses an acting user not linked (403), an unknown school (404) and an ineligible one (422)', async () => {
    const s = await school();
    const stranger = await as(s, 'POST', '/ects', ect(newTrn()), randomUUID());
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('USER_NOT_LINKED');
    const unknown = await api.request('POST', `/v1/schools/${newUrn()}/ects`, { role: 'school-commands', body: ect(newTrn()), headers: { 'x-acting-user-id': s.user.userId } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SCHOOL_NOT_FOUND');
    const closed = await school({ status: 'closed' });
    const ineligible = await as(closed, 'POST', '/ects', ect(newTrn()));
    expect(ineligible.status).toBe(422);
    expect(ineligible.body.code).toBe('SCHOOL_NOT_ELIGIBLE');
  });
});

describe('an ECT email', () => {
  it('may not be used by another teacher\'s ongoing registration: 409 EMAIL_IN_USE', async () => {
    const s = await school();
    const email = `shared-${randomUUID()}@example.org`;
    expect((await as(s, 'POST', '/ects', ect(newTrn(), { email }))).status).toBe(201);
    const second = await as(s, 'POST', '/ects', ect(newTrn(), { email: email.toUpperCase() }));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('EMAIL_IN_USE');
  });

  it('lets exactly one of two concurrent registrations of different teachers with one email succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const s = await school();
      const email = `race-${randomUUID()}@example.org`;
      const [first, second] = await Promise.all([as(s, 'POST', '/ects', ect(newTrn(), { email })), as(s, 'POST', '/ects', ect(newTrn(), { email }))]);
      expect([first.status, second.status].sort()).toEqual([201, 409]);
      expect([first, second].find((r) => r.status === 409)!.body.code).toBe('EMAIL_IN_USE');
    }
  });

  it('is free again for another teacher once the holder has left', async () => {
    const s = await school();
    const email = `reuse-${randomUUID()}@example.org`;
    const first = newTrn();
    await as(s, 'POST', '/ects', ect(first, { email }));
    await as(s, 'POST', `/ects/${first}/leaving`, { leavingOn: '2026-10-31' });
    expect((await as(s, 'POST', '/ects', ect(newTrn(), { email }))).status).toBe(201);
  });

  it('is given back when the registration that claimed it fails', async () => {
    const s = await school();
    const email = `fail-${randomUUID()}@example.org`;
    const failed = await as(s, 'POST', '/ects', ect(newTrn(), { email, inductionStatus: 'Passed' }));
    expect(failed.status).toBe(422);
    expect((await as(s, 'POST', '/ects', ect(newTrn(), { email }))).status).toBe(201);
  });
});

describe('mentors', () => {
  it('may be ongoing at two schools; mentoringAtThisSchoolOnly ends the others', async () => {
    const a = await school();
    const b = await school();
    const c = await school();
    const trn = newTrn();
    expect((await as(a, 'POST', '/mentors', mentor(trn))).status).toBe(201);
    expect((await as(b, 'POST', '/mentors', mentor(trn))).status).toBe(201);
    let view = await teacher(trn);
    expect(view.mentorRegistrations.map((r: { status: string }) => r.status)).toEqual(['ongoing', 'ongoing']);
    expect((await as(c, 'POST', '/mentors', mentor(trn, { startDate: '2026-12-01', mentoringAtThisSchoolOnly: true }))).status).toBe(201);
    view = await teacher(trn);
    expect(view.mentorRegistrations.map((r: { schoolUrn: string; leavingOn: string | null }) => [r.schoolUrn, r.leavingOn])).toEqual([
      [a.urn, '2026-11-30'],
      [b.urn, '2026-11-30'],
      [c.urn, null],
    ]);
    const again = await as(c, 'POST', '/mentors', mentor(trn));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('MENTOR_ALREADY_REGISTERED');
  });

  it('is assigned to an ECT at the same school, starting on the latest of the starts and today', async () => {
    const s = await school();
    const ectTrn = newTrn();
    const mentorTrn = newTrn();
    await as(s, 'POST', '/ects', ect(ectTrn, { startDate: '2026-09-01' }));
    await as(s, 'POST', '/mentors', mentor(mentorTrn, { startDate: '2026-10-01' }));
    const assigned = await as(s, 'PUT', `/ects/${ectTrn}/mentor`, { mentorTrn });
    expect(assigned.status).toBe(200);
    expect((await teacher(ectTrn)).mentorships).toEqual([expect.objectContaining({ mentorTrn, startDate: '2026-11-25', status: 'ongoing' })]);
  });

  it('refuses self-mentoring, a mentor from another school, and an ECT not at the school', async () => {
    const s = await school();
    const other = await school();
    const trn = newTrn();
    await as(s, 'POST', '/ects', ect(trn));
    await as(s, 'POST', '/mentors', mentor(trn, { email: `self-${trn}@example.org` }));
    const self = await as(s, 'PUT', `/ects/${trn}/mentor`, { mentorTrn: trn });
    expect(self.status).toBe(422);
    expect(self.body.code).toBe('SELF_MENTORING');
    const elsewhere = newTrn();
    await as(other, 'POST', '/mentors', mentor(elsewhere));
    const notHere = await as(s, 'PUT', `/ects/${trn}/mentor`, { mentorTrn: elsewhere });
    expect(notHere.status).toBe(422);
    expect(notHere.body.code).toBe('MENTOR_NOT_AT_SCHOOL');
    const noEct = await as(other, 'PUT', `/ects/${trn}/mentor`, { mentorTrn: elsewhere });
    expect(noEct.status).toBe(404);
    expect(noEct.body.code).toBe('ECT_NOT_FOUND');
  });
});

describe('reporting leaving', () => {
  it('records a future date as leaving and a past one as left, ending the mentorship', async () => {
    const s = await school();
    const future = newTrn();
    const past = newTrn();
    const mentorTrn = newTrn();
    await as(s, 'POST', '/mentors', mentor(mentorTrn));
    await as(s, 'POST', '/ects', ect(future));
    await as(s, 'POST', '/ects', ect(past));
    await as(s, 'PUT', `/ects/${future}/mentor`, { mentorTrn });
    expect((await as(s, 'POST', `/ects/${future}/leaving`, { leavingOn: '2027-03-31' })).status).toBe(200);
    expect((await as(s, 'POST', `/ects/${past}/leaving`, { leavingOn: '2026-11-01' })).status).toBe(200);
    const leaving = await teacher(future);
    expect(leaving.ectRegistrations[0]).toMatchObject({ status: 'leaving', leavingOn: '2027-03-31' });
    expect(leaving.mentorships[0]).toMatchObject({ endedOn: '2027-03-31', status: 'ending' });
    expect((await teacher(past)).ectRegistrations[0]).toMatchObject({ status: 'left', leavingOn: '2026-11-01' });
  });

  it('refuses a leaving date not after the start (422) and an unknown ECT or mentor (404)', async () => {
    const s = await school();
    const trn = newTrn();
    await as(s, 'POST', '/ects', ect(trn, { startDate: '2026-09-01' }));
    const before = await as(s, 'POST', `/ects/${trn}/leaving`, { leavingOn: '2026-09-01' });
    expect(before.status).toBe(422);
    expect(before.body.code).toBe('LEAVING_DATE_BEFORE_START');
    const noEct = await as(s, 'POST', `/ects/${newTrn()}/leaving`, { leavingOn: '2027-01-01' });
    expect(noEct.body.code).toBe('ECT_NOT_FOUND');
    const noMentor = await as(s, 'POST', `/mentors/${newTrn()}/leaving`, { leavingOn: '2027-01-01' });
    expect(noMentor.status).toBe(404);
    expect(noMentor.body.code).toBe('MENTOR_NOT_FOUND');
  });

  it('records a mentor leaving', async () => {
    const s = await school();
    const trn = newTrn();
    await as(s, 'POST', '/mentors', mentor(trn));
    expect((await as(s, 'POST', `/mentors/${trn}/leaving`, { leavingOn: '2027-07-31' })).status).toBe(200);
    expect((await teacher(trn)).mentorRegistrations[0]).toMatchObject({ leavingOn: '2027-07-31', status: 'leaving' });
  });
});

describe('changing the lead provider', () => {
  it('changes it, and refuses an unchanged one and a school-led ECT', async () => {
    const s = await school();
    const trn = newTrn();
    await as(s, 'POST', '/ects', ect(trn));
    expect((await as(s, 'PUT', `/ects/${trn}/lead-provider`, { leadProviderId: 'lp-teach-first' })).status).toBe(200);
    const same = await as(s, 'PUT', `/ects/${trn}/lead-provider`, { leadProviderId: 'lp-teach-first' });
    expect(same.status).toBe(422);
    expect(same.body.code).toBe('LEAD_PROVIDER_UNCHANGED');
    const schoolLed = newTrn();
    await as(s, 'POST', '/ects', ect(schoolLed, { trainingProgramme: 'school_led', leadProviderId: null }));
    const refused = await as(s, 'PUT', `/ects/${schoolLed}/lead-provider`, { leadProviderId: 'lp-x' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SCHOOL_LED_NO_LEAD_PROVIDER');
  });
});

describe('reading a teacher\'s stream state', () => {
  it('answers 404 TEACHER_NOT_FOUND for a TRN with no registration', async () => {
    const response = await api.request('GET', `/v1/teachers/${newTrn()}/stream-state`, { role: 'reader' });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('TEACHER_NOT_FOUND');
  });
});
