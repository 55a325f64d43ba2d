import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { teacherStreamFor } from '@ect/audit';
import { createRuntime, mintToken, type Role, type Runtime } from '@ect/nest-kit';
import { loadConfig } from '@ect/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { createApiApp } from '../../api/src/api.app';
import { apiMigrations } from '../../api/src/api.migrations';
import { startPostgresProcess, type PostgresProcess } from '../../../test/support/postgres-process';
import { ROOT } from '../../../test/support/processes';

// The audit CLI as a process beside a "running service": an embedded PostgreSQL started in DATA_DIR (its
// cluster.json there) and the service's runtime, which generated its secrets in DATA_DIR. The CLI gets only DATA_DIR.
let dataDir: string;
let server: PostgresProcess;
let runtime: Runtime;
let app: NestFastifyApplication;
const urn = String(200000 + Math.floor(Math.random() * 700000));
const trn = String(1000000 + Math.floor(Math.random() * 8000000));
const userId = randomUUID();

async function send(method: 'PUT' | 'POST', url: string, role: Role, body: unknown, headers: Record<string, string> = {}) {
  const token = await mintToken(runtime.authSecret, { sub: 'cli-spec', roles: [role] });
  const response = await app.getHttpAdapter().getInstance().inject({ method, url, payload: body as object, headers: { authorization: `Bearer ${token}`, ...headers } });
  expect(response.statusCode).toBeLessThan(300);
  return JSON.parse(response.body);
}

function audit(
  args: string[],
  env: Record<string, string> = {},
  onStderr?: (stderr: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|TEST_POSTGRES_URL|STREAM_KEY_SECRET|EVENT_STORE|EVENTSTORE_CONNECTION_STRING)$/.test(k)));
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'apps/audit/src/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...clean, DATA_DIR: dataDir, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => {
    stderr += c;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ect-audit-cli-'));
  server = await startPostgresProcess(dataDir, { persistent: true });
  runtime = await createRuntime(loadConfig({ APP_ENV: 'development', DATABASE_URL: server.url, DATA_DIR: dataDir, LOG_LEVEL: 'error' }), { migrations: apiMigrations });
  app = await createApiApp(runtime, { logger: false });
  await send('PUT', `/v1/schools/${urn}`, 'reference-data', { name: 'Oak Hill', status: 'open', inEngland: true, eligibleType: true, section41Approved: false });
  await send('POST', `/v1/schools/${urn}/users`, 'identity-sync', { userId, email: 'ada@oak.example.org', firstName: 'Ada', lastName: 'Lovelace' });
  await send('POST', `/v1/schools/${urn}/ects`, 'school-commands', {
    trn, firstName: 'Sam', lastName: 'Teacher', email: `ect-${trn}@example.org`, startDate: '2026-09-01', workingPattern: 'full_time',
    trainingProgramme: 'school_led', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress',
  }, { 'x-acting-user-id': userId });
}, 120000);
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run audit -- --help', () => {
  it('lists the commands; an unknown command exits with 2', async () => {
    const help = await audit(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['history <stream>', 'state school <urn>', 'state teacher <trn>', 'export', 'verify']) expect(help.stdout).toContain(command);
    const unknown = await audit(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
  }, 60000);
});

describe('history', () => {
  it('prints a table of the school\'s events with their metadata, and JSON lines with --json, filtered by --type', async () => {
    const table = await audit(['history', 'school', urn]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^POSITION\s+VERSION\s+RECORDED AT\s+TYPE\s+ACTING USER\s+SERVICE\s+CORRELATION ID\s+CAUSATION ID$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[3])).toEqual(['SchoolDetailsRecorded', 'UserLinkedToSchool']);
    expect(lines[2]).toContain('cli-spec');

    const json = await audit(['history', `school-${urn}`, '--json', '--type', 'UserLinkedToSchool']);
    const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([expect.objectContaining({ version: 1, type: 'UserLinkedToSchool', metadata: expect.objectContaining({ actingService: 'cli-spec' }) })]);
  }, 60000);

  it('finds a teacher\'s stream from the TRN with the secret the service generated in DATA_DIR', async () => {
    const secret = (await readFile(join(dataDir, 'stream-key.secret'), 'utf8')).trim();
    const json = await audit(['history', 'teacher', trn, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout.trim().split('\n')[0])).toMatchObject({ stream: teacherStreamFor(trn, secret), type: 'ECTRegistered' });
  }, 60000);
});

