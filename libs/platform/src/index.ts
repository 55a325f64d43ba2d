export { migrate, type Migration } from './migrator';
export { startEmbeddedPostgres, embeddedPostgresUrl, freePort, type RunningPostgres } from './embedded-postgres';
export { loadConfig, ConfigError, parseMasterKey, type AppConfig } from './config';
export { localSecret } from './local-secrets';
export { openDatabase, DatabaseUnreachableError, redact, type Database } from './database';
