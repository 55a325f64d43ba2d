import type { ClientConfig, Pool } from 'pg';
import { START, type EventStore, type GlobalPosition } from '@ect/event-store';
import { applyBatch } from './apply-batch';
import { liveSchema, quoteIdent, type Projection } from './projection';
import { rebuildLockKey, SessionLock } from './projection-lock';
import { CHECKPOINT_TABLE, createEmptySchema, readCheckpoint } from './projection-schema';
import { compareSchemas, type CompareOptions, type TableComparison } from './verify-compare';
import { withClient } from './with-client';

export type { TableComparison } from './verify-compare';

/** The scratch copy's schema: its own, so a verification never touches the live tables or a rebuild's copy. */
export const verifySchema = (name: string): string => `${liveSchema(name)}_verify`;

export interface VerifyProgress {
  phase: 'building' | 'comparing' | 'done';
  /** Events read from the log into the copy (applied, or skipped as not for this projection). */
  events: number;
  copyPosition: GlobalPosition;
  livePosition: GlobalPosition;
  elapsedMs: number;
}

export interface VerifyOptions extends CompareOptions {
  pool: Pool;
  eventStore: EventStore;
  projection: Projection;
  batchSize?: number;
  /** Settings for the session that holds the projection's maintenance lock; the pool's by default. */
  lockConnection?: ClientConfig;
  /** How long to wait for the live projector's batch in flight before trying the final step again. */
  lockTimeoutMs?: number;
  /** How long the final catch-up may wait for events to become readable before trying again. */
  catchUpTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: VerifyProgress) => void;
}

export interface VerifyResult {
  projection: string;
  /** Every table holds the same rows in both, and the copy reached the live checkpoint. */
  ok: boolean;
  /** The live checkpoint at which both were compared. */
  position: GlobalPosition;
  events: number;
  tables: TableComparison[];
}

/** Verifications and rebuilds of one projection share a lock: both own a copy of its tables and follow its checkpoint. */
export class VerifyBusyError extends Error {
  constructor(name: string) {
    super(`A rebuild or another verification of ${name} is running; try again when it has finished`);
  }
}

export class ProjectionNotDeployedError extends Error {
  constructor(name: string) {
    super(`${liveSchema(name)} has no checkpoint in this database: ${name} is not run here (its migrations were never applied)`);
  }
}

export class VerifyAbortedError extends Error {
  constructor() {
    super('verification interrupted');
  }
}

/**
 * Rebuilds a projection from the first event into a scratch copy (`proj_<name>_verify`) and compares it, table by
 * table and row by row, with the live read model at the same log position, while the service keeps running.
 *
 * - The copy is filled in `rebuild` mode: reactors send no commands, no outbox or feed row is written. It follows the
 *   live checkpoint and never passes it, as a rebuild does.
 * - Same position: the final step locks the live checkpoint table (the live projector's next batch waits, readers do
 *   not), brings the copy to exactly that checkpoint and compares, then ends the transaction. Every writer of the live
 *   tables holds the checkpoint row first (apply-batch.ts), so nothing moves them meanwhile.
 * - That lock-holding transaction only reads (the copy's last events are applied on another connection and committed
 *   first): with no transaction id, it never holds back the event store's proof that the log is complete.
 * - The scratch schema is dropped afterwards, also on failure; a process killed outright leaves it until the next
 *   verification of the projection, which replaces it.
 */
export async function verifyProjection(options: VerifyOptions): Promise<VerifyResult> {
  const { pool, eventStore, projection } = options;
  const live = liveSchema(projection.name);
  const scratch = verifySchema(projection.name);
  const lock = new SessionLock(options.lockConnection ?? pool.options, rebuildLockKey(projection.name));
  if (!(await lock.tryAcquire())) throw new VerifyBusyError(projection.name);
  const started = Date.now();
  let events = 0;
  let copyPosition: GlobalPosition = START;
  const report = (phase: VerifyProgress['phase'], livePosition: GlobalPosition) =>
    options.onProgress?.({ phase, events, copyPosition, livePosition, elapsedMs: Date.now() - started });
  const checkAborted = () => {
    if (options.signal?.aborted) throw new VerifyAbortedError();
  };

  /** Applies events to the copy up to `upTo`; false when `deadline` passes with events not yet readable. */
  const catchUp = async (upTo: GlobalPosition, deadline = Infinity): Promise<boolean> => {
    const target = { projection, schema: scratch, mode: 'rebuild' as const };
    while (copyPosition < upTo) {
      checkAborted();
      const page = await eventStore.readAll({ after: copyPosition, maxCount: options.batchSize ?? 1000 });
      if (page.length === 0) {
        if (Date.now() > deadline) return false;
        await pause(20);
        continue;
      }
      const outcome = await withClient(pool, (client) => applyBatch(client, target, page, { upTo }));
      events += page.filter((e) => e.globalPosition > copyPosition && e.globalPosition <= outcome.checkpoint).length;
      copyPosition = outcome.checkpoint;
      report('building', upTo);
    }
    return true;
  };

  /** The final step, under the live checkpoint lock; null when it could not finish in time (nothing is kept). */
  const compareAtLiveCheckpoint = () =>
    withClient(pool, async (holder) => {
      await holder.query('begin');
      await holder.query(`set local lock_timeout = ${Math.max(1, options.lockTimeoutMs ?? 5000)}`);
      try {
        // EXCLUSIVE conflicts with the projector's `select … for update` of the checkpoint, not with plain reads.
        await holder.query(`lock table ${quoteIdent(live)}.${CHECKPOINT_TABLE} in exclusive mode`);
      } catch (error) {
        if ((error as { code?: string }).code !== '55P03') throw error;
        await holder.query('rollback');
        return null;
      }
      await holder.query('set local lock_timeout to default');
      const position = await readCheckpoint(holder, live);
      if (!(await catchUp(position, Date.now() + (options.catchUpTimeoutMs ?? 5000)))) {
        await holder.query('rollback');
        return null;
      }
      const tables = await compareSchemas(holder, live, scratch, options);
      const copyAt = await readCheckpoint(holder, scratch);
      await holder.query('rollback');
      return { position, tables, copyAt };
    });

  const build = async (): Promise<VerifyResult> => {
    let livePosition = await liveCheckpoint(pool, projection.name);
    await withClient(pool, (client) => createEmptySchema(client, projection, scratch));
    for (;;) {
      checkAborted();
      if (copyPosition < livePosition) {
        await catchUp(livePosition);
      } else {
        report('comparing', livePosition);
        const compared = await compareAtLiveCheckpoint();
        if (compared) {
          report('done', compared.position);
          const ok = compared.copyAt === compared.position && compared.tables.every((t) => t.ok);
          return { projection: projection.name, ok, position: compared.position, events, tables: compared.tables };
        }
        await pause(50);
      }
      livePosition = await readCheckpoint(pool, live);
    }
  };

  const dropScratch = () => pool.query(`drop schema if exists ${quoteIdent(scratch)} cascade`);
  try {
    const result = await build();
    await dropScratch();
    return result;
  } catch (error) {
    await dropScratch().catch(() => undefined);
    throw error;
  } finally {
    await lock.release();
  }
}

async function liveCheckpoint(pool: Pool, name: string): Promise<GlobalPosition> {
  try {
    return await readCheckpoint(pool, liveSchema(name));
  } catch (error) {
    if (['42P01', '3F000'].includes((error as { code?: string }).code ?? '')) throw new ProjectionNotDeployedError(name);
    throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
