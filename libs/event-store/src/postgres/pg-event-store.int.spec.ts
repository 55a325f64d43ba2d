import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { migrate } from '@ect/platform';
import { startPostgresProcess, type PostgresProcess } from '../../../../test/support/postgres-process';
import { anEvent, collect, describeEventStoreContract, uniqueStream } from '../contract/event-store.contract';
import { ExpectedVersion } from '../event-store.port';
import { EventStoreUnavailableError } from '../event-store.errors';
import { PostgresEventStore } from './pg-event-store';
import { eventStoreMigrations } from './pg-event-store.migrations';

// Its own real PostgreSQL server (not the shared test server), so the suite can restart it.
let server: PostgresProcess;
let dataDir: string;
let pool: Pool;
let store: PostgresEventStore;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ect-es-pg-'));
  server = await startPostgresProcess(dataDir, { persistent: true });
  pool = new Pool({ connectionString: server.url, max: 20 });
  pool.on('error', () => undefined); // idle clients die when the server restarts; the pool replaces them
  await migrate(pool, eventStoreMigrations);
  store = new PostgresEventStore(pool, { pollIntervalMs: 10 });
}, 60000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describeEventStoreContract('PostgreSQL', {
  store: () => store,
  restartServer: async () => {
    const port = server.port;
    await server.stop();
    server = await startPostgresProcess(dataDir, { persistent: true, port });
  },
});

describe('PostgreSQL adapter: out-of-order commits', () => {
  describe('when an append draws its position, then commits after later appends have committed', () => {
    it('holds readers at the gap and then delivers every event once, in position order', async () => {
      // A trigger makes appends of `Slow` events wait, after their position is drawn, until the test releases a lock.
      await pool.query(`
        create or replace function es_test_hold() returns trigger language plpgsql as $$
        begin
          if new.event_type = 'Slow' then perform pg_advisory_lock(4242); perform pg_advisory_unlock(4242); end if;
          return new;
        end $$;
        create or replace trigger es_test_hold after insert on es_events for each row execute function es_test_hold();
      `);
      const gate = new Client({ connectionString: server.url });
      await gate.connect();
      await gate.query('select pg_advisory_lock(4242)');
      try {
        const category = `ooo${Date.now()}`;
        const head = await store.headPosition();
        const slow = store.append(`${category}-slow`, [anEvent('Slow')], ExpectedVersion.any);
        // Wait until the slow append has drawn its position (its row exists but is not committed).
        await waitFor(async () => (await pool.query(`select last_value from es_global_position_seq`)).rows[0].last_value > head);
        const fast = [];
        for (let i = 0; i < 5; i++) fast.push(await store.append(`${category}-fast`, [anEvent(`Fast${i}`)], ExpectedVersion.any));

        // The later events are committed and visible, yet a reader may not pass the uncommitted earlier position.
        const visible = await pool.query('select count(*)::int as n from es_events where global_position > $1', [head.toString()]);
        expect(visible.rows[0].n).toBe(5);
        expect(await store.readAll({ after: head })).toEqual([]);

        const received = collect(store, 6, { after: head, streamPrefixes: [`${category}-`] });
        await new Promise((r) => setTimeout(r, 200));
        await gate.query('select pg_advisory_unlock(4242)');
        const slowResult = await slow;
        const events = await received;
        expect(events.map((e) => e.type)).toEqual(['Slow', 'Fast0', 'Fast1', 'Fast2', 'Fast3', 'Fast4']);
        expect(events[0].globalPosition).toBe(slowResult.lastPosition);
        expect(slowResult.lastPosition < fast[0].lastPosition).toBe(true);
      } finally {
        await gate.end();
        await pool.query('drop trigger if exists es_test_hold on es_events');
      }
    });

    it('passes a gap left by a rolled-back append once that transaction has ended', async () => {
      const category = `rb${Date.now()}`;
      const head = await store.headPosition();
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`insert into es_streams values ($1, -1)`, [`${category}-x`]);
        await client.query(
          `insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata)
           values (gen_random_uuid(), $1, 0, 'Doomed', 1, '{}', '{}')`,
          [`${category}-x`],
        );
        await store.append(`${category}-y`, [anEvent('After')], ExpectedVersion.any);
        expect(await store.readAll({ after: head })).toEqual([]);
        await client.query('rollback');
      } finally {
        client.release();
      }
      const events = await collect(store, 1, { after: head, streamPrefixes: [`${category}-`] });
      expect(events.map((e) => e.type)).toEqual(['After']);
    });
  });
});

describe('PostgreSQL adapter: when the server is away', () => {
  it('raises EventStoreUnavailableError, and works again when the server is back', async () => {
    const port = server.port;
    await server.stop();
    try {
      await expect(store.append(uniqueStream(), [anEvent()], ExpectedVersion.any)).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readStream(uniqueStream())).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      server = await startPostgresProcess(dataDir, { persistent: true, port });
    }
    const result = await store.append(uniqueStream(), [anEvent()], ExpectedVersion.any);
    expect(result.nextExpectedVersion).toBe(0);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
