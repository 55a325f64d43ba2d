import type { CommandRunner } from '@ect/command-runner';
import { projectionMigrations, type Projection } from '@ect/projection-runtime';
import { allProjectionDefinitions, allProjections } from '@ect-projections';
import { eventCounts } from './event-counts/event-counts.projection';

/**
 * Every projection the projector runs: the read models and reactors of `projections/` (registered in
 * projections/index.ts) and the operators' event counts. A new projection is defined with `defineProjection` in
 * `projections/<name>/` and listed in projections/index.ts; its tables are created at the next start, and it
 * catches up from the first event.
 */
export function projectionsFor(runner: CommandRunner): Projection[] {
  return [eventCounts, ...allProjections(runner)];
}

/** The same projections as definitions (their tables, and rebuilds, which never run reactors' commands). */
export const projections: Projection[] = [eventCounts, ...allProjectionDefinitions];

/** Their tables and checkpoints, for createRuntime / migrate (also needed by a process that runs them in-process). */
export const projectorMigrations = projectionMigrations(projections);

export function projectionNamed(name: string): Projection | undefined {
  return projections.find((p) => p.name === name);
}
