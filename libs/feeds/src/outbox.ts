import { createHash } from 'node:crypto';
import type { QueryResult } from 'pg';

/** Anything that runs SQL: a projection's `ctx.query` (the batch's transaction), a pool client, a pool. */
export type Query = (sql: string, params?: unknown[]) => Promise<QueryResult>;

/**
 * The outbox and what the feeds were last told, in schema `feeds` (outside any projection's schema, which a rebuild
 * swaps away). Idempotent DDL: it is one step of the lead-provider-contacts projection, whose steps a rebuild runs
 * again on its copy, so every statement must be a no-op the second time. A change here is a new `if not exists` step.
 */
export const FEED_OUTBOX_SQL = `
  create schema if not exists feeds;
  create table if not exists feeds.outbox (
    id bigserial primary key,
    topic text not null,
    key text not null,
    value text,
    event_id text not null,
    position bigint not null,
    schema_version integer not null,
    created_at timestamptz not null default now(),
    sent_at timestamptz
  );
  create index if not exists outbox_unsent on feeds.outbox (id) where sent_at is null;
  create table if not exists feeds.latest (topic text not null, key text not null, digest text, primary key (topic, key));
  create index if not exists latest_by_key on feeds.latest (key) where digest is not null;
  create table if not exists feeds.relay_state (id boolean primary key default true check (id), send_started_at timestamptz, holder text);
  insert into feeds.relay_state (id) values (true) on conflict do nothing;
`;

/** Wakes a waiting relay; delivered at commit (and once per transaction), so it never announces an uncommitted row. */
export const OUTBOX_CHANNEL = 'feeds_outbox';

export interface FeedMessage {
  topic: string;
  key: string;
  /** The exact bytes to publish (JSON text), or null for a tombstone. */
  value: string | null;
  /** The event that caused it (a generated id for a date-driven review): consumers de-duplicate by it. */
  eventId: string;
  /** The global position the message reflects the log up to. */
  position: bigint;
  schemaVersion: number;
}

/**
 * Queues a message when it changes what the topic holds for the key, and records the new latest value; returns
 * whether it queued one. The same value again, or a tombstone for a key the topic does not hold, queues nothing.
 * Comparing with what the feed was last given (not with a read model that a rebuild may replace) means a swap or
 * a date-driven review can never make the feed miss a change. Call inside the transaction that owns the change.
 */
export async function enqueueFeedMessage(query: Query, message: FeedMessage): Promise<boolean> {
  const { topic, key, value, eventId, position, schemaVersion } = message;
  const insert = `insert into feeds.outbox (topic, key, value, event_id, position, schema_version) select $1, $2, $3, $4, $5, $6 from changed`;
  const params = [topic, key, value, eventId, position.toString(), schemaVersion];
  const result =
    value === null
      ? await query(`with changed as (update feeds.latest set digest = null where topic = $1 and key = $2 and digest is not null returning 1) ${insert}`, params)
      : await query(
          `with changed as (
             insert into feeds.latest as l (topic, key, digest) values ($1, $2, $7) on conflict (topic, key)
             do update set digest = excluded.digest where l.digest is distinct from excluded.digest returning 1)
           ${insert}`,
          [...params, createHash('sha256').update(value).digest('hex')],
        );
  if ((result.rowCount ?? 0) === 0) return false;
  await query(`select pg_notify('${OUTBOX_CHANNEL}', '')`);
  return true;
}

/** The topics whose latest message for `key` is a value (not a tombstone), among those ending in `topicSuffix`. */
export async function topicsHoldingKey(query: Query, key: string, topicSuffix: string): Promise<string[]> {
  const { rows } = await query('select topic from feeds.latest where key = $1 and digest is not null and right(topic, length($2)) = $2 order by topic', [key, topicSuffix]);
  return rows.map((r) => r.topic as string);
}

export interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  value: string | null;
  event_id: string;
  position: string;
  schema_version: number;
}

/**
 * The oldest unsent rows in queue order, at most `limit` and (after the first) within `maxBytes` of keys and values,
 * leaving out topics that cannot be sent yet (each topic keeps its order). The byte cut happens in the database, so
 * rows that would not fit are not transferred. bigint columns arrive as strings; ordering is by the bigint id.
 */
export async function unsentRows(query: Query, limit: number, maxBytes: number, skipTopics: string[]): Promise<OutboxRow[]> {
  const { rows } = await query(
    `select id, topic, key, value, event_id, position, schema_version from (
       select o.*, sum(octet_length(key) + coalesce(octet_length(value), 0)) over (order by id) as upto, row_number() over (order by id) as n
       from (select * from feeds.outbox where sent_at is null and not (topic = any($3::text[])) order by id limit $1) o
     ) r where upto <= $2 or n = 1
     order by id`,
    [limit, maxBytes, skipTopics],
  );
  return rows as OutboxRow[];
}

export async function markSent(query: Query, ids: string[]): Promise<void> {
  await query('update feeds.outbox set sent_at = now() where id = any($1::bigint[]) and sent_at is null', [ids]);
}

export async function unsentCount(query: Query): Promise<number> {
  const { rows } = await query('select count(*)::int as n from feeds.outbox where sent_at is null');
  return rows[0].n as number;
}
