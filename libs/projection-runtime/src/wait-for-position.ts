import type { Pool } from 'pg';
import { DomainError } from '@ect/command-runner';
import { isConnectionError, type GlobalPosition } from '@ect/event-store';
import { assertProjectionName } from './projection';
import { readCheckpoints } from './projection-schema';

/**
 * The read models have not reached the position a caller asked for within the wait. Problem code
 * `READ_MODEL_BEHIND`, HTTP 409 (the `conflict` kind): the request's condition ("answer from read models that
 * include position N") does not hold yet; nothing is broken, so no 5xx that alerts and trips circuit breakers.
 * The client retries the same request shortly.
 */
export class ReadModelBehindError extends DomainError {
  constructor(readonly position: GlobalPosition, readonly reached: Record<string, string>) {
    super(
      'READ_MODEL_BEHIND',
      'conflict',
      `The read models have not reached position ${position} yet (${Object.entries(reached)
        .map(([name, at]) => `${name} at ${at}`)
        .join(', ')}); retry shortly`,
    );
  }
}

export interface PositionWaiter {
  /**
   * Resolves once every named projection has applied every event up to `position` (a position a command returned).
   * A projection's checkpoint records how far it has scanned the log, including events of streams it ignores, so
   * the wait ends also when no event at exactly that position is for it. Throws ReadModelBehindError after
   * `timeoutMs` (0: look once).
   */
  waitForPosition(projectionNames: string[], position: GlobalPosition, timeoutMs: number): Promise<void>;
  /** Ends waits in progress as timed out; for shutdown. */
  close(): void;
}

interface Wait {
  names: string[];
  position: GlobalPosition;
  deadline: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One waiter per process: however many requests wait, one query per interval reads the checkpoints they need
 * (nothing runs while nobody waits).
 */
export function createPositionWaiter(pool: Pool, options: { pollIntervalMs?: number } = {}): PositionWaiter {
  const interval = options.pollIntervalMs ?? 20;
  let waits: Wait[] = [];
  let polling = false;
  let lastError: unknown = null;

  const check = async (): Promise<void> => {
    const names = [...new Set(waits.flatMap((w) => w.names))];
    let checkpoints: Map<string, GlobalPosition> | null = null;
    try {
      checkpoints = await readCheckpoints(pool, names);
      lastError = null;
    } catch (error) {
      if (!isConnectionError(error)) {
        // A missing projection is a programming error: waiting would not help.
        for (const w of waits) w.reject(error);
        waits = [];
        return;
      }
      lastError = error;
    }
    const now = Date.now();
    waits = waits.filter((w) => {
      const reached = checkpoints && w.names.every((name) => (checkpoints.get(name) ?? -1n) >= w.position);
      if (reached) w.resolve();
      else if (now >= w.deadline) {
        w.reject(lastError ?? new ReadModelBehindError(w.position, reachedOf(w.names, checkpoints)));
      } else return true;
      return false;
    });
  };

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      while (waits.length > 0) {
        await check();
        if (waits.length > 0) await new Promise((r) => setTimeout(r, interval));
      }
    } finally {
      polling = false;
    }
  };

  return {
    waitForPosition(projectionNames, position, timeoutMs) {
      try {
        projectionNames.forEach(assertProjectionName);
      } catch (error) {
        return Promise.reject(error);
      }
      if (projectionNames.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        waits.push({ names: projectionNames, position, deadline: Date.now() + Math.max(0, timeoutMs), resolve, reject });
        void poll();
      });
    },
    close() {
      for (const w of waits) w.reject(new ReadModelBehindError(w.position, reachedOf(w.names, null)));
      waits = [];
    },
  };
}

function reachedOf(names: string[], checkpoints: Map<string, GlobalPosition> | null): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, checkpoints?.get(name)?.toString() ?? 'unknown']));
}
