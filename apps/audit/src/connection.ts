import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'pg';
import { postgresAuditSource, type AuditSource } from '@ect/audit';
import { ContractPeriodCalendar } from '@ect/contract-periods';
import { EventStoreDbEventStore, PostgresEventStore, type EventStore } from '@ect/event-store';
import { EncryptingEventStore, KeyStore, masterKeyFor } from '@ect/personal-data';
import { embeddedPostgresUrl, loadConfig, redact } from '@ect/platform';

/** A problem with where the CLI should read from: printed as it is, exit code 2. */
export class AuditSetupError extends Error {}

export interface AuditConnection {
  source: AuditSource;
  calendar: ContractPeriodCalendar;
  /** The stream key secret (only `teacher <trn>` and `erase` need it). */
  streamKeySecret(): Promise<string>;
  /** The store that opens personal fields (and erases); null without a master key (see openAudit). */
  personalData: EncryptingEventStore | null;
  describe: string;
  /** The PostgreSQL that holds the read models (verify-read-models); absent with EventStoreDB alone. */
  pool?: Pool;
  close(): Promise<void>;
}

/**
 * Opens the log the service writes, with the service's own configuration variables. It never starts a database,
 * applies migrations or creates secrets, so it cannot disturb the service it audits; only `erase` writes.
 * - EVENT_STORE=eventstoredb: EVENTSTORE_CONNECTION_STRING.
 * - Otherwise DATABASE_URL, or the embedded PostgreSQL a running service started under DATA_DIR (found through
 *   `<DATA_DIR>/cluster.json`).
 * The stream key secret is STREAM_KEY_SECRET, or the one the service generated in DATA_DIR; the master key that opens
 * personal fields MASTER_KEY, or the one generated there. Without a master key, history and state show personal
 * fields sealed, as stored, and erase is refused. The data keys are read from PostgreSQL (also with EventStoreDB).
 */
export async function openAudit(env: NodeJS.ProcessEnv = process.env): Promise<AuditConnection> {
  const config = loadConfig(env);
  const calendar = ContractPeriodCalendar.standard(config.lastContractPeriod);
  const streamKeySecret = async () => {
    if (config.streamKeySecret) return config.streamKeySecret;
    const file = join(config.dataDir, 'stream-key.secret');
    const value = await readFile(file, 'utf8').then((s) => s.trim(), () => '');
    if (!value) throw new AuditSetupError(`Teacher streams need the service's stream key: set STREAM_KEY_SECRET, or DATA_DIR to the service's (no ${file})`);
    return value;
  };

  const masterKey = await masterKeyFor(config, { readOnly: true });
  const secretOrEmpty = await streamKeySecret().catch(() => '');
  const personalData = (stored: EventStore, pool: Pool) => (masterKey ? new EncryptingEventStore(stored, new KeyStore(pool, masterKey), secretOrEmpty) : null);

  const url = config.databaseUrl ?? (await embeddedPostgresUrl(config.dataDir));
  if (!url && config.eventStore === 'eventstoredb' && !masterKey) {
    const store = new EventStoreDbEventStore(config.eventStoreConnectionString!);
    return { source: { store }, calendar, streamKeySecret, personalData: null, describe: 'EventStoreDB', close: () => store.close() };
  }
  if (!url) {
    throw new AuditSetupError(
      `No DATABASE_URL, and no embedded PostgreSQL in DATA_DIR (${config.dataDir}): start the service with that DATA_DIR (npm start), or set DATABASE_URL`,
    );
  }
  const pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000, application_name: 'ect-register-audit' });
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
    const migrations = await pool.query<{ ok: boolean }>(`select to_regclass('schema_migrations') is not null as ok`);
    const chained = migrations.rows[0].ok && (await pool.query(`select 1 from schema_migrations where id = 'event-store/003-hash-chain'`)).rows.length > 0;
    if (!chained) {
      throw new AuditSetupError('This event store has no hash chain yet (migration event-store/003-hash-chain): run npm run db:migrate first');
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof AuditSetupError) throw error;
    const hint = config.databaseUrl ? '' : ` Is the service running with DATA_DIR=${config.dataDir}?`;
    throw new AuditSetupError(`PostgreSQL at ${redact(url)} is unreachable: ${(error as Error).message}.${hint}`);
  }
  const stored = config.eventStore === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStoreConnectionString!) : new PostgresEventStore(pool);
  const store = personalData(stored, pool);
  return {
    source: config.eventStore === 'eventstoredb' ? { store: store ?? stored } : postgresAuditSource(store ?? stored, pool),
    calendar,
    streamKeySecret,
    personalData: store,
    describe: config.eventStore === 'eventstoredb' ? 'EventStoreDB' : `PostgreSQL ${redact(url)}`,
    pool,
    close: async () => {
      await stored.close();
      await pool.end();
    },
  };
}
