import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@ect/platform';
import { ROOT, startNode, type RunningProcess } from '../support/processes';

// `npm run demo` against a running service (the built API on the embedded default, projections in-process).
describe('given a running service', () => {
  let api: RunningProcess;
  let dataDir: string;
  let port: number;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ect-demo-'));
    port = await freePort();
    api = startNode('dist/apps/api/src/main.js', { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    await api.waitFor(/listening on/, 90000);
  });
  afterAll(() => api?.stop());

  it('the demo sends the scenario and prints the school overview as a reader sees it', () => {
    const demo = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/demo.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DEMO_URL: `http://127.0.0.1:${port}`, AUTH_JWT_SECRET: '' },
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    const out = demo.stdout;
    expect(out).toMatch(/Induction tutor: Helen Marsh <helen\.marsh@\d{6}\.example\.org> \(20\d\d\)/);
    expect(out).toContain('Users: Priya Shah, Tom Baker\n');
    expect(out).toMatch(/Aisha Khan \(\d{7}\) ongoing, from 20\d\d-06-01, provider_led with ambition-institute, mentor Rosa Lind, registered by Priya Shah/);
    expect(out).toMatch(/Ben Carter \(\d{7}\) leaving until \d{4}-\d\d-\d\d, .* registered by Tom Baker/);
    expect(out).toMatch(/Rosa Lind \(\d{7}\) ongoing, mentoring Aisha Khan, registered by Tom Baker/);
  });
});
