import type { ClientBase } from 'pg';
import type { GlobalPosition, StoredEvent } from '@ect/event-store';
import { handlerFor, quoteIdent, type Projection, type ProjectionContext, type ProjectionMode } from './projection';
import { CHECKPOINT_TABLE, readCheckpoint } from './projection-schema';

/** A handler threw: names the event so the failure can be shown (health, logs) without guessing. */
export class ProjectionHandlerError extends Error {
  constructor(
    readonly projection: string,
    readonly event: { eventId: string; type: string; globalPosition: GlobalPosition },
    override readonly cause: unknown,
  ) {
    super(
      `projection ${projection} failed on event ${event.eventId} (${event.type}) at position ${event.globalPosition}: ` +
        `${(cause as Error)?.message ?? String(cause)}`,
    );
    this.name = 'ProjectionHandlerError';
  }
}

export interface BatchTarget {
  projection: Projection;
  /** Schema whose tables and checkpoint are filled (live or a rebuild's copy). */
  schema: string;
  mode: ProjectionMode;
}

export interface BatchLimits {
  /** Never move the checkpoint past this position (a rebuild's copy must not pass the live checkpoint). */
  upTo?: GlobalPosition;
  /** The checkpoint the caller last saw; a lower stored one means it was moved back, and this batch is refused. */
  expectAtLeast?: GlobalPosition;
}

/** The stored checkpoint is below what the subscription already passed: resubscribing from it avoids a gap. */
export class CheckpointMovedBackError extends Error {
  constructor(readonly stored: GlobalPosition, readonly expected: GlobalPosition) {
    super(`checkpoint is at ${stored}, below ${expected} which this subscription already passed`);
  }
}

export interface BatchOutcome {
  /** The checkpoint after the batch (unchanged when every event was at or below it). */
  checkpoint: GlobalPosition;
  /** Events a handler was called for. */
  applied: number;
}

/**
 * Applies `events` (a complete run of the log after some position, in position order, as the subscription and
 * `readAll` give them) inside the caller's open transaction, and moves the checkpoint.
 *
 * Idempotency: the checkpoint row is locked first; events at or below it are skipped, so re-applying a batch
 * (after a crash, a swap or a second holder) changes nothing. Two writers of one schema queue on that row lock.
 *
 * The checkpoint moves to the batch's last position even if no event there was for this projection: it records
 * how far the log was scanned, which is what read-your-writes waits on. `limits.upTo` caps it: events above it
 * are left for later.
 */
export async function applyEventsInTransaction(
  client: ClientBase,
  target: BatchTarget,
  events: StoredEvent[],
  limits: BatchLimits = {},
): Promise<BatchOutcome> {
  const stored = await readCheckpoint(client, target.schema, true);
  if (limits.expectAtLeast !== undefined && stored < limits.expectAtLeast) {
    throw new CheckpointMovedBackError(stored, limits.expectAtLeast);
  }
  if (events.length === 0) return { checkpoint: stored, applied: 0 };
  const last = events[events.length - 1].globalPosition;
  const end = limits.upTo !== undefined && limits.upTo < last ? limits.upTo : last;
  if (end <= stored) return { checkpoint: stored, applied: 0 };

  const context = contextFor(client, target);
  let applied = 0;
  for (const event of events) {
    if (event.globalPosition <= stored) continue;
    if (event.globalPosition > end) break;
    const handler = handlerFor(target.projection, event);
    if (!handler) continue;
    try {
      await handler(event, context);
    } catch (error) {
      throw new ProjectionHandlerError(target.projection.name, event, error);
    }
    applied++;
  }
  await client.query(`update ${quoteIdent(target.schema)}.${CHECKPOINT_TABLE} set position = $1, updated_at = now()`, [
    end.toString(),
  ]);
  return { checkpoint: end, applied };
}

/** One batch in its own transaction: the tables and the checkpoint commit together or not at all. */
export async function applyBatch(
  client: ClientBase,
  target: BatchTarget,
  events: StoredEvent[],
  limits: BatchLimits = {},
): Promise<BatchOutcome> {
  await client.query('begin');
  try {
    const outcome = await applyEventsInTransaction(client, target, events, limits);
    await client.query('commit');
    return outcome;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

function contextFor(client: ClientBase, target: BatchTarget): ProjectionContext {
  const schema = quoteIdent(target.schema);
  return {
    query: (sql, params) => client.query(sql, params as unknown[]),
    schema: target.schema,
    table: (name) => `${schema}.${quoteIdent(name)}`,
    mode: target.mode,
  };
}
