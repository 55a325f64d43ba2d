/**
 * The relay dies while it sends: killed with SIGKILL in a process of its own, or stopped in-process in the middle
 * of a batch. A second relay then takes over the lock. Real PostgreSQL, the run's real broker.
 */
import { unsentCount, type Relay } from '@ect/feeds';
import { startNode, type RunningProcess } from '../support/processes';
import { startTestApi, type TestApi } from '../support/api';
import { startTestKafka, type SaslCredentials, type TestKafka } from '../support/kafka';
import { outboxRows, provisionedLeadProvider, readTopic, servicePrincipal, startTestRelay, type FeedRecord } from './feed-support';
import { SchoolScenario } from './school-scenario';

jest.setTimeout(240000);

const BATCH = 5;
let api: TestApi;
let kafka: TestKafka;
let service: SaslCredentials;
const relays: Relay[] = [];
let child: RunningProcess | undefined;
beforeAll(async () => {
  [kafka, api] = await Promise.all([startTestKafka(), startTestApi({ projector: true })]);
  service = await servicePrincipal(kafka);
}, 240000);
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.stop();
});
afterAll(async () => {
  await child?.stop('SIGKILL');
  await api?.close();
  await kafka?.stop();
});

const pending = () => unsentCount((sql, params) => api.runtime.pool.query(sql, params));
const sent = async () => (await api.runtime.pool.query<{ n: number }>('select count(*)::int as n from feeds.outbox where sent_at is not null')).rows[0].n;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 120000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A partnered school with `changes` snapshot versions queued (nothing sent yet). */
async function backlog(changes: number) {
  const s = new SchoolScenario(api);
  const lp = await provisionedLeadProvider(kafka, 'lp-crash');
  const urn = await s.school('Crash');
  await s.partner(urn, lp.id);
  for (let i = 1; i < changes; i++) await s.link(urn, `User${i}`);
  await api.request('GET', `/v1/lead-providers/${lp.id}/contacts?after=${s.position}`, { token: await api.token('lead-provider', { leadProviderId: lp.id }) });
  return lp;
}

/** Nothing lost, in order, and a repeat only as at-least-once allows: a row sent again, same id and same value. */
function expectAtLeastOnceInOrder(onTopic: FeedRecord[], queued: { event_id: string; value: string | null }[]): number {
  const byId = new Map(queued.map((r) => [r.event_id, r.value]));
  for (const record of onTopic) expect(JSON.stringify(record.value)).toBe(byId.get(record.headers['event-id']));
  const firstSeen = onTopic.map((r) => r.headers['event-id']).filter((id, i, all) => all.indexOf(id) === i);
  expect(firstSeen).toEqual(queued.map((r) => r.event_id));
  return onTopic.length - queued.length;
}

describe('given a backlog in the outbox', () => {
  it('when the relay process is killed (SIGKILL) while sending and another relay takes over, then every row reaches the topic in order, a repeat carrying the same event-id', async () => {
    const lp = await backlog(300);
    const queued = await outboxRows(api, `topic = '${lp.topic}'`);
    expect(queued).toHaveLength(300);

    // tsx as a loader inside the one node process (its CLI would run the script in a child that SIGKILL misses).
    child = startNode('test/feeds/relay-child.ts', {
      NODE_OPTIONS: '--import tsx', RELAY_DATABASE_URL: api.database!.url, RELAY_BROKERS: kafka.brokers.join(','), RELAY_USERNAME: service.username, RELAY_PASSWORD: service.password,
      RELAY_BATCH_SIZE: String(BATCH), RELAY_SEND_TIMEOUT_MS: '2000',
    });
    await until(async () => (await sent()) >= 40, 'the child relay to send 40 rows', 120000, 10);
    await child.waitFor(/holding the relay lock/);
    child.child.kill('SIGKILL');
    await child.exited;
    const leftBehind = await pending();
    expect(leftBehind).toBeGreaterThan(0);

    const successor = startTestRelay(api, kafka.client(service, 'crash-successor'), { batchSize: BATCH, sendTimeoutMs: 2000 });
    relays.push(successor);
    await until(async () => (await pending()) === 0, 'the successor to drain the outbox');

    const repeats = expectAtLeastOnceInOrder(await readTopic(kafka, lp.topic), queued);
    // At most the batch in flight at the kill (acknowledged, not yet marked sent) goes twice.
    expect(repeats).toBeLessThanOrEqual(BATCH);
    expect(successor.health().sent).toBe(leftBehind);
  });

  it('when the relay is stopped in the middle of a batch and started again, then nothing is lost and nothing is reordered', async () => {
    const lp = await backlog(200);
    const queued = await outboxRows(api, `topic = '${lp.topic}'`);
    const before = await sent();

    const first = startTestRelay(api, kafka.client(service, 'crash-stopped'), { batchSize: BATCH, sendTimeoutMs: 2000 });
    relays.push(first);
    await until(async () => (await sent()) - before >= 30, 'the relay to send 30 rows', 120000, 5);
    await first.stop();
    expect(await pending()).toBeGreaterThan(0);
    relays.push(startTestRelay(api, kafka.client(service, 'crash-restarted'), { batchSize: BATCH, sendTimeoutMs: 2000 }));
    await until(async () => (await pending()) === 0, 'the restarted relay to drain the outbox');

    expect(expectAtLeastOnceInOrder(await readTopic(kafka, lp.topic), queued)).toBeLessThanOrEqual(BATCH);
  });
});
