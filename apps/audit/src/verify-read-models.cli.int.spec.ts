import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandRunner } from '@ect/command-runner';
import { createRuntime, mintToken, type Role, type Runtime } from '@ect/nest-kit';
import { loadConfig } from '@ect/platform';
import { createPositionWaiter, startProjector, type Projector } from '@ect/projection-runtime';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../api/src/api.app';
import { projections, projectionsFor, projectorMigrations } from '../../projector/src/projections';
import { startPostgresProcess, type PostgresProcess } from '../../../test/support/postgres-process';
import { ROOT } from '../../../test/support/processes';

// `verify-read-models` as a process beside a running service: an embedded PostgreSQL in DATA_DIR (its cluster.json
// there), the API and a projector running every registered projection. The CLI gets only DATA_DIR.
let dataDir: string;
let server: PostgresProcess;
let runtime: Runtime;
let app: NestFastifyApplication;
let projector: Projector;
const urn = String(200000 + Math.floor(Math.random() * 700000));
const [ectTrn, mentorTrn] = [String(1000000 + Math.floor(Math.random() * 4000000)), String(5000000 + Math.floor(Math.random() * 4000000))];
const userId = randomUUID();
let lastPosition = '0';

async function send(method: 'PUT' | 'POST', url: string, role: Role, body: unknown, headers: Record<string, string> = {}) {
  const token = await mintToken(runtime.authSecret, { sub: 'verify-spec', roles: [role] });
  const response = await app.getHttpAdapter().getInstance().inject({ method, url, payload: body as object, headers: { authorization: `Bearer ${token}`, ...headers } });
  expect(response.statusCode).toBeLessThan(300);
  lastPosition = JSON.parse(response.body).position;
}

function audit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|TEST_POSTGRES_URL|STREAM_KEY_SECRET|EVENT_STORE|EVENTSTORE_CONNECTION_STRING)$/.test(k)));
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'apps/audit/src/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...clean, DATA_DIR: dataDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const scratchSchemas = async () => (await runtime.pool.query(`select nspname from pg_namespace where nspname like 'proj\\_%\\_verify'`)).rows;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ect-verify-read-models-'));
  server = await startPostgresProcess(dataDir, { persistent: true });
  runtime = await createRuntime(loadConfig({ APP_ENV: 'development', DATABASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'error' }), { migrations: projectorMigrations });
  app = await createApiApp(runtime, { logger: false });
  const runner = new CommandRunner(runtime.eventStore, { newId: runtime.newId });
  projector = startProjector({ pool: runtime.pool, eventStore: runtime.eventStore, projections: projectionsFor(runner), log: () => undefined });

  await send('PUT', `/v1/schools/${urn}`, 'reference-data', { name: 'Oak Hill', status: 'open', inEngland: true, eligibleType: true, section41Approved: false });
  await send('PUT', `/v1/schools/${urn}/partnerships/2026`, 'partnerships', { leadProviderId: 'ambition-institute', deliveryPartnerId: 'north-hub' });
  await send('POST', `/v1/schools/${urn}/users`, 'identity-sync', { userId, email: 'ada@oak.example.org', firstName: 'Ada', lastName: 'Lovelace' });
  const acting = { 'x-acting-user-id': userId };
  await send('POST', `/v1/schools/${urn}/ects`, 'school-commands', {
    trn: ectTrn, firstName: 'Sam', lastName: 'Teacher', email: `ect-${ectTrn}@example.org`, startDate: '2026-09-01', workingPattern: 'full_time',
    trainingProgramme: 'school_led', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress',
  }, acting);
  await send('POST', `/v1/schools/${urn}/mentors`, 'school-commands', { trn: mentorTrn, firstName: 'Rosa', lastName: 'Lind', email: `m-${mentorTrn}@example.org`, startDate: '2026-09-01' }, acting);
  await send('PUT', `/v1/schools/${urn}/ects/${ectTrn}/mentor`, 'school-commands', { mentorTrn }, acting);
  await createPositionWaiter(runtime.pool).waitForPosition(projections.map((p) => p.name), BigInt(lastPosition), 30000);
}, 120000);
afterAll(async () => {
  await projector?.stop();
  await app?.close();
  await runtime?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run audit -- verify-read-models', () => {
  it('given read models built by the running projector, reports every one OK, with progress, and leaves no scratch schema', async () => {
    const result = await audit(['verify-read-models']);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    for (const { name } of projections) expect(result.stdout).toMatch(new RegExp(`^${name}: OK at position ${lastPosition} \\(\\d+ table\\(s\\), \\d+ event\\(s\\) replayed\\)$`, 'm'));
    expect(result.stdout).toContain(`OK: ${projections.length} read model(s) match a rebuild from the events.`);
    expect(result.stderr).toMatch(/^verify-read-models school-overview: \d+ events, 100%, position \d+ of \d+, comparing with the live tables$/m);
    expect(await scratchSchemas()).toEqual([]);
  }, 120000);

  it('given a live row changed by hand, exits with 1 naming the table and the row by its key only, whole rows with --show-rows', async () => {
    await runtime.pool.query(`update proj_school_overview.schools set name = 'Tampered Name' where urn = $1`, [urn]);
    try {
      const result = await audit(['verify-read-models']);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^school-overview: DIFFERS at position \d+/m);
      expect(result.stdout).toContain('  schools: 1 row(s) only in live, 1 row(s) only in the rebuilt copy (by urn)');
      expect(result.stdout).toContain(`    only in live: {"urn":"${urn}"}`);
      expect(result.stdout).toContain(`    only in copy: {"urn":"${urn}"}`);
      expect(result.stdout).toMatch(/^teacher-history: OK/m);
      expect(result.stdout).not.toMatch(/Tampered|Oak Hill/);
      expect(result.stdout).toMatch(/NOT OK: 1 read model\(s\) differ .*--show-rows shows whole rows/);

      const full = await audit(['verify-read-models', '--projection', 'school-overview', '--show-rows', '--json']);
      expect(full.code).toBe(1);
      const report = JSON.parse(full.stdout);
      expect(report.projections.map((p: { projection: string }) => p.projection)).toEqual(['school-overview']);
      const schools = report.projections[0].result.tables.find((t: { table: string }) => t.table === 'schools');
      expect(schools.samplesOnlyInLive).toEqual([expect.objectContaining({ urn, name: 'Tampered Name' })]);
      expect(schools.samplesOnlyInCopy).toEqual([expect.objectContaining({ urn, name: 'Oak Hill' })]);
      expect(await scratchSchemas()).toEqual([]);
    } finally {
      await runtime.pool.query(`update proj_school_overview.schools set name = 'Oak Hill' where urn = $1`, [urn]);
    }
  }, 120000);

  it('given an unknown projection or a stray argument, exits with 2', async () => {
    const unknown = await audit(['verify-read-models', '--projection', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown projection "nope"; the projections are event-counts, school-overview');
    const stray = await audit(['verify-read-models', 'school-overview']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/verify-read-models takes options only/);
  }, 60000);
});
