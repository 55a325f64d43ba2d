import type { ClientBase, Pool } from 'pg';
import { START, type GlobalPosition } from '@ect/event-store';
import type { Migration } from '@ect/platform';
import { liveSchema, quoteIdent, type Projection } from './projection';

/**
 * Each projection lives in its own PostgreSQL schema: its tables and its checkpoint row together. Renaming the
 * schema moves both at once, which is what makes a rebuild's swap atomic (see rebuild.ts).
 */
export const CHECKPOINT_TABLE = 'projection_checkpoint';

function checkpointSql(schema: string): string {
  const s = quoteIdent(schema);
  return `
    create schema if not exists ${s};
    create table ${s}.${CHECKPOINT_TABLE} (
      id boolean primary key default true check (id),
      position bigint not null,
      updated_at timestamptz not null default now()
    );
    insert into ${s}.${CHECKPOINT_TABLE} (id, position) values (true, ${START});`;
}

/** Puts the schema first, so a projection's unqualified DDL lands there; `public` stays for the migrator's own table. */
function inSchema(schema: string, sql: string): string {
  return `set local search_path to ${quoteIdent(schema)}, public;\n${sql}`;
}

/**
 * The live schemas' migrations, for `migrate()` / `createRuntime({ migrations })`: the schema with its checkpoint,
 * then the projection's own steps. A step added later is applied to the live tables in place; a rebuild's copy
 * always gets every step from the start.
 */
export function projectionMigrations(projections: Projection[]): Migration[] {
  return projections.flatMap((projection) => {
    const schema = liveSchema(projection.name);
    return [
      { id: `projection/${projection.name}/000-schema`, sql: checkpointSql(schema) },
      ...projection.migrations.map((m) => ({ id: `projection/${projection.name}/${m.id}`, sql: inSchema(schema, m.sql) })),
    ];
  });
}

/** Creates an empty copy of a projection's tables in `schema` (dropping what was there), checkpoint at START. */
export async function createEmptySchema(client: ClientBase, projection: Projection, schema: string): Promise<void> {
  await client.query('begin');
  try {
    await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await client.query(checkpointSql(schema));
    for (const migration of projection.migrations) await client.query(inSchema(schema, migration.sql));
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/** The position up to which every event has been applied to the tables in `schema`. */
export async function readCheckpoint(db: Pool | ClientBase, schema: string, forUpdate = false): Promise<GlobalPosition> {
  const { rows } = await db.query<{ position: string }>(
    `select position from ${quoteIdent(schema)}.${CHECKPOINT_TABLE}${forUpdate ? ' for update' : ''}`,
  );
  if (rows.length !== 1) throw new Error(`${schema}.${CHECKPOINT_TABLE} has no checkpoint row`);
  return BigInt(rows[0].position);
}

/** The live checkpoints of several projections in one round trip (one consistent snapshot). */
export async function readCheckpoints(db: Pool | ClientBase, names: string[]): Promise<Map<string, GlobalPosition>> {
  if (names.length === 0) return new Map();
  const sql = names
    .map((name, i) => `select $${i + 1}::text as name, position from ${quoteIdent(liveSchema(name))}.${CHECKPOINT_TABLE}`)
    .join(' union all ');
  try {
    const { rows } = await db.query<{ name: string; position: string }>(sql, names);
    return new Map(rows.map((r) => [r.name, BigInt(r.position)]));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') {
      throw new Error(`A projection among ${names.join(', ')} has no tables: are its migrations applied? (${(error as Error).message})`);
    }
    throw error;
  }
}
