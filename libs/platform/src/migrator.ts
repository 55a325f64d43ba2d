import type { Pool } from 'pg';

export interface Migration {
  /** Unique and ordered: `<module>/<NNN>-<name>`, e.g. `event-store/001-events`. Never edit an applied one. */
  id: string;
  sql: string;
}

/** Any fixed number: the advisory lock that serialises migration runs from several processes starting at once. */
const MIGRATION_LOCK = 7_283_001;

/**
 * Applies migrations not yet recorded in `schema_migrations`, each in its own transaction, in the order given.
 * Safe to call from several processes at once: they queue on an advisory lock and the later ones find nothing to do.
 */
export async function migrate(pool: Pool, migrations: Migration[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set((await client.query<{ id: string }>('select id from schema_migrations')).rows.map((r) => r.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await client.query('begin');
      try {
        await client.query(migration.sql);
        await client.query('insert into schema_migrations (id) values ($1)', [migration.id]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`Migration ${migration.id} failed: ${(error as Error).message}`);
      }
      applied.push(migration.id);
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}
