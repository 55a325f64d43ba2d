import type { QueryResult, QueryResultRow } from 'pg';
import type { StoredEvent } from '@ect/event-store';

/**
 * Whether a handler runs for the live read model or for a copy being rebuilt. A projection that fills an outbox
 * (feed messages) must write to it only when `live`: a rebuild replays events whose messages were already sent.
 */
export type ProjectionMode = 'live' | 'rebuild';

/** What a handler gets besides the event: the batch's transaction and where its tables are. */
export interface ProjectionContext {
  /** Runs SQL in the batch's transaction. The checkpoint is stored in the same transaction, so never commit here. */
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** The schema being filled: `proj_<name>` (live) or `proj_<name>_rebuild` (a rebuild's copy). */
  readonly schema: string;
  /** A table of this projection, schema-qualified and quoted: `ctx.table('counts')` → `"proj_x"."counts"`. */
  table(name: string): string;
  readonly mode: ProjectionMode;
}

export type ProjectionHandler = (event: StoredEvent, ctx: ProjectionContext) => Promise<void>;

/** One step of a projection's tables. Applied with the projection's schema first on the search path. */
export interface ProjectionMigration {
  /** Ordered and unique within the projection, e.g. `001-tables`. Never edit one that was applied. */
  id: string;
  /** Unqualified DDL (`create table counts (...)`): it lands in whichever schema is being built. */
  sql: string;
}

export interface Projection {
  /** Lower-case letters, digits and dashes; names the schema (`proj_<name>`), the lock, metrics and health. */
  name: string;
  /** Only events of streams starting with one of these (e.g. `school-`); all streams when absent. */
  streamPrefixes?: string[];
  /** One handler per event type it handles. Other types are skipped (the checkpoint still moves past them). */
  handlers: Record<string, ProjectionHandler>;
  /** For a projection about all event types (e.g. operator counts): called for events with no handler above. */
  anyOtherEvent?: ProjectionHandler;
  /** Its tables; the checkpoint table (`projection_checkpoint`) is added by the runtime. */
  migrations: ProjectionMigration[];
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** PostgreSQL identifiers hold 63 bytes; the longest name we derive is `proj_<name>_rebuild`. */
const MAX_NAME_LENGTH = 40;

/** Checks the declaration once, where it is written, so a typo fails at start rather than at the first event. */
export function defineProjection(projection: Projection): Projection {
  if (!NAME.test(projection.name) || projection.name.length > MAX_NAME_LENGTH) {
    throw new Error(`Projection name "${projection.name}" must be lower-case letters, digits and dashes (at most ${MAX_NAME_LENGTH})`);
  }
  const ids = projection.migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new Error(`Projection ${projection.name} has duplicate migration ids`);
  if (Object.keys(projection.handlers).length === 0 && !projection.anyOtherEvent) {
    throw new Error(`Projection ${projection.name} handles no events`);
  }
  return projection;
}

export function assertProjectionName(name: string): void {
  if (!NAME.test(name) || name.length > MAX_NAME_LENGTH) throw new Error(`"${name}" is not a projection name`);
}

/** The schema holding the live tables and checkpoint. Names are validated, so the result is a safe identifier. */
export function liveSchema(name: string): string {
  assertProjectionName(name);
  return `proj_${name.replace(/-/g, '_')}`;
}

export const rebuildSchema = (name: string): string => `${liveSchema(name)}_rebuild`;
export const retiredSchema = (name: string): string => `${liveSchema(name)}_retired`;

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The handler for an event, or null when the projection does not handle it (other stream or type). */
export function handlerFor(projection: Projection, event: StoredEvent): ProjectionHandler | null {
  const prefixes = projection.streamPrefixes;
  if (prefixes && prefixes.length > 0 && !prefixes.some((p) => event.streamName.startsWith(p))) return null;
  // Own keys only: an event type such as `constructor` must not find Object.prototype's.
  const own = Object.hasOwn(projection.handlers, event.type) ? projection.handlers[event.type] : undefined;
  return own ?? projection.anyOtherEvent ?? null;
}
