import { randomUUID } from 'node:crypto';
import { TestClock } from '../../../test/support/api';
import { startKafkaCommandsApi, type KafkaCommandsHarness, type Sender } from './kafka-commands.spec-support';

// Commands over Kafka against the run's real broker (SASL/SCRAM, ACLs) and a real API on real PostgreSQL.
// Senders are plain kafkajs clients, each its own principal. Today: 2026-11-25.
jest.setTimeout(120000);

let h: KafkaCommandsHarness;
let gias: Sender;
let identity: Sender;
let school: Sender;
beforeAll(async () => {
  h = await startKafkaCommandsApi({
    clock: new TestClock(new Date('2026-11-25T10:00:00Z')),
    senders: { gias: ['reference-data'], identity: ['identity-sync'], school: ['school-commands'] },
  });
  ({ gias, identity, school } = h.senders);
}, 300000);
afterAll(() => h?.close());

let counter = 200000 + Math.floor(Math.random() * 700000);
const newUrn = () => String(counter++);
const key = () => `k-${randomUUID()}`;
const details = (urn: string) => ({ name: `School ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false });
const newUser = (urn: string) => ({ userId: randomUUID(), email: `user-${urn}@school.example.org`, firstName: 'Ada', lastName: 'Lovelace' });
const events = (stream: string) => h.runtime.eventStore.readStream(stream);

async function schoolWithUser(): Promise<{ urn: string; user: ReturnType<typeof newUser> }> {
  const urn = newUrn();
  const user = newUser(urn);
  expect(await gias.request({ type: 'RecordSchoolDetails', urn, payload: details(urn), idempotencyKey: key() })).toMatchObject({ ok: true });
  expect(await identity.request({ type: 'LinkUserToSchool', urn, payload: user, idempotencyKey: key() })).toMatchObject({ ok: true });
  return { urn, user };
}

describe('a plain kafkajs sender with the right role', () => {
  it('records a school and gets {streamVersion, position, eventIds} with its correlation id; the events name the sender', async () => {
    const urn = newUrn();
    const offset = await gias.send({ type: 'RecordSchoolDetails', urn, payload: details(urn), idempotencyKey: key(), correlationId: 'gias-sync-42' }, { key: urn });
    const reply = await gias.reply(offset);

    expect(reply.value).toEqual({ ok: true, correlationId: 'gias-sync-42', result: { streamVersion: 0, position: expect.stringMatching(/^\d+$/), eventIds: [expect.any(String)] } });
    expect(reply.key).toBe(urn);
    expect(reply.headers).toMatchObject({ 'correlation-id': 'gias-sync-42', 'request-offset': offset, 'request-partition': '0' });
    const [event] = await events(`school-${urn}`);
    expect(event.eventId).toBe(reply.value.result.eventIds[0]);
    expect(event.metadata).toMatchObject({ correlationId: 'gias-sync-42', actingService: `User:${gias.principal}`, actingUserId: null });
  });

  it('runs school commands and teacher requests for an acting user, who is recorded as over HTTP', async () => {
    const { urn, user } = await schoolWithUser();
    const tutor = await school.request({
      type: 'NominateInductionTutor', urn, actingUserId: user.userId, idempotencyKey: key(),
      payload: { name: 'Tess Tutor', email: `tess-${urn}@example.org`, contractPeriod: 2026 },
    });
    expect(tutor).toMatchObject({ ok: true, result: { streamVersion: 2, eventIds: [expect.any(String)] } });

    const trn = String(3000000 + Math.floor(Math.random() * 6000000));
    const ect = await school.request({
      type: 'RegisterECT', urn, actingUserId: user.userId, idempotencyKey: key(),
      payload: {
        trn, firstName: 'Sam', lastName: 'Teacher', email: `ect-${trn}@example.org`, startDate: '2026-09-01', workingPattern: 'full_time',
        trainingProgramme: 'provider_led', leadProviderId: 'lp-ambition', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress',
      },
    });
    expect(ect).toMatchObject({ ok: true, result: { streamVersion: 0, eventIds: [expect.any(String)] } });
    const leaving = await school.request({ type: 'ReportECTLeaving', urn, trn, actingUserId: user.userId, payload: { leavingOn: '2027-03-31' }, idempotencyKey: key() });
    expect(leaving).toMatchObject({ ok: true, result: { streamVersion: 1 } });
    const stored = await h.runtime.eventStore.readAll({ maxCount: 10000, streamPrefixes: ['teacher-'] });
    const registered = stored.find((e) => e.eventId === ect.result.eventIds[0]);
    expect(registered?.metadata).toMatchObject({ actingUserId: user.userId, actingService: `User:${school.principal}` });
  });

  it('answers domain errors with the codes and statuses HTTP gives', async () => {
    const missing = await identity.request({ type: 'LinkUserToSchool', urn: newUrn(), payload: newUser('x'), idempotencyKey: key() });
    expect(missing).toMatchObject({ ok: false, problem: { status: 404, code: 'SCHOOL_NOT_FOUND', type: '/problems/school-not-found' } });

    const { urn } = await schoolWithUser();
    const stranger = await school.request({
      type: 'NominateInductionTutor', urn, actingUserId: randomUUID(), idempotencyKey: key(),
      payload: { name: 'Tess Tutor', email: 'tess@example.org', contractPeriod: 2026 },
    });
    expect(stranger).toMatchObject({ ok: false, problem: { status: 403, code: 'USER_NOT_LINKED' } });

    const stale = await gias.request({ type: 'RecordSchoolDetails', urn, payload: { ...details(urn), name: 'Renamed' }, expectedVersion: 0, idempotencyKey: key() });
    expect(stale).toMatchObject({ ok: false, problem: { status: 412, code: 'STREAM_VERSION_MISMATCH' } });
    expect(await events(`school-${urn}`)).toHaveLength(2);
  });
});

describe('a redelivered or repeated message', () => {
  it('replays the first result and appends nothing; the same key with another payload is IDEMPOTENCY_KEY_REUSED', async () => {
    const urn = newUrn();
    const message = { type: 'RecordSchoolDetails', urn, payload: details(urn), idempotencyKey: key() };
    const first = await gias.request(message);
    const again = await gias.reply(await gias.send(message));

    expect(again.value).toEqual({ ...first, replayed: true, correlationId: expect.any(String) });
    expect(again.headers['idempotent-replayed']).toBe('true');
    const reused = await gias.request({ ...message, payload: { ...details(urn), name: 'Another name' } });
    expect(reused).toMatchObject({ ok: false, problem: { status: 422, code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await events(`school-${urn}`)).toHaveLength(1);
  });
});

describe('malformed messages', () => {
  it('answers garbage, an unknown type and missing fields with problems, and keeps consuming the next command', async () => {
    const garbage = await gias.send('this is not json {', { headers: { kafka_correlationId: 'garbage-1' } });
    const unknown = await gias.send({ type: 'DropSchool', urn: '100001', idempotencyKey: key() });
    const incomplete = await gias.send({ type: 'RecordSchoolDetails', urn: '12', payload: { name: '' } });
    const urn = newUrn();
    const good = await gias.send({ type: 'RecordSchoolDetails', urn, payload: details(urn), idempotencyKey: key() });

    expect((await gias.reply(garbage)).value).toEqual({
      ok: false,
      correlationId: 'garbage-1',
      problem: expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: '(message)', message: expect.any(String) }], instance: `kafka:${gias.topic}/0/${garbage}` }),
    });
    expect((await gias.reply(unknown)).value.problem).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'type' }] });
    const fields = (await gias.reply(incomplete)).value.problem.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['idempotencyKey', 'urn', 'payload.name', 'payload.status', 'payload.inEngland']));
    expect((await gias.reply(good)).value).toMatchObject({ ok: true, result: { streamVersion: 0 } });
    expect(gias.repliesTo(garbage)).toHaveLength(1);
  });
});
