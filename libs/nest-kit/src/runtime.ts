import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ContractPeriodCalendar } from '@ect/contract-periods';
import { eventStoreMigrations } from '@ect/event-store';
import { createEventStore, masterKeyFor, personalDataMigrations, type EncryptingEventStore } from '@ect/personal-data';
import { localSecret, openDatabase, type AppConfig, type Database, type Migration } from '@ect/platform';
import { idempotencyMigrations } from './idempotency';
import type { Clock } from './tokens';

/** Everything the processes share, built before Nest starts so start-up failures get plain messages. */
export interface Runtime {
  config: AppConfig;
  database: Database;
  pool: Pool;
  /** Seals and opens personal fields (libs/personal-data); `eventStore.stored` is the stored form underneath. */
  eventStore: EncryptingEventStore;
  clock: Clock;
  newId: () => string;
  authSecret: string;
  streamKeySecret: string;
  calendar: ContractPeriodCalendar;
  /** Lines worth telling a person at start (generated secrets, where data lives). */
  notices: string[];
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Migrations of read models and other modules, applied after the event store's. */
  migrations?: Migration[];
  clock?: Clock;
  log?: (line: string) => void;
  poolSize?: number;
  applicationName?: string;
}

export async function createRuntime(config: AppConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const notices: string[] = [];
  const database = await openDatabase(config, [...eventStoreMigrations, ...personalDataMigrations, ...idempotencyMigrations, ...(options.migrations ?? [])], {
    poolSize: options.poolSize,
    log: options.log,
    applicationName: options.applicationName,
  });
  if (database.embedded) notices.push(`Embedded PostgreSQL on 127.0.0.1:${database.embedded.port}, data in ${config.dataDir}`);

  const authSecret = config.authJwtSecret ?? (await generated(config, 'auth-jwt', 'AUTH_JWT_SECRET', notices));
  const streamKeySecret = config.streamKeySecret ?? (await generated(config, 'stream-key', 'STREAM_KEY_SECRET', notices));

  const masterKey = (await masterKeyFor(config, { notices }))!;
  const eventStore = createEventStore(config, database.pool, { masterKey, streamKeySecret });

  return {
    config,
    database,
    pool: database.pool,
    eventStore,
    clock: options.clock ?? { now: () => new Date() },
    newId: randomUUID,
    authSecret,
    streamKeySecret,
    calendar: ContractPeriodCalendar.standard(config.lastContractPeriod),
    notices,
    async close() {
      await eventStore.close();
      await database.close();
    },
  };
}

async function generated(config: AppConfig, name: string, variable: string, notices: string[]): Promise<string> {
  const secret = await localSecret(config.dataDir, name);
  notices.push(`${variable} is not set: using ${secret.created ? 'a newly generated' : 'the generated'} secret in ${secret.file} (local use only)`);
  return secret.value;
}
