import {
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { GlobalPosition, StoredEvent, SubscriptionHandle } from '../event-store.port';
import { decodeForReader, toReadPosition } from './esdb-codec';

export interface EsdbSubscriptionOptions {
  client: EventStoreDBClient;
  after: GlobalPosition;
  streamPrefixes?: string[];
  batchSize: number;
  /** First back-off after the server dropped the subscription; doubles per failure, at most 5 s. */
  retryDelayMs: number;
  handle: (events: StoredEvent[]) => Promise<void>;
  onError?: (error: unknown) => void;
}

/** An error that ends the subscription (the handler's, or an event it cannot read), as opposed to a dropped connection. */
class Fatal {
  constructor(readonly cause: unknown) {}
}

/**
 * A catch-up subscription on `subscribeToAll`, filtered on the server by stream prefix (or, without prefixes, by
 * excluding system event types), starting after the checkpoint `after`.
 *
 * Delivery: events are handed over in batches of what has arrived (at most `batchSize`), one handler call at a time;
 * the gRPC stream is not read while the handler runs, so backpressure reaches the server. Each event's position must
 * exceed the last delivered one, so nothing is delivered twice, also across a resubscription. When the server drops
 * the subscription (restart, leader change) it resubscribes after the last delivered position with back-off; no event
 * is skipped because the server only sends committed, indexed events in log order. A handler error, or an event that
 * cannot be read, ends the subscription and rejects `done`.
 */
export function esdbSubscription(options: EsdbSubscriptionOptions): SubscriptionHandle {
  let stopped = false;
  let wake: (() => void) | null = null;
  const filter = options.streamPrefixes?.length ? streamNameFilter({ prefixes: options.streamPrefixes }) : excludeSystemEvents();

  const waitFor = (subscription: AllStreamSubscription | null, ms?: number) =>
    new Promise<void>((resolve) => {
      const events = ['readable', 'end', 'close', 'error'] as const;
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        if (timer) clearTimeout(timer);
        for (const event of events) subscription?.off(event, done);
        wake = null;
        resolve();
      }
      for (const event of events) subscription?.once(event, done);
      wake = done;
    });

  /** Delivers what the subscription sends until it ends or fails; returns the last delivered position. */
  const pump = async (subscription: AllStreamSubscription, from: GlobalPosition, failed: () => boolean) => {
    let position = from;
    while (!stopped) {
      const batch: StoredEvent[] = [];
      let drained = false;
      while (batch.length < options.batchSize) {
        const resolved = subscription.read() as AllStreamResolvedEvent | null;
        if (resolved === null) {
          drained = true;
          break;
        }
        let event: StoredEvent | null;
        try {
          event = decodeForReader(resolved, options.streamPrefixes);
        } catch (error) {
          throw new Fatal(error);
        }
        const last = batch.length > 0 ? batch[batch.length - 1].globalPosition : position;
        if (event && event.globalPosition > last) batch.push(event);
      }
      if (batch.length > 0) {
        try {
          await options.handle(batch);
        } catch (error) {
          throw new Fatal(error);
        }
        position = batch[batch.length - 1].globalPosition;
        continue;
      }
      if (!drained) continue;
      if (failed() || subscription.readableEnded || subscription.destroyed) break;
      await waitFor(subscription);
    }
    return position;
  };

  const done = (async () => {
    let position = options.after;
    let failures = 0;
    while (!stopped) {
      const subscription = options.client.subscribeToAll({ fromPosition: toReadPosition(position), filter });
      let streamError: unknown = null;
      // Always listened to: an 'error' without a listener would crash the process.
      subscription.on('error', (error) => {
        streamError ??= error;
      });
      const before = position;
      try {
        position = await pump(subscription, position, () => streamError !== null);
      } catch (error) {
        if (error instanceof Fatal) throw error.cause;
        throw error;
      } finally {
        await subscription.unsubscribe().catch(() => undefined);
        subscription.destroy();
      }
      if (stopped) break;
      failures = position > before ? 1 : failures + 1;
      options.onError?.(streamError ?? new Error('EventStoreDB ended the subscription'));
      await waitFor(null, Math.min(5000, options.retryDelayMs * 2 ** Math.min(failures - 1, 7)));
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
