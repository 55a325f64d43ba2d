import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { isoDate } from '@ect/contract-periods';
import { liveSchema, type ProjectionContext } from '@ect/projection-runtime';
import { LEAD_PROVIDER_CONTACTS, refreshContacts } from './lead-provider-contacts.projection';

const SCHEMA = liveSchema(LEAD_PROVIDER_CONTACTS);

/**
 * Date-driven changes with no event: when a contract period starts (1 June) the school moves to the new period's
 * partner (or to none), and when an ECT's or mentor's last day has passed they leave the snapshot. Each contacts row
 * knows its next such date (`review_on`); this re-evaluates the rows due by `today`, as the projection would at an
 * event on that date, and queues the feed messages that changed (id: a generated UUID; position: the checkpoint).
 *
 * Runs in one transaction that first locks the live checkpoint row, like a projection batch, so it never interleaves
 * with one (nor with a rebuild's swap); any process may run it, the second finds nothing due. Returns the rows done.
 */
export async function reviewDueContacts(pool: Pool, today: string, limit = 200): Promise<number> {
  const due = await pool.query(`select 1 from ${SCHEMA}.contacts where review_on <= $1 limit 1`, [today]);
  if (due.rows.length === 0) return 0;
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ position: string }>(`select position from ${SCHEMA}.projection_checkpoint for update`);
    const position = BigInt(rows[0].position);
    const schools = await client.query<{ urn: string }>(`select urn from ${SCHEMA}.contacts where review_on <= $1 order by urn limit $2`, [today, limit]);
    const ctx: ProjectionContext = {
      query: (sql, params) => client.query(sql, params as unknown[]),
      schema: SCHEMA,
      table: (name) => `${SCHEMA}."${name}"`,
      mode: 'live',
    };
    for (const { urn } of schools.rows) await refreshContacts(ctx, urn, { eventId: randomUUID(), position, date: today });
    await client.query('commit');
    return schools.rows.length;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Reviews every due row (in batches). */
export async function reviewAllDueContacts(pool: Pool, today: string): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await reviewDueContacts(pool, today);
    total += done;
    if (done === 0) return total;
  }
}

export interface ContactReviews {
  stop(): Promise<void>;
}

/**
 * Reviews due rows now and then every `intervalMs` (a minute by default), in a process that runs the projections.
 * Errors are logged and retried at the next turn: a missed turn only delays a date-driven change.
 */
export function startContactReviews(options: { pool: Pool; now?: () => Date; intervalMs?: number; log?: (line: string) => void }): ContactReviews {
  const now = options.now ?? (() => new Date());
  let running: Promise<void> = Promise.resolve();
  const turn = () => {
    running = reviewAllDueContacts(options.pool, isoDate(now())).then(
      () => undefined,
      (error: Error) => options.log?.(`contact review failed (retried in a minute): ${error.message}`),
    );
  };
  turn();
  const timer = setInterval(() => void running.then(turn), options.intervalMs ?? 60000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
