import type { ClientConfig, Pool } from 'pg';
import type { EventStore } from '@ect/event-store';
import { renderMetrics } from './metrics';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import type { ProjectionStatus } from './projection-status';

export interface ProjectorOptions {
  pool: Pool;
  eventStore: EventStore;
  /** Their migrations must already be applied (`projectionMigrations(projections)`, e.g. via createRuntime). */
  projections: Projection[];
  /** Settings for the lock sessions (one per projection); the pool's by default. */
  lockConnection?: ClientConfig;
  batchSize?: number;
  lockRetryMs?: number;
  log?: (line: string) => void;
}

export interface ProjectionHealth {
  name: string;
  state: ProjectionStatus['state'];
  checkpoint: string | null;
  failure: ProjectionStatus['failure'];
}

export interface ProjectorHealth {
  /** `failed` when any projection stopped on a handler error; standby projections are healthy. */
  status: 'ok' | 'failed';
  projections: ProjectionHealth[];
}

export interface Projector {
  statuses(): ProjectionStatus[];
  health(): ProjectorHealth;
  /** Prometheus text format. */
  metrics(): Promise<string>;
  /** Stops every projection after its batch in flight and frees the locks. */
  stop(): Promise<void>;
}

/**
 * Runs projections in this process: the projector app, or the API's `npm start` (API and projector in one
 * process). Several processes may run the same projections; each projection is applied by one at a time (the
 * holder of its advisory lock) and the others stand by to take over.
 */
export function startProjector(options: ProjectorOptions): Projector {
  const names = options.projections.map((p) => p.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`Projection ${duplicate} is registered twice`);
  const runners = options.projections.map(
    (projection) =>
      new ProjectionRunner({
        projection,
        pool: options.pool,
        eventStore: options.eventStore,
        lockConnection: options.lockConnection,
        batchSize: options.batchSize,
        lockRetryMs: options.lockRetryMs,
        log: options.log,
      }),
  );
  for (const runner of runners) runner.start();

  const statuses = () => runners.map((r) => r.status());
  return {
    statuses,
    health() {
      const all = statuses();
      return {
        status: all.some((s) => s.state === 'failed') ? 'failed' : 'ok',
        projections: all.map((s) => ({
          name: s.name,
          state: s.state,
          checkpoint: s.checkpoint === null ? null : s.checkpoint.toString(),
          failure: s.failure,
        })),
      };
    },
    metrics: () => renderMetrics(options.pool, options.eventStore, statuses()),
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
