import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { CommandRunner } from '@ect/command-runner';
import { createRuntime, mintToken, type Role, type Runtime } from '@ect/nest-kit';
import { loadConfig } from '@ect/platform';
import { createPositionWaiter, startProjector, type Projector } from '@ect/projection-runtime';
import { allProjections } from '@ect-projections';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/api.app';
import { apiMigrations } from '../../apps/api/src/api.migrations';
import { TestClock, TEST_AUTH_SECRET, TEST_MASTER_KEY, TEST_STREAM_KEY } from '../support/api';
import { testServerUrl, withDatabase } from '../support/database';
import { dumpableServer, type DumpableServer } from '../support/pg-dump';

// Erasure end to end: the API (debug logs captured) with the projector, on a PostgreSQL a pg_dump here can dump.
const URN = '100001';
const UNA = { userId: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b', email: 'una.quartermaine@oak.example.org', firstName: 'Una', lastName: 'Quartermaine' };
const KEPT = { userId: '7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d', email: 'bertram.keeper@oak.example.org', firstName: 'Bertram', lastName: 'Keeper' };
const TUTOR = { name: 'Tamsin Vantongeren', email: 'tamsin.vantongeren@oak.example.org', contractPeriod: 2026 };
const ECT = { trn: '8317529', firstName: 'Quillon', lastName: 'Zephyrine', email: 'quillon.zephyrine@example.org' };
const MENTOR = { trn: '6204718', firstName: 'Marguerite', lastName: 'Ostrowska', email: 'marguerite.ostrowska@example.org' };
const ERASED_PEOPLE = ['Quartermaine', 'una.quartermaine', 'Vantongeren', 'tamsin.vantongeren', 'Zephyrine', 'quillon.zephyrine'];
const EVERYONE = [...ERASED_PEOPLE, 'Bertram', 'bertram.keeper', 'Ostrowska', 'marguerite.ostrowska'];

const clock = new TestClock(new Date('2026-11-25T10:00:00Z'));
const logs: string[] = [];
let pg: DumpableServer;
let database: string;
let runtime: Runtime;
let app: NestFastifyApplication;
let projector: Projector;
const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

beforeAll(async () => {
  pg = await dumpableServer(testServerUrl());
  database = `erasure_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: pg.url });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  // Every line the API, Nest and the projector print is kept, to be searched for personal data.
  process.stdout.write = ((chunk: unknown) => logs.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => logs.push(String(chunk)) > 0) as typeof process.stderr.write;
  const config = loadConfig({
    APP_ENV: 'test', DATABASE_URL: withDatabase(pg.url, database), AUTH_JWT_SECRET: TEST_AUTH_SECRET, STREAM_KEY_SECRET: TEST_STREAM_KEY,
    MASTER_KEY: TEST_MASTER_KEY, DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-erasure-')), LOG_LEVEL: 'debug',
  });
  runtime = await createRuntime(config, { migrations: apiMigrations, clock, log: (line) => logs.push(line) });
  app = await createApiApp(runtime);
  const runner = new CommandRunner(runtime.eventStore, { newId: runtime.newId });
  projector = startProjector({ pool: runtime.pool, eventStore: runtime.eventStore, projections: allProjections(runner), lockRetryMs: 200, log: (line) => logs.push(line) });
}, 120000);

afterAll(async () => {
  await projector?.stop();
  await app?.close();
  await runtime?.close();
  process.stdout.write = writes.out;
  process.stderr.write = writes.err;
  await pg?.stop();
}, 60000);

async function send(method: 'GET' | 'PUT' | 'POST', url: string, role: Role, body?: unknown, actingUser?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${await mintToken(TEST_AUTH_SECRET, { sub: 'e2e', roles: [role] })}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (actingUser) headers['x-acting-user-id'] = actingUser;
  const response = await app.getHttpAdapter().getInstance().inject({ method, url, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : null };
}
const erase = (subject: Record<string, string>) => send('POST', '/v1/erasures', 'data-protection', { subject });
const overview = async (after: string) => (await send('GET', `/v1/schools/${URN}?after=${after}`, 'reader')).body;
const dump = () => pg.dump(database);

describe('a school with users, an induction tutor, an ECT and a mentor', () => {
  let position = '0';
  it('shows their names and emails before any erasure (and stores them only sealed in the log)', async () => {
    await send('PUT', `/v1/schools/${URN}`, 'reference-data', { name: 'Oak Hill Primary', status: 'open', inEngland: true, eligibleType: true, section41Approved: false });
    for (const user of [UNA, KEPT]) expect((await send('POST', `/v1/schools/${URN}/users`, 'identity-sync', user)).status).toBe(201);
    expect((await send('PUT', `/v1/schools/${URN}/induction-tutor`, 'school-commands', TUTOR, UNA.userId)).status).toBe(200);
    const teacher = { startDate: '2026-09-01', workingPattern: 'full_time', trainingProgramme: 'provider_led', leadProviderId: 'lp-1', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress' };
    expect((await send('POST', `/v1/schools/${URN}/ects`, 'school-commands', { ...ECT, ...teacher }, UNA.userId)).status).toBe(201);
    expect((await send('POST', `/v1/schools/${URN}/mentors`, 'school-commands', { ...MENTOR, startDate: '2026-09-01' }, UNA.userId)).status).toBe(201);
    const assigned = await send('PUT', `/v1/schools/${URN}/ects/${ECT.trn}/mentor`, 'school-commands', { mentorTrn: MENTOR.trn }, UNA.userId);
    expect(assigned.status).toBe(200);
    position = (await send('PUT', `/v1/schools/${URN}/partnerships/2026`, 'partnerships', { leadProviderId: 'lp-1', deliveryPartnerId: 'dp-1' })).body.position;

    const text = JSON.stringify(await overview(position));
    for (const value of EVERYONE) expect(text).toContain(value);
    const events = (await runtime.pool.query(`select string_agg(data::text, ' ') as t from es_events`)).rows[0].t;
    for (const value of EVERYONE) expect(events).not.toContain(value);
  });

  it('answers 404 for a person nobody recorded, and 403 without the data-protection role', async () => {
    expect((await erase({ type: 'teacher', trn: '1111111' })).body.code).toBe('SUBJECT_NOT_FOUND');
    expect((await send('POST', '/v1/erasures', 'auditor', { subject: { type: 'user', userId: UNA.userId } })).status).toBe(403);
  });

  it('erases a teacher, a user and an induction tutor: blank in read models and state as of, gone from the dump', async () => {
    const results = [await erase({ type: 'teacher', trn: '8317529' }), await erase({ type: 'user', userId: UNA.userId }), await erase({ type: 'induction-tutor', email: TUTOR.email })];
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect((await erase({ type: 'teacher', trn: '8317529' })).status).toBe(200); // again: nothing new

    const last = results[2].body.position;
    const waiter = createPositionWaiter(runtime.pool);
    await waiter.waitForPosition(allProjections(new CommandRunner(runtime.eventStore, { newId: runtime.newId })).map((p) => p.name), BigInt(last), 20000);
    waiter.close();
    const after = await overview(last);
    expect(after.users.map((u: { email: string }) => u.email)).toEqual(['[erased]', KEPT.email]);
    expect(after.inductionTutor).toMatchObject({ name: '[erased]', email: '[erased]' });
    const ect = after.ects.items[0];
    expect(ect).toMatchObject({ trn: '[erased]', firstName: '[erased]', email: '[erased]', registeredBy: { name: '[erased]', email: '[erased]' } });
    expect(after.mentors.items[0]).toMatchObject({ firstName: MENTOR.firstName, registeredBy: { email: '[erased]' } });

    const asOf = encodeURIComponent(new Date().toISOString()); // events are recorded with PostgreSQL's clock
    const state = await send('GET', `/v1/audit/schools/${URN}/state?asOf=${asOf}`, 'auditor');
    expect(state.body.state.inductionTutor).toMatchObject({ name: '[erased]', email: '[erased]' });
    const history = await send('GET', `/v1/audit/streams/school-${URN}`, 'auditor');
    expect(history.body.events.find((e: { type: string }) => e.type === 'UserLinkedToSchool').data).toMatchObject({ userId: UNA.userId, email: '[erased]' });
    expect((await send('POST', '/v1/audit/verify', 'auditor', {})).body).toMatchObject({ ok: true, findings: [] });

    // The feed got a new snapshot of the school without them; older outbox messages holding them are gone.
    const outbox = await runtime.pool.query(`select value from feeds.outbox where key = $1 order by id`, [URN]);
    expect(outbox.rows.length).toBeGreaterThan(0);
    expect(outbox.rows[outbox.rows.length - 1].value).toContain('[erased]');

    const text = await dump();
    for (const value of ERASED_PEOPLE) expect([value, text.includes(value)]).toEqual([value, false]);
    expect(text).not.toMatch(/(^|[\t" ])8317529([\t" ]|$)/m);
    expect(text).toContain('Bertram'); // the dump does hold read models, and what was not erased
  });

  it('never logged any of their names or emails', () => {
    const text = logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const value of EVERYONE) expect([value, text.includes(value)]).toEqual([value, false]);
  });
});
