import type { Pool } from 'pg';
import { PostgresEventStore, type EventStore, type GlobalPosition } from '@ect/event-store';
import type { ProjectionState, ProjectionStatus } from './projection-status';
import { readCheckpoints } from './projection-schema';

const STATES: ProjectionState[] = ['starting', 'running', 'standby', 'failed', 'stopped'];
/** Lag in events is counted by reading when positions are not dense (EventStoreDB): up to this many. */
const LAG_COUNT_CAP = 10_000;

interface Lag {
  checkpoint: GlobalPosition;
  events: number;
  seconds: number;
}

/**
 * The projector's metrics in the Prometheus text format. Labels carry the projection name only, never stream names
 * or anything from events (personal data must not reach a metrics store).
 *
 * Checkpoints and lags are read from the database, so a standby reports the same values as the holder; counters
 * (events applied, failures, retries) are this process's own.
 */
export async function renderMetrics(
  pool: Pool,
  eventStore: EventStore,
  statuses: ProjectionStatus[],
  now: Date = new Date(),
): Promise<string> {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number | bigint][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value.toString()}`);
  };
  const label = (name: string, extra = '') => `{projection="${escapeLabel(name)}"${extra}}`;

  let head: GlobalPosition | null = null;
  let lags = new Map<string, Lag>();
  try {
    const readHead = await eventStore.headPosition();
    lags = await readLags(pool, eventStore, statuses.map((s) => s.name), readHead, now);
    head = readHead;
  } catch {
    // The database is away: report what this process knows, and say the rest is missing.
  }
  metric('ect_projector_database_up', 'gauge', 'Whether the last scrape could read checkpoints and the head (1) or not (0).', [
    ['', head === null ? 0 : 1],
  ]);
  if (head !== null) metric('ect_event_store_head_position', 'gauge', 'Global position of the last event in the log.', [['', head]]);
  const withLag = statuses.filter((s) => lags.has(s.name));
  metric('ect_projection_checkpoint_position', 'gauge', 'Global position up to which the projection has applied every event.',
    withLag.map((s) => [label(s.name), lags.get(s.name)!.checkpoint]));
  metric('ect_projection_lag_events', 'gauge', `Events in the log after the projection's checkpoint (counted up to ${LAG_COUNT_CAP} on EventStoreDB).`,
    withLag.map((s) => [label(s.name), lags.get(s.name)!.events]));
  metric('ect_projection_lag_seconds', 'gauge', 'Age of the oldest event the projection has not applied yet; 0 when caught up.',
    withLag.map((s) => [label(s.name), lags.get(s.name)!.seconds]));
  metric('ect_projection_events_applied_total', 'counter', 'Events handled and committed by this process.',
    statuses.map((s) => [label(s.name), s.eventsApplied]));
  metric('ect_projection_failures_total', 'counter', 'Times this process stopped the projection on a handler error.',
    statuses.map((s) => [label(s.name), s.failures]));
  metric('ect_projection_retries_total', 'counter', 'Transient errors (database away, deadlock) after which it resumed.',
    statuses.map((s) => [label(s.name), s.retries]));
  metric('ect_projection_state', 'gauge', 'The projection state in this process (1 for the current one).',
    statuses.flatMap((s) => STATES.map((state): [string, number] => [label(s.name, `,state="${state}"`), s.state === state ? 1 : 0])));
  return `${lines.join('\n')}\n`;
}

async function readLags(pool: Pool, eventStore: EventStore, names: string[], head: GlobalPosition, now: Date): Promise<Map<string, Lag>> {
  const checkpoints = await readCheckpoints(pool, names);
  const lags = new Map<string, Lag>();
  for (const [name, checkpoint] of checkpoints) {
    if (checkpoint >= head) {
      lags.set(name, { checkpoint, events: 0, seconds: 0 });
      continue;
    }
    const [oldest] = await eventStore.readAll({ after: checkpoint, maxCount: 1 });
    const seconds = oldest ? Math.max(0, (now.getTime() - oldest.recordedAt.getTime()) / 1000) : 0;
    // PostgreSQL positions come from a sequence one at a time: the difference counts events (and rolled-back appends).
    const events =
      eventStore instanceof PostgresEventStore
        ? Number(head - checkpoint)
        : (await eventStore.readAll({ after: checkpoint, maxCount: LAG_COUNT_CAP })).length;
    lags.set(name, { checkpoint, events, seconds });
  }
  return lags;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
