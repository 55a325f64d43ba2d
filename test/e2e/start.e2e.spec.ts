import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@ect/platform';
import { mintToken } from '@ect/nest-kit';
import { spawnSync } from 'node:child_process';
import { ROOT, startNode, type RunningProcess } from '../support/processes';

// Runs the built API (`npm run build` output, as `npm start` runs it) on the embedded PostgreSQL default.
const API = 'dist/apps/api/src/main.js';

async function startApi(dataDir: string, port: number): Promise<RunningProcess> {
  const api = startNode(API, { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', AUTH_JWT_SECRET: undefined, STREAM_KEY_SECRET: undefined });
  await api.waitFor(/listening on/, 90000);
  return api;
}

describe('given a fresh data folder and no DATABASE_URL', () => {
  let dataDir: string;
  let port: number;
  let api: RunningProcess | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ect-start-'));
    port = await freePort();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('starts the API on an embedded PostgreSQL, generates an owner-only secret and says so, and is ready', async () => {
    api = await startApi(dataDir, port);
    expect(api.output()).toMatch(/Embedded PostgreSQL on 127\.0\.0\.1:\d+/);
    expect(api.output()).toMatch(/AUTH_JWT_SECRET is not set: using a newly generated secret/);
    expect(api.output()).toMatch(/npm run token -- <role>/);
    const secretFile = join(dataDir, 'auth-jwt.secret');
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
  });

  it('keeps its data across a restart', async () => {
    const secret = (await readFile(join(dataDir, 'auth-jwt.secret'), 'utf8')).trim();
    const token = await mintToken(secret, { sub: 'e2e', roles: ['reference-data', 'reader'] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const put = await fetch(`http://127.0.0.1:${port}/v1/schools/100200`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ name: 'Kept School', status: 'open', inEngland: true, eligibleType: true, section41Approved: false }),
    });
    expect(put.status).toBe(201);
    expect(await api!.stop()).toBe(0);
    api = await startApi(dataDir, port);
    // A reader's token from `npm run token -- reader`, as the start-up banner says.
    const minted = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'apps/api/src/cli/token.ts'), 'reader'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(minted.status).toBe(0);
    const read = await fetch(`http://127.0.0.1:${port}/v1/schools/100200/stream-state`, { headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { school: { details: { name: string } } }).school.details.name).toBe('Kept School');
  });

  it('runs beside a second instance with another DATA_DIR and PORT', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'ect-start-other-'));
    const otherPort = await freePort();
    const other = await startApi(otherDir, otherPort);
    try {
      expect((await fetch(`http://127.0.0.1:${otherPort}/health/ready`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      const otherSecret = (await readFile(join(otherDir, 'auth-jwt.secret'), 'utf8')).trim();
      const token = await mintToken(otherSecret, { sub: 'e2e', roles: ['reader'] });
      const read = await fetch(`http://127.0.0.1:${otherPort}/v1/schools/100200/stream-state`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(404);
    } finally {
      await other.stop();
    }
  });
});

describe('given bad configuration or an unreachable database', () => {
  it('names the bad variable and exits non-zero', async () => {
    const api = startNode(API, { PORT: 'eighty', DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-bad-')) });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain('Configuration error: PORT must be a whole number');
  });

  it('says plainly that PostgreSQL is unreachable and exits non-zero', async () => {
    const api = startNode(API, { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/nothing', DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-bad-')) });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/nothing is unreachable/);
    expect(api.output()).not.toContain('secret@');
  });
});
