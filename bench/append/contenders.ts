/**
 * The three ways of appending that the benchmark compares. Each child process uses exactly one of them (Emmett's
 * driver layer changes `pg`'s global type parsers when its pool is created, and peak RSS is measured per process).
 * All three modules are loaded in every child, so the children start from the same baseline.
 */
import type { Pool } from 'pg';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { ExpectedVersion, PostgresEventStore, eventStoreMigrations } from '@ect/event-store';
import { migrate } from '@ect/platform';
import type { AppendFn, BenchEvent, ContenderName } from './workload';
import { EVENT_TYPE, SCHEMA_VERSION } from './workload';

export interface Contender {
  /** Creates the schema (idempotent). */
  setup(): Promise<void>;
  /** Empties the tables, so every cell starts from the same empty state. */
  reset(): Promise<void>;
  append: AppendFn;
  /** The contender's events table. */
  eventsTable: string;
  /** Rows in the contender's events table (checked after each run). */
  countEvents(): Promise<number>;
  close(): Promise<void>;
}

export async function loadContender(name: ContenderName, pool: Pool, url: string): Promise<Contender> {
  switch (name) {
    case 'ours':
      return ours(pool);
    case 'raw':
      return raw(pool);
    case 'emmett':
      return emmett(pool, url);
  }
}

/** (a) Our adapter, exactly as the service uses it. */
async function ours(pool: Pool): Promise<Contender> {
  const store = new PostgresEventStore(pool);
  return {
    setup: async () => void (await migrate(pool, eventStoreMigrations)),
    reset: async () => void (await pool.query('truncate es_events, es_streams')),
    append: async (stream, events, eventsBefore) => {
      const expected = eventsBefore === 0 ? ExpectedVersion.noStream : ExpectedVersion.exact(eventsBefore - 1);
      await store.append(
        stream,
        events.map((e) => ({ eventId: e.eventId, type: EVENT_TYPE, schemaVersion: SCHEMA_VERSION, data: e.data, metadata: e.metadata })),
        expected,
      );
    },
    eventsTable: 'es_events',
    countEvents: () => countRows(pool, 'es_events'),
    close: () => store.close(),
  };
}

/**
 * (b) The floor: one multi-row INSERT of the same rows into a table built by the same migration as ours (same
 * columns, sequence and indexes), autocommit, no stream row, no version check, no idempotency lookup.
 */
async function raw(pool: Pool): Promise<Contender> {
  return {
    setup: async () => void (await migrate(pool, eventStoreMigrations)),
    reset: async () => void (await pool.query('truncate es_events, es_streams')),
    append: async (stream, events, eventsBefore) => {
      const values: unknown[] = [];
      const tuples = events.map((e: BenchEvent, i) => {
        values.push(e.eventId, stream, eventsBefore + i, EVENT_TYPE, SCHEMA_VERSION, JSON.stringify(e.data), JSON.stringify(e.metadata));
        const p = i * 7;
        return `($${p + 1}::uuid, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}::jsonb, $${p + 7}::jsonb)`;
      });
      await pool.query(
        `insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata)
         values ${tuples.join(', ')}`,
        values,
      );
    },
    eventsTable: 'es_events',
    countEvents: () => countRows(pool, 'es_events'),
    close: async () => undefined,
  };
}

/**
 * (c) Emmett's PostgreSQL event store on the same kind of pg.Pool. Expected version: Emmett counts events from 1,
 * and `0n` means "no events yet" (it then inserts the stream row, which fails if the stream exists); later appends
 * pass the exact number of events in the stream. Our event id goes in as Emmett's messageId.
 */
async function emmett(pool: Pool, url: string): Promise<Contender> {
  const store = getPostgreSQLEventStore(url, { schema: { autoMigration: 'None' }, connectionOptions: { pool } });
  return {
    setup: async () => void (await store.schema.migrate()),
    reset: async () => void (await pool.query('truncate emt_messages, emt_streams')),
    append: async (stream, events, eventsBefore) => {
      await store.appendToStream(
        stream,
        events.map((e) => ({ type: EVENT_TYPE, data: e.data, metadata: { messageId: e.eventId, ...e.metadata } })),
        { expectedStreamVersion: BigInt(eventsBefore) },
      );
    },
    eventsTable: 'emt_messages',
    countEvents: () => countRows(pool, 'emt_messages'),
    close: () => store.close(),
  };
}

async function countRows(pool: Pool, table: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`select count(*)::text as n from ${table}`);
  return Number(rows[0].n);
}
