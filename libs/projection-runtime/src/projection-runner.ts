import type { ClientConfig, Pool } from 'pg';
import { EventStoreUnavailableError, isConnectionError, type EventStore, type GlobalPosition, type StoredEvent } from '@ect/event-store';
import { applyBatch, CheckpointMovedBackError, ProjectionHandlerError } from './apply-batch';
import { liveSchema, type Projection } from './projection';
import { holderLockKey, SessionLock } from './projection-lock';
import { readCheckpoint } from './projection-schema';
import type { ProjectionFailure, ProjectionState, ProjectionStatus } from './projection-status';
import { withClient } from './with-client';

export interface RunnerOptions {
  projection: Projection;
  pool: Pool;
  eventStore: EventStore;
  /** Connection settings for the lock's own session; defaults to the pool's. */
  lockConnection?: ClientConfig;
  batchSize?: number;
  /** How often a standby tries the lock. Take-over happens within about this long after the holder dies. */
  lockRetryMs?: number;
  log?: (line: string) => void;
}

type Ending = { kind: 'stopped' } | { kind: 'lost' } | { kind: 'error'; error: unknown };

/**
 * Runs one projection in this process while it holds the projection's advisory lock.
 *
 * Delivery: the catch-up subscription starts after the stored checkpoint and hands over every event in position
 * order; each batch commits with its checkpoint (apply-batch.ts), so after any crash it resumes exactly after the
 * last committed batch. A handler error stops this projection (state `failed`, logged with the event) and it stays
 * stopped, lock held, until the process restarts: the failing event is never skipped. Connection errors and
 * deadlocks are retried with back-off from the stored checkpoint.
 */
export class ProjectionRunner {
  private state: ProjectionState = 'starting';
  private checkpoint: GlobalPosition | null = null;
  private eventsApplied = 0;
  private batches = 0;
  private failures = 0;
  private retries = 0;
  private failure: ProjectionFailure | null = null;
  private stopping = false;
  private wake: () => void = () => undefined;
  private interruptSleep: () => void = () => undefined;
  private readonly stopped: Promise<void>;
  private readonly lock: SessionLock;
  private loop: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;

  constructor(private readonly options: RunnerOptions) {
    this.lock = new SessionLock(options.lockConnection ?? options.pool.options, holderLockKey(options.projection.name));
    this.stopped = new Promise((resolve) => (this.wake = resolve));
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  }

  get name(): string {
    return this.options.projection.name;
  }

  start(): void {
    this.loop = this.run().catch((error) => this.log(`projection ${this.name}: runner crashed: ${error?.stack ?? error}`));
  }

  /** Stops after the batch in flight (its transaction commits or rolls back whole) and frees the lock. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    this.interruptSleep();
    await this.loop;
  }

  status(): ProjectionStatus {
    const { state, checkpoint, eventsApplied, failures, retries, failure } = this;
    return { name: this.name, state, checkpoint, eventsApplied, failures, retries, failure };
  }

  private async run(): Promise<void> {
    let backoff = 200;
    while (!this.stopping) {
      if (!(await this.lock.tryAcquire())) {
        this.state = 'standby';
        await this.sleep(this.options.lockRetryMs ?? 1000);
        continue;
      }
      const appliedBefore = this.batches;
      const ending = await this.runWhileHeld();
      if (this.batches > appliedBefore) backoff = 200;
      if (ending.kind === 'stopped') break;
      if (ending.kind === 'lost') {
        this.log(`projection ${this.name}: lost its lock connection; stopped, will try to take it again`);
        this.state = 'standby';
        continue;
      }
      if (isTransient(ending.error)) {
        this.retries++;
        this.log(`projection ${this.name}: ${message(ending.error)}; resuming from the checkpoint in ${backoff} ms`);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
        continue;
      }
      this.fail(ending.error);
      await this.stopped;
    }
    this.state = 'stopped';
    await this.lock.release();
  }

  private async runWhileHeld(): Promise<Ending> {
    let subscription: ReturnType<EventStore['subscribe']> | null = null;
    try {
      const after = await readCheckpoint(this.options.pool, liveSchema(this.name));
      this.checkpoint = after;
      this.state = 'running';
      this.log(`projection ${this.name}: running from position ${after}`);
      subscription = this.options.eventStore.subscribe({
        after,
        // Not filtered by stream prefix: every batch moves the checkpoint to how far the log was scanned, so a
        // read-your-writes wait for a position in another stream still completes (see wait-for-position.ts).
        batchSize: this.options.batchSize ?? 500,
        handle: (events) => this.handle(events),
      });
      const ended: Promise<Ending> = subscription.done.then(
        () => ({ kind: 'stopped' }),
        (error: unknown) => ({ kind: 'error', error }),
      );
      return await Promise.race([
        ended,
        this.lock.lost.then((): Ending => ({ kind: 'lost' })),
        this.stopped.then((): Ending => ({ kind: 'stopped' })),
      ]);
    } catch (error) {
      return { kind: 'error', error };
    } finally {
      await subscription?.stop();
    }
  }

  private async handle(events: StoredEvent[]): Promise<void> {
    const target = { projection: this.options.projection, schema: liveSchema(this.name), mode: 'live' as const };
    const outcome = await withClient(this.options.pool, (client) =>
      applyBatch(client, target, events, { expectAtLeast: this.checkpoint ?? undefined }),
    );
    this.checkpoint = outcome.checkpoint;
    this.eventsApplied += outcome.applied;
    this.batches++;
  }

  private fail(error: unknown): void {
    this.failures++;
    this.state = 'failed';
    const event = error instanceof ProjectionHandlerError ? error.event : null;
    this.failure = {
      eventId: event?.eventId ?? null,
      eventType: event?.type ?? null,
      position: event ? event.globalPosition.toString() : null,
      error: message(error instanceof ProjectionHandlerError ? error.cause : error).slice(0, 500),
      at: new Date().toISOString(),
    };
    this.log(`projection ${this.name}: STOPPED (failed). ${message(error)}. It resumes from position ${this.checkpoint} after a restart.`);
  }

  /** A pause that stop() cuts short (one pending at a time, so nothing piles up over a long standby). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptSleep = () => undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interruptSleep = done;
    });
  }
}

/** Worth retrying from the checkpoint: the database went away, or PostgreSQL chose us as a deadlock victim. */
function isTransient(error: unknown): boolean {
  const cause = error instanceof ProjectionHandlerError ? error.cause : error;
  if (cause instanceof CheckpointMovedBackError || cause instanceof EventStoreUnavailableError) return true;
  if (isConnectionError(cause)) return true;
  const code = (cause as { code?: string })?.code;
  return typeof code === 'string' && (code.startsWith('40') || code === '55P03');
}

function message(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}
