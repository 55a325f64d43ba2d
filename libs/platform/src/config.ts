import { isAbsolute, resolve } from 'node:path';

/**
 * Configuration from environment variables, validated once at start. Every variable is documented in README.md
 * ("Configuration"); a bad value stops the process with a message naming the variable.
 */
export interface AppConfig {
  /** `production` refuses generated secrets; `development` (default) generates them in DATA_DIR. */
  appEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  eventStore: 'postgres' | 'eventstoredb';
  /** Null means: start the embedded PostgreSQL under DATA_DIR. */
  databaseUrl: string | null;
  eventStoreConnectionString: string | null;
  /** Null means: generate (development) — production refuses to start without it. */
  authJwtSecret: string | null;
  /** Secret for the keyed hashes in stream names (TRNs, emails). Null: generate in DATA_DIR (development). */
  streamKeySecret: string | null;
  /**
   * MASTER_KEY: the 32-byte key that wraps every person's data key (AES-256-GCM), given as 64 hex digits or base64.
   * Null: generate in DATA_DIR (development) — production refuses to start without it.
   */
  masterKey: Buffer | null;
  /** Largest contract period year configured (periods run from 2021 to it). */
  lastContractPeriod: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How long a query with `?after=` waits for read models, in milliseconds. */
  readYourWritesTimeoutMs: number;
  /** The API process also runs the projections (first look, `npm start`); production runs apps/projector. */
  projectionsInProcess: boolean;
  /**
   * Where Kafka is: `local` (KAFKA=local: a broker under DATA_DIR/kafka, started in-process when none runs there),
   * `external` (KAFKA_BROKERS with KAFKA_SASL_USERNAME/PASSWORD, read by scripts/kafka.ts kafkaConnectionFromEnv),
   * or null: no Kafka, the feed outbox accumulates and the relay is off.
   */
  kafka: 'local' | 'external' | null;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`Configuration error: ${variable} ${message}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd(), today = new Date()): AppConfig {
  const appEnv = oneOf(env, 'APP_ENV', ['development', 'production', 'test'] as const, 'development');
  const eventStore = oneOf(env, 'EVENT_STORE', ['postgres', 'eventstoredb'] as const, 'postgres');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const eventStoreConnectionString = url(env, 'EVENTSTORE_CONNECTION_STRING', ['esdb:', 'esdb+discover:']);
  if (eventStore === 'eventstoredb' && !eventStoreConnectionString) {
    throw new ConfigError('EVENTSTORE_CONNECTION_STRING', 'must be set when EVENT_STORE=eventstoredb');
  }
  const authJwtSecret = secret(env, 'AUTH_JWT_SECRET');
  const streamKeySecret = secret(env, 'STREAM_KEY_SECRET');
  const masterKey = env.MASTER_KEY?.trim() ? parseMasterKey(env.MASTER_KEY, 'MASTER_KEY') : null;
  if (appEnv === 'production') {
    if (!authJwtSecret) throw new ConfigError('AUTH_JWT_SECRET', 'must be set in production (APP_ENV=production)');
    if (!streamKeySecret) throw new ConfigError('STREAM_KEY_SECRET', 'must be set in production (APP_ENV=production)');
    if (!masterKey) throw new ConfigError('MASTER_KEY', 'must be set in production (APP_ENV=production)');
    if (!databaseUrl && eventStore === 'postgres') throw new ConfigError('DATABASE_URL', 'must be set in production (APP_ENV=production)');
  }
  const dataDirRaw = env.DATA_DIR?.trim() || '.data';
  return {
    appEnv,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw),
    eventStore,
    databaseUrl,
    eventStoreConnectionString,
    authJwtSecret,
    streamKeySecret,
    masterKey,
    lastContractPeriod: integer(env, 'LAST_CONTRACT_PERIOD', today.getUTCFullYear() + 1, 2021, 2100),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    readYourWritesTimeoutMs: integer(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60000),
    projectionsInProcess: oneOf(env, 'PROJECTIONS_IN_PROCESS', ['true', 'false'] as const, appEnv === 'production' ? 'false' : 'true') === 'true',
    kafka: kafkaMode(env),
  };
}

function kafkaMode(env: Env): AppConfig['kafka'] {
  const kafka = env.KAFKA?.trim();
  if (kafka && kafka !== 'local') throw new ConfigError('KAFKA', `must be local or unset; got "${kafka}"`);
  const local = kafka === 'local';
  const brokers = env.KAFKA_BROKERS?.trim();
  if (local && brokers) throw new ConfigError('KAFKA', 'must be unset when KAFKA_BROKERS is set (KAFKA=local starts a broker of its own)');
  if (!brokers) return local ? 'local' : null;
  if (!brokers.split(',').every((b) => /^[^\s:,]+:\d{1,5}$/.test(b.trim()))) throw new ConfigError('KAFKA_BROKERS', `must be host:port[,host:port...]; got "${brokers}"`);
  for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) if (!env[name]) throw new ConfigError(name, 'must be set when KAFKA_BROKERS is set');
  oneOf(env, 'KAFKA_SASL_MECHANISM', ['scram-sha-512', 'scram-sha-256', 'plain'] as const, 'scram-sha-512');
  oneOf(env, 'KAFKA_SSL', ['true', 'false'] as const, 'false');
  return 'external';
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}; got "${value}"`);
  }
  return Number(value);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const value = env[name]?.trim();
  if (!value) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')}//...)`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return value;
}

/** A 256-bit key from 64 hex digits or base64 (standard or URL-safe, padding optional); anything else is refused. */
export function parseMasterKey(text: string, variable = 'MASTER_KEY'): Buffer {
  const value = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)
      ? Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : null;
  if (!key || key.length !== 32) throw new ConfigError(variable, 'must be 32 bytes as 64 hex digits or base64 (e.g. openssl rand -base64 32)');
  return key;
}

function secret(env: Env, name: string): string | null {
  const value = env[name];
  if (value === undefined || value === '') return null;
  if (value.length < 32) throw new ConfigError(name, 'must be at least 32 characters');
  return value;
}
