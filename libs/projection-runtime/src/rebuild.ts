import type { ClientConfig, Pool } from 'pg';
import { START, type EventStore, type GlobalPosition } from '@ect/event-store';
import { migrate } from '@ect/platform';
import { applyBatch } from './apply-batch';
import { liveSchema, quoteIdent, rebuildSchema, retiredSchema, type Projection } from './projection';
import { holderLockKey, isLockHeld, rebuildLockKey, SessionLock } from './projection-lock';
import { createEmptySchema, projectionMigrations, readCheckpoint } from './projection-schema';
import { swapIn } from './swap';
import { withClient } from './with-client';

export interface RebuildProgress {
  phase: 'building' | 'swapping' | 'done';
  /** Events read from the log and applied to the copy (or skipped as not for this projection). */
  events: number;
  /** The copy's checkpoint and the live one it is catching up with. */
  copyPosition: GlobalPosition;
  livePosition: GlobalPosition;
  elapsedMs: number;
}

export interface RebuildOptions {
  pool: Pool;
  eventStore: EventStore;
  projection: Projection;
  batchSize?: number;
  /** Settings for the rebuild lock's session; the pool's by default. */
  lockConnection?: ClientConfig;
  onProgress?: (progress: RebuildProgress) => void;
}

export interface RebuildResult {
  /** The checkpoint of the tables swapped in. */
  position: GlobalPosition;
  events: number;
  /** Whether a projector held the projection during the rebuild (if not, the copy only reaches its checkpoint). */
  projectorRunning: boolean;
}

export class RebuildInProgressError extends Error {
  constructor(name: string) {
    super(`A rebuild of ${name} is already running`);
  }
}

/**
 * Builds a fresh copy of a projection's tables from the first event in `proj_<name>_rebuild`, while the live tables
 * keep serving and the live projector keeps applying new events; then swaps the copy in (swap.ts).
 *
 * The copy follows the live checkpoint and never passes it, in `rebuild` mode: every event is applied in `live`
 * mode exactly once, by the projector, so side effects such as feed messages are neither lost nor repeated. The
 * copy is built from the log alone and handlers are deterministic, so rebuilding twice gives identical tables.
 * If no projector is running, the copy stops at the (still) live checkpoint and the projector continues from there.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, eventStore, projection } = options;
  const lock = new SessionLock(options.lockConnection ?? pool.options, rebuildLockKey(projection.name));
  if (!(await lock.tryAcquire())) throw new RebuildInProgressError(projection.name);
  const started = Date.now();
  try {
    await migrate(pool, projectionMigrations([projection]));
    await pool.query(`drop schema if exists ${quoteIdent(retiredSchema(projection.name))} cascade`);
    await withClient(pool, (client) => createEmptySchema(client, projection, rebuildSchema(projection.name)));
    const projectorRunning = await isLockHeld(pool, holderLockKey(projection.name));
    let events = 0;
    let copyPosition: GlobalPosition = START;
    const report = (phase: RebuildProgress['phase'], livePosition: GlobalPosition) =>
      options.onProgress?.({ phase, events, copyPosition, livePosition, elapsedMs: Date.now() - started });

    for (;;) {
      const livePosition = await readCheckpoint(pool, liveSchema(projection.name));
      if (copyPosition >= livePosition) {
        report('swapping', livePosition);
        const swap = await swapIn({ pool, eventStore, projection });
        if (swap.swapped) {
          events += swap.events;
          copyPosition = swap.position;
          report('done', swap.position);
          return { position: swap.position, events, projectorRunning };
        }
        await pause(50);
        continue;
      }
      const page = await eventStore.readAll({ after: copyPosition, maxCount: options.batchSize ?? 1000 });
      if (page.length === 0) {
        await pause(50);
        continue;
      }
      await withClient(pool, async (client) => {
        const target = { projection, schema: rebuildSchema(projection.name), mode: 'rebuild' as const };
        const outcome = await applyBatch(client, target, page, { upTo: livePosition });
        events += page.filter((e) => e.globalPosition > copyPosition && e.globalPosition <= outcome.checkpoint).length;
        copyPosition = outcome.checkpoint;
      });
      report('building', livePosition);
    }
  } finally {
    await lock.release();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
