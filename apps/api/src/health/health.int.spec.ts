import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresProcess, type PostgresProcess } from '../../../../test/support/postgres-process';
import { startTestApi, type TestApi } from '../../../../test/support/api';

describe('health', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers live and ready without a token', async () => {
    expect((await api.request('GET', '/health/live')).status).toBe(200);
    const ready = await api.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', eventStore: 'ok' });
  });

  it('answers an unknown route with a problem document', async () => {
    const response = await api.request('GET', '/v1/nowhere');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: '/v1/nowhere' });
  });
});

const school = { name: 'Outage Primary', status: 'open', inEngland: true, eligibleType: true, section41Approved: false };

describe('given the database goes away while the API runs', () => {
  let server: PostgresProcess;
  let dataDir: string;
  let api: TestApi;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ect-health-pg-'));
    server = await startPostgresProcess(dataDir, { persistent: true });
    api = await startTestApi({ databaseUrl: server.url });
  });
  afterAll(async () => {
    await api.close();
    await server.stop();
  });

  it('fails readiness and answers commands with 503 while it is away, and recovers when it returns', async () => {
    const port = server.port;
    await server.stop();
    const down = await api.request('GET', '/health/ready');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'NOT_READY', checks: { database: 'failing', eventStore: 'failing' } });
    expect((await api.request('GET', '/health/live')).status).toBe(200);
    const command = await api.request('PUT', '/v1/schools/100300', { role: 'reference-data', body: school });
    expect(command.status).toBe(503);
    expect(command.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(command.headers['retry-after']).toBe('5');

    server = await startPostgresProcess(dataDir, { persistent: true, port });
    const up = await api.request('GET', '/health/ready');
    expect(up.status).toBe(200);
    expect((await api.request('PUT', '/v1/schools/100300', { role: 'reference-data', body: school })).status).toBe(201);
  });
});
