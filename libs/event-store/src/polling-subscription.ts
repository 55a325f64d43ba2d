import type { GlobalPosition, StoredEvent, SubscriptionHandle } from './event-store.port';

export interface PollingSubscriptionOptions {
  after: GlobalPosition;
  pollIntervalMs: number;
  handle: (events: StoredEvent[]) => Promise<void>;
  /** Reads the next page after a position; `scannedTo` is how far the log is known complete. */
  readPage: (after: GlobalPosition) => Promise<{ events: StoredEvent[]; scannedTo: GlobalPosition }>;
  /** Called when a read fails (for example the database is away); the subscription retries. */
  onReadError?: (error: unknown) => void;
}

/**
 * A catch-up subscription over a paged reader: reads pages in order and hands them to `handle` one at a time;
 * sleeps when there is nothing new. A failing read is retried with back-off; a failing handler ends it.
 */
export function pollingSubscription(options: PollingSubscriptionOptions): SubscriptionHandle {
  let stopped = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  const done = (async () => {
    let position = options.after;
    let failures = 0;
    while (!stopped) {
      let page: { events: StoredEvent[]; scannedTo: GlobalPosition };
      try {
        page = await options.readPage(position);
        failures = 0;
      } catch (error) {
        options.onReadError?.(error);
        failures++;
        await sleep(Math.min(5000, options.pollIntervalMs * 2 ** Math.min(failures, 7)));
        continue;
      }
      if (stopped) break;
      if (page.events.length > 0) await options.handle(page.events);
      const advanced = page.scannedTo > position;
      if (advanced) position = page.scannedTo;
      else await sleep(options.pollIntervalMs);
    }
  })();
  done.catch(() => undefined);

  return {
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
}