describe('state', () => {
  it('prints the school as of an instant; before it was known it exits with 2 and says so', async () => {
    const now = await audit(['state', 'school', urn, '--as-of', new Date().toISOString()]);
    expect(now.code).toBe(0);
    expect(JSON.parse(now.stdout)).toMatchObject({ streamVersion: 1, state: { urn, linkedUsers: [expect.objectContaining({ userId })] } });
    const before = await audit(['state', 'school', urn, '--as-of', '2001-01-01']);
    expect(before.code).toBe(2);
    expect(before.stderr).toMatch(/was not known/);
  }, 60000);

  it('prints the teacher as of an instant', async () => {
    const now = await audit(['state', 'teacher', trn, '--as-of', new Date().toISOString()]);
    expect(JSON.parse(now.stdout).state.ectRegistrations).toEqual([expect.objectContaining({ schoolUrn: urn, trainingProgramme: 'school_led' })]);
  }, 60000);
});

describe('export', () => {
  it('writes every event as JSON lines with progress, and after an interruption continues without duplicates', async () => {
    const file = join(dataDir, 'export.jsonl');
    const first = await audit(['export', '--out', file]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^export: \d+ events, 100%, position \d+$/m);
    const complete = await readFile(file, 'utf8');
    const count = complete.trim().split('\n').length;
    expect(first.stdout).toContain(`Exported ${count} event(s) to ${file}`);

    // What an export killed mid-write leaves: some lines, then half of one.
    const kept = complete.split('\n').slice(0, 2).join('\n');
    await writeFile(file, `${kept}\n${complete.split('\n')[2].slice(0, 25)}`);
    const resumed = await audit(['export', '--out', file]);
    expect(resumed.stdout).toMatch(/resumed after position \d+/);
    expect(await readFile(file, 'utf8')).toBe(complete);
  }, 60000);
});

describe('export interrupted with Ctrl-C while it waits for a write still in flight', () => {
  it('stops with 130 after the events before it, and run again later exports the rest: no duplicates, no gaps', async () => {
    const file = join(dataDir, 'interrupted.jsonl');
    // A transaction holds a drawn position open, so readers must stop before it; later appends commit after it.
    const holder = new Client({ connectionString: server.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query(`insert into es_streams values ('held-1', -1)`);
    await holder.query(`insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata)
                        values (gen_random_uuid(), 'held-1', 0, 'Held', 1, '{}', '{}')`);
    const before = (await runtime.pool.query('select max(global_position)::text as p from es_events')).rows[0].p;
    await send('POST', `/v1/schools/${urn}/users`, 'identity-sync', { userId: randomUUID(), email: 'bob@oak.example.org', firstName: 'Bob', lastName: 'Later' });
    try {
      const interrupted = await audit(['export', '--out', file], {}, (stderr, child) => {
        if (new RegExp(`position ${before}\\n`).test(stderr)) child.kill('SIGINT');
      });
      expect(interrupted.code).toBe(130);
      expect(interrupted.stderr).toMatch(/Interrupted after \d+ event\(s\).*Run the same command again to continue/);
      expect((await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).position).pop()).toBe(before);
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const resumed = await audit(['export', '--out', file]);
    expect(resumed.code).toBe(0);
    const positions = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).position);
    const all = (await runtime.pool.query('select global_position::text as p from es_events order by global_position')).rows.map((r) => r.p);
    expect(positions).toEqual(all);
  }, 60000);
});

describe('verify', () => {
  it('exits with 0 while chains are intact, and with 1 naming the stream, version and problem once a row was edited', async () => {
    const intact = await audit(['verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^OK: every hash chain is intact/);

    await runtime.pool.query(`update es_events set data = data || '{"name": "Elm Hill"}' where stream_name = $1 and stream_version = 0`, [`school-${urn}`]);
    const broken = await audit(['verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`^school-${urn}\\s+0\\s+\\d+\\s+changed-content\\s+its content`, 'm'));
    const json = await audit(['verify', '--stream', `school-${urn}`, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, findings: [{ stream: `school-${urn}`, version: 0, problem: 'changed-content' }] });
  }, 60000);
});

describe('given no running service in DATA_DIR and no DATABASE_URL', () => {
  it('exits with 2 and says where it looked', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'ect-audit-empty-'));
    const result = await audit(['verify'], { DATA_DIR: empty });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`no embedded PostgreSQL in DATA_DIR (${empty})`);
    await rm(empty, { recursive: true, force: true });
  }, 60000);
});
