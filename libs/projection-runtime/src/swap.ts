import type { Pool } from 'pg';
import type { EventStore, GlobalPosition, StoredEvent } from '@ect/event-store';
import { applyEventsInTransaction } from './apply-batch';
import { liveSchema, quoteIdent, rebuildSchema, retiredSchema, type Projection } from './projection';
import { CHECKPOINT_TABLE, readCheckpoint } from './projection-schema';
import { withClient } from './with-client';

export interface SwapOptions {
  pool: Pool;
  eventStore: EventStore;
  projection: Projection;
  /** How long to wait for the live projector's batch in flight before giving up this attempt. */
  lockTimeoutMs?: number;
  /** How long to wait for the events between the copy and the live checkpoint to become readable. */
  catchUpTimeoutMs?: number;
}

/**
 * Swaps a rebuilt copy in for the live tables, in one transaction:
 * 1. lock the live checkpoint table: the live projector's next batch waits (its batch in flight finishes first);
 * 2. bring the copy up to exactly the live checkpoint L (never past it: events after L have not been applied
 *    live, and a live projector must be the one to apply them, e.g. to send their feed messages once);
 * 3. rename: live → retired, copy → live. Tables and checkpoint move together, so when the live projector goes on
 *    it reads the copy's checkpoint (= L) and writes to the copy's tables: no event is missed or applied twice.
 * Readers see the old tables until the commit and the new ones after it. Returns false when this attempt could not
 * finish in time (nothing changed); the caller catches up more and tries again.
 */
export async function swapIn(options: SwapOptions): Promise<{ swapped: boolean; position: GlobalPosition; events: number }> {
  const { pool, projection } = options;
  const live = liveSchema(projection.name);
  const copy = rebuildSchema(projection.name);
  // A failure leaves nothing behind: the client is discarded, so the server rolls the transaction back.
  return withClient(pool, async (client) => {
    await client.query('begin');
    await client.query(`set local lock_timeout = ${Math.max(1, options.lockTimeoutMs ?? 5000)}`);
    try {
      await client.query(`lock table ${quoteIdent(live)}.${CHECKPOINT_TABLE} in access exclusive mode`);
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') throw error;
      await client.query('rollback');
      return { swapped: false, position: -1n, events: 0 };
    }
    const target = await readCheckpoint(client, live);
    const from = await readCheckpoint(client, copy);
    if (from > target) throw new Error(`the copy (${from}) is ahead of the live checkpoint (${target}); rebuild again`);
    // Read before writing: until this transaction writes it has no transaction id, so it cannot hold back the
    // event store's proof that the log is complete up to the live checkpoint.
    const events = await eventsThrough(options.eventStore, from, target, options.catchUpTimeoutMs ?? 5000);
    if (!events) {
      await client.query('rollback');
      return { swapped: false, position: target, events: 0 };
    }
    const copyTarget = { projection, schema: copy, mode: 'rebuild' as const };
    await applyEventsInTransaction(client, copyTarget, events, { upTo: target });
    await client.query(`drop schema if exists ${quoteIdent(retiredSchema(projection.name))} cascade`);
    await client.query(`alter schema ${quoteIdent(live)} rename to ${quoteIdent(retiredSchema(projection.name))}`);
    await client.query(`alter schema ${quoteIdent(copy)} rename to ${quoteIdent(live)}`);
    await client.query('commit');
    // Separately, so readers still on the old tables finish first without holding up the swap.
    await client.query(`drop schema if exists ${quoteIdent(retiredSchema(projection.name))} cascade`);
    return { swapped: true, position: target, events: events.length };
  });
}

/**
 * Every event after `from` up to and including `through`, or null when they are not all readable in time.
 * `through` is a live checkpoint, so it is the position of a stored event (or START): reading until that event
 * arrives covers every position up to it, holes included.
 */
async function eventsThrough(eventStore: EventStore, from: GlobalPosition, through: GlobalPosition, timeoutMs: number) {
  const events: StoredEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  let position = from;
  while (position < through) {
    const page = await eventStore.readAll({ after: position, maxCount: 1000 });
    if (page.length === 0) {
      if (Date.now() > deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    events.push(...page.filter((e) => e.globalPosition <= through));
    position = page[page.length - 1].globalPosition;
  }
  return events;
}
