export { migrate, type Migration } from './migrator';
export { startEmbeddedPostgres, embeddedPostgresUrl, freePort, type RunningPostgres } from './embedded-postgres';
