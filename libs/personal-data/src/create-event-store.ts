import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { EventStoreDbEventStore, PostgresEventStore } from '@ect/event-store';
import { localSecret, type AppConfig } from '@ect/platform';
import { EncryptingEventStore } from './encrypting-event-store';
import { KeyStore } from './key-store';

export interface PersonalDataSecrets {
  /** The 32-byte key that wraps the data keys. */
  masterKey: Buffer;
  /** The stream key secret: subjects are stored as keyed hashes under it. */
  streamKeySecret: string;
}

/**
 * The one way every process (API, projector, rebuild, audit CLI) builds its event store: the configured adapter,
 * wrapped so personal fields are sealed and opened with the data keys in this PostgreSQL pool (the key store stays
 * in PostgreSQL with EventStoreDB too).
 */
export function createEventStore(config: Pick<AppConfig, 'eventStore' | 'eventStoreConnectionString'>, pool: Pool, secrets: PersonalDataSecrets): EncryptingEventStore {
  const stored =
    config.eventStore === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStoreConnectionString!) : new PostgresEventStore(pool);
  return new EncryptingEventStore(stored, new KeyStore(pool, secrets.masterKey), secrets.streamKeySecret);
}

/**
 * MASTER_KEY, else the key generated in DATA_DIR (`master-key.secret`, owner-only; made on first use unless
 * `readOnly`). Null only when `readOnly` and there is none: nothing was ever encrypted with a generated key there.
 */
export async function masterKeyFor(config: Pick<AppConfig, 'masterKey' | 'dataDir'>, options: { readOnly?: boolean; notices?: string[] } = {}): Promise<Buffer | null> {
  if (config.masterKey) return config.masterKey;
  if (options.readOnly) {
    const text = await readFile(join(config.dataDir, 'master-key.secret'), 'utf8').then((s) => s.trim(), () => '');
    return text ? Buffer.from(text, 'base64url') : null;
  }
  const secret = await localSecret(config.dataDir, 'master-key');
  options.notices?.push(
    `MASTER_KEY is not set: using ${secret.created ? 'a newly generated' : 'the generated'} master key in ${secret.file} (owner-only; local use only)`,
  );
  return Buffer.from(secret.value, 'base64url');
}
