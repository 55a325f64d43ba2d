import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  eventStoreMigrations,
  ExpectedVersion,
  PostgresEventStore,
  type GlobalPosition,
  type NewEvent,
  type StoredEvent,
} from '@ect/event-store';
import { migrate } from '@ect/platform';
import { defineProjection, liveSchema, type Projection, type ProjectionContext } from './projection';
import { projectionMigrations } from './projection-schema';

/**
 * The test projection the specs run: events per stream category, plus the id and position of every event it
 * applied (the primary key makes a double apply fail loudly), plus a stand-in outbox outside the projection's
 * schema that only live handling writes to (a feed message must be sent once, never by a rebuild).
 */
export interface CountsOptions {
  name?: string;
  streamPrefixes?: string[];
  /** Throws for these events (a handler bug). */
  failOn?: (event: StoredEvent) => boolean;
  /** Called before the event is applied, inside the batch's transaction. */
  beforeApply?: (event: StoredEvent, ctx: ProjectionContext) => Promise<void>;
}

export const OUTBOX_TABLE = 'test_outbox';

export function categoryCounts(options: CountsOptions = {}): Projection {
  const name = options.name ?? 'category-counts';
  const count = async (event: StoredEvent, ctx: ProjectionContext) => {
    await options.beforeApply?.(event, ctx);
    if (options.failOn?.(event)) throw new Error(`cannot count ${event.type} (test handler bug)`);
    const category = event.streamName.slice(0, event.streamName.indexOf('-'));
    await ctx.query(
      `insert into ${ctx.table('counts')} (category, events) values ($1, 1)
       on conflict (category) do update set events = counts.events + 1`,
      [category],
    );
    await ctx.query(`insert into ${ctx.table('applied')} (event_id, position) values ($1, $2)`, [event.eventId, event.globalPosition.toString()]);
    if (ctx.mode === 'live') {
      await ctx.query(`insert into ${OUTBOX_TABLE} (projection, event_id) values ($1, $2)`, [name, event.eventId]);
    }
  };
  return defineProjection({
    name,
    streamPrefixes: options.streamPrefixes,
    handlers: { ThingHappened: count, ThingNoticed: count },
    migrations: [
      { id: '001-counts', sql: 'create table counts (category text primary key, events bigint not null)' },
      { id: '002-applied', sql: 'create table applied (event_id uuid primary key, position bigint not null)' },
    ],
  });
}

/** Event store and projection tables (and the stand-in outbox) on a fresh database. */
export async function prepare(pool: Pool, projections: Projection[]): Promise<PostgresEventStore> {
  // The test database is force-dropped after the pool ends: connections still closing get a termination notice.
  pool.on('error', () => undefined);
  await migrate(pool, [
    ...eventStoreMigrations,
    { id: 'test/outbox', sql: `create table ${OUTBOX_TABLE} (projection text not null, event_id uuid not null, primary key (projection, event_id))` },
    ...projectionMigrations(projections),
  ]);
  return new PostgresEventStore(pool, { pollIntervalMs: 10 });
}

export function thing(type: 'ThingHappened' | 'ThingNoticed' | 'ThingIgnored' = 'ThingHappened'): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data: {},
    metadata: { correlationId: randomUUID(), causationId: null, actingUserId: null, actingService: 'spec' },
  };
}

/** Appends `count` events spread over streams of the given categories; returns the last position. */
export async function appendThings(store: PostgresEventStore, count: number, categories = ['alpha', 'beta']): Promise<GlobalPosition> {
  let last = -1n;
  for (let i = 0; i < count; i++) {
    const stream = `${categories[i % categories.length]}-${i % 7}`;
    last = (await store.append(stream, [thing(i % 3 === 0 ? 'ThingNoticed' : 'ThingHappened')], ExpectedVersion.any)).lastPosition;
  }
  return last;
}

/** The projection's rows in a stable order, to compare tables. */
export async function tablesOf(pool: Pool, name: string, schema = liveSchema(name)) {
  const counts = await pool.query(`select category, events::int from ${schema}.counts order by category`);
  const applied = await pool.query(`select event_id, position::text from ${schema}.applied a order by a.position`);
  const checkpoint = await pool.query(`select position::text from ${schema}.projection_checkpoint`);
  return { counts: counts.rows, applied: applied.rows, checkpoint: checkpoint.rows[0]?.position as string };
}

/** Events the projection should have applied (its types, its streams). */
export async function expectedApplied(store: PostgresEventStore, prefixes?: string[]) {
  const all = await store.readAll({ maxCount: 10_000 });
  return all
    .filter((e) => e.type !== 'ThingIgnored' && (!prefixes || prefixes.some((p) => e.streamName.startsWith(p))))
    .map((e) => ({ event_id: e.eventId, position: e.globalPosition.toString() }));
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value, replacer)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
