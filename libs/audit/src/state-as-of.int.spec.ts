import { randomUUID } from 'node:crypto';
import { isoDate } from '@ect/contract-periods';
import { startTestApi, TestClock, TEST_STREAM_KEY, type TestApi, type TestResponse } from '../../../test/support/api';
import { schoolStateAsOf, teacherStateAsOf } from './state-as-of';

// Property: for random histories made of real commands sent to the real HTTP API (a TestClock moving the service's
// "today" forward), the state as of T equals the stream-state the live service served at T.
let api: TestApi;
const clock = new TestClock(new Date('2026-08-15T09:00:00Z'));
beforeAll(async () => {
  api = await startTestApi({ clock });
});
afterAll(() => api.close());

/** Seeded, so a failing history can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] };
}

const daysFrom = (date: Date, days: number) => isoDate(new Date(date.getTime() + days * 86_400_000));
interface Snapshot {
  at: Date;
  today: string;
  schools: Map<string, TestResponse>;
  teachers: Map<string, TestResponse>;
}

async function generateHistory(seed: number, steps: number) {
  const r = random(seed);
  const base = 200000 + r.int(700000);
  const urns = [String(base), String(base + 1)];
  const trns = Array.from({ length: 4 }, (_, i) => String(1000000 + r.int(8000000) + i));
  const users = Object.fromEntries(urns.map((u) => [u, Array.from({ length: 3 }, () => ({ userId: randomUUID(), email: `u-${randomUUID()}@example.org`, firstName: 'Pat', lastName: 'User' }))]));
  const details = (status: string) => ({ name: `School ${status}`, status, inEngland: true, eligibleType: true, section41Approved: false });
  const as = (urn: string, method: 'POST' | 'PUT', path: string, body: unknown) =>
    api.request(method, `/v1/schools/${urn}${path}`, { role: 'school-commands', body, headers: { 'x-acting-user-id': r.pick(users[urn]).userId } });

  const actions: (() => Promise<TestResponse>)[] = [
    () => api.request('PUT', `/v1/schools/${r.pick(urns)}`, { role: 'reference-data', body: details(r.pick(['open', 'open', 'open', 'closed'])) }),
    () => { const urn = r.pick(urns); return api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: { ...r.pick(users[urn]), lastName: r.pick(['User', 'Renamed']) } }); },
    () => { const urn = r.pick(urns); return api.request('DELETE', `/v1/schools/${urn}/users/${r.pick(users[urn]).userId}`, { role: 'identity-sync' }); },
    () => as(r.pick(urns), 'PUT', '/induction-tutor', { name: r.pick(['Sam Tutor', 'Alex Tutor']), email: r.pick(['sam@t.example.org', 'alex@t.example.org']), contractPeriod: r.pick([2025, 2026]) }),
    () => api.request('PUT', `/v1/schools/${r.pick(urns)}/partnerships/${r.pick([2025, 2026])}`, { role: 'partnerships', body: { leadProviderId: r.pick(['lp-1', 'lp-2']), deliveryPartnerId: 'dp-1' } }),
    () => api.request('DELETE', `/v1/schools/${r.pick(urns)}/partnerships/${r.pick([2025, 2026])}`, { role: 'partnerships' }),
    () => { const trn = r.pick(trns); return as(r.pick(urns), 'POST', '/ects', { trn, firstName: 'Ed', lastName: 'Ect', email: `ect-${trn}@example.org`, startDate: daysFrom(clock.now(), r.int(60) - 20), workingPattern: 'full_time', trainingProgramme: 'provider_led', leadProviderId: 'lp-1', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress' }); },
    () => { const trn = r.pick(trns); return as(r.pick(urns), 'POST', '/mentors', { trn, firstName: 'Mo', lastName: 'Mentor', email: `mentor-${trn}@example.org`, startDate: daysFrom(clock.now(), r.int(60) - 20) }); },
    () => as(r.pick(urns), 'PUT', `/ects/${r.pick(trns)}/mentor`, { mentorTrn: r.pick(trns) }),
    () => as(r.pick(urns), 'POST', `/ects/${r.pick(trns)}/leaving`, { leavingOn: daysFrom(clock.now(), r.int(60) - 30) }),
    () => as(r.pick(urns), 'POST', `/mentors/${r.pick(trns)}/leaving`, { leavingOn: daysFrom(clock.now(), r.int(60) - 30) }),
    () => as(r.pick(urns), 'PUT', `/ects/${r.pick(trns)}/lead-provider`, { leadProviderId: r.pick(['lp-1', 'lp-2']) }),
    async () => { clock.set(new Date(clock.now().getTime() + r.int(40) * 86_400_000 + r.int(86_400_000)).toISOString()); return { status: 0, headers: {}, body: null }; },
  ];

  const prelude = [
    ...urns.map((urn) => () => api.request('PUT', `/v1/schools/${urn}`, { role: 'reference-data', body: details('open') })),
    ...urns.flatMap((urn) => users[urn].slice(0, 2).map((u) => () => api.request('POST', `/v1/schools/${urn}/users`, { role: 'identity-sync', body: u }))),
  ];
  const snapshots: Snapshot[] = [];
  let accepted = 0;
  for (let step = 0; step < prelude.length + steps; step++) {
    const response = await (step < prelude.length ? prelude[step] : r.pick(actions))();
    if (response.status >= 200 && response.status < 300 && (response.body?.eventIds?.length ?? 0) > 0) accepted++;
    const schools = new Map<string, TestResponse>();
    const teachers = new Map<string, TestResponse>();
    for (const urn of urns) schools.set(urn, await api.request('GET', `/v1/schools/${urn}/stream-state`, { role: 'reader' }));
    for (const trn of trns) teachers.set(trn, await api.request('GET', `/v1/teachers/${trn}/stream-state`, { role: 'reader' }));
    snapshots.push({ at: new Date(), today: isoDate(clock.now()), schools, teachers });
    // The next command's events get a later millisecond than this snapshot.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { snapshots, accepted };
}

describe.each([[1], [2], [3]])('given a random history of real commands (seed %i)', (seed) => {
  it('the state as of each moment equals the stream-state the live service served then', async () => {
    const { snapshots, accepted } = await generateHistory(seed, 60);
    expect(accepted).toBeGreaterThanOrEqual(15); // a history worth the name
    let compared = 0;
    for (const snapshot of snapshots) {
      for (const [urn, live] of snapshot.schools) {
        const asOf = schoolStateAsOf(api.runtime.eventStore, api.runtime.calendar, urn, snapshot.at);
        if (live.status === 404) {
          await expect(asOf).rejects.toMatchObject({ code: 'SCHOOL_NOT_FOUND' });
          continue;
        }
        const { streamVersion, position, state } = await asOf;
        expect({ streamVersion, position, school: state }).toEqual({ streamVersion: live.body.streamVersion, position: live.body.position, school: live.body.school });
        compared++;
      }
      for (const [trn, live] of snapshot.teachers) {
        const asOf = teacherStateAsOf(api.runtime.eventStore, TEST_STREAM_KEY, trn, snapshot.at, snapshot.today);
        if (live.status === 404) {
          await expect(asOf).rejects.toMatchObject({ code: 'TEACHER_NOT_FOUND' });
          continue;
        }
        const { streamVersion, position, state } = await asOf;
        expect({ streamVersion, position, teacher: state }).toEqual({ streamVersion: live.body.streamVersion, position: live.body.position, teacher: live.body.teacher });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(snapshots.length);
  });
});
