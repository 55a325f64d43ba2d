import { projectionMigrations, type Projection } from '@ect/projection-runtime';
import { eventCounts } from './event-counts/event-counts.projection';

/**
 * Every projection the projector runs. To add one: define it with `defineProjection` in its own folder
 * (`projections/<name>/<name>.projection.ts`, tables as migrations there) and list it here; its tables are created
 * at the next start, and it catches up from the first event.
 */
export const projections: Projection[] = [eventCounts];

/** Their tables and checkpoints, for createRuntime / migrate (also needed by a process that runs them in-process). */
export const projectorMigrations = projectionMigrations(projections);

export function projectionNamed(name: string): Projection | undefined {
  return projections.find((p) => p.name === name);
}
