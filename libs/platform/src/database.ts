import { Pool } from 'pg';
import type { AppConfig } from './config';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { migrate, type Migration } from './migrator';

export interface Database {
  pool: Pool;
  url: string;
  embedded: RunningPostgres | null;
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {}

/**
 * Opens the service's PostgreSQL: the server at DATABASE_URL, or an embedded one under DATA_DIR. Applies the
 * migrations. Fails with a plain message when the server cannot be reached.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
  migrations: Migration[],
  options: { poolSize?: number; log?: (line: string) => void; applicationName?: string } = {},
): Promise<Database> {
  let embedded: RunningPostgres | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, persistent: true, log: options.log });
    url = embedded.url;
  }
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 20,
    connectionTimeoutMillis: 5000,
    application_name: options.applicationName ?? 'ect-register',
  });
  // Idle clients die when the server restarts; the pool replaces them. Without a listener this would crash.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw new DatabaseUnreachableError(`PostgreSQL at ${redact(url)} is unreachable: ${(error as Error).message}`);
  }
  await migrate(pool, migrations);
  return {
    pool,
    url,
    embedded,
    async close() {
      await pool.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
}

export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
