import { Client } from 'pg';
import { embeddedPostgresUrl, type AppConfig } from '@ect/platform';

/**
 * Which PostgreSQL a second process (the projector beside the API, a rebuild from another terminal) should use:
 * DATABASE_URL when set; else the embedded server that a running service started under the same DATA_DIR (found
 * through `<DATA_DIR>/cluster.json`) if it answers. Null means nothing is running: start the embedded one.
 */
export async function runningDatabaseUrl(config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>): Promise<string | null> {
  if (config.databaseUrl) return config.databaseUrl;
  const url = await embeddedPostgresUrl(config.dataDir);
  if (!url) return null;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}
