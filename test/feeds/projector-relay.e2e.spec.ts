/**
 * The built projector process (`npm test` builds first) and its relay: off without Kafka (the outbox accumulates and
 * /health says so), publishing once started with KAFKA_BROKERS and the service principal's credentials.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExpectedVersion, PostgresEventStore } from '@ect/event-store';
import { freePort } from '@ect/platform';
import { unsentCount } from '@ect/feeds';
import { freshDatabase, type TestDatabase } from '../support/database';
import { startTestKafka, type TestKafka } from '../support/kafka';
import { startNode, type RunningProcess } from '../support/processes';
import { provisionedLeadProvider, servicePrincipal, waitForTopic } from './feed-support';

jest.setTimeout(180000);

let db: TestDatabase;
let kafka: TestKafka;
const running: RunningProcess[] = [];
beforeAll(async () => {
  [db, kafka] = await Promise.all([freshDatabase(), startTestKafka()]);
  db.pool.on('error', () => undefined);
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await db?.drop();
  await kafka?.stop();
});

async function startProjector(env: Record<string, string | undefined>): Promise<number> {
  const port = await freePort();
  const projector = startNode('dist/apps/projector/src/main.js', {
    HOST: '127.0.0.1', PROJECTOR_PORT: String(port), DATABASE_URL: db.url, DATA_DIR: await mkdtemp(join(tmpdir(), 'ect-feed-proj-')), KAFKA: undefined, KAFKA_BROKERS: undefined, ...env,
  });
  running.push(projector);
  await projector.waitFor(/projector listening on/, 90000);
  return port;
}

const relayOf = async (port: number) => ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { relay: { state: string; reason?: string } }).relay;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function partneredSchool(urn: string, leadProviderId: string): Promise<void> {
  const metadata = { correlationId: randomUUID(), causationId: null, actingUserId: null, actingService: 'feed-e2e' };
  const event = (type: string, data: Record<string, unknown>) => ({ eventId: randomUUID(), type, schemaVersion: 1, data, metadata });
  await new PostgresEventStore(db.pool).append(`school-${urn}`, [
    event('SchoolDetailsRecorded', { urn, name: 'E2E School', status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: 'office@e2e.example.org', secondaryContactEmail: null }),
    event('SchoolPartnershipConfirmed', { contractPeriod: 2026, leadProviderId, deliveryPartnerId: 'dp-1' }),
  ], ExpectedVersion.noStream);
}

describe('given a projector with no Kafka configured', () => {
  it('then /health says the relay is off and feed messages wait in the outbox; a projector started with KAFKA_BROKERS then publishes them', async () => {
    const lp = await provisionedLeadProvider(kafka, 'lp-e2e');
    const off = await startProjector({});
    await partneredSchool('123456', lp.id);

    await until(async () => (await unsentCount((sql, params) => db.pool.query(sql, params))) === 1, 'the snapshot to be queued');
    expect(await relayOf(off)).toMatchObject({ state: 'off', reason: expect.stringMatching(/no Kafka configured/) });
    await running.pop()!.stop();

    const service = await servicePrincipal(kafka);
    const on = await startProjector({ KAFKA_BROKERS: kafka.brokers.join(','), KAFKA_SASL_USERNAME: service.username, KAFKA_SASL_PASSWORD: service.password });
    const records = await waitForTopic(kafka, lp.topic, (r) => r.length === 1);

    expect(records[0]).toMatchObject({ key: '123456', value: { leadProviderId: lp.id, school: { urn: '123456', name: 'E2E School' } } });
    await until(async () => (await relayOf(on)).state === 'idle', 'the relay to be idle');
    expect(await unsentCount((sql, params) => db.pool.query(sql, params))).toBe(0);
  });
});
