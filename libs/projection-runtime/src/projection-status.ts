import type { GlobalPosition } from '@ect/event-store';

/** running: this process holds the lock and applies events. standby: another process holds it. */
export type ProjectionState = 'starting' | 'running' | 'standby' | 'failed' | 'stopped';

export interface ProjectionFailure {
  eventId: string | null;
  eventType: string | null;
  position: string | null;
  error: string;
  at: string;
}

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  /** The checkpoint this process last stored or read (null while standby before it ever held the lock). */
  checkpoint: GlobalPosition | null;
  /** Events handed to a handler and committed by this process. */
  eventsApplied: number;
  /** Times this process stopped the projection on a handler error. */
  failures: number;
  /** Transient errors (database away, deadlock) after which it resubscribed. */
  retries: number;
  failure: ProjectionFailure | null;
}
