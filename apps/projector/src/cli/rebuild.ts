/**
 * `npm run projections:rebuild -- <name>`: rebuilds a projection's tables from the first event beside the live
 * ones and swaps them in when caught up, while the service keeps running (see rebuildProjection).
 *
 * Database: DATABASE_URL; else the embedded server a running service started under the same DATA_DIR; else it
 * starts the embedded server itself. Nest stays out of this path (tsx emits no decorator metadata).
 */
import { eventStoreMigrations } from '@ect/event-store';
import { createEventStore, masterKeyFor, personalDataMigrations } from '@ect/personal-data';
import { ConfigError, DatabaseUnreachableError, loadConfig, localSecret, openDatabase } from '@ect/platform';
import { ProjectionHandlerError, RebuildInProgressError, rebuildProjection } from '@ect/projection-runtime';
import { runningDatabaseUrl } from '../database-url';
import { projectionNamed, projections, projectorMigrations } from '../projections';
import { progressReporter } from './progress';

class UsageError extends Error {}

async function main(): Promise<void> {
  const name = process.argv[2];
  const projection = name ? projectionNamed(name) : undefined;
  if (!projection) {
    const known = projections.map((p) => p.name).join(', ') || '(none registered)';
    throw new UsageError(`${name ? `Unknown projection "${name}". ` : ''}Usage: npm run projections:rebuild -- <name>   (projections: ${known})`);
  }
  const loaded = loadConfig();
  const config = { ...loaded, databaseUrl: await runningDatabaseUrl(loaded) };
  const database = await openDatabase(config, [...eventStoreMigrations, ...personalDataMigrations, ...projectorMigrations], {
    poolSize: 4,
    applicationName: 'ect-register-rebuild',
  });
  // The same decorator as the service: the copy is built from decrypted events, with erased fields as erased.
  const streamKeySecret = config.streamKeySecret ?? (await localSecret(config.dataDir, 'stream-key')).value;
  const eventStore = createEventStore(config, database.pool, { masterKey: (await masterKeyFor(config))!, streamKeySecret });
  try {
    process.stdout.write(`Rebuilding ${projection.name} from the first event${database.embedded ? ' (embedded PostgreSQL started for this run)' : ''}...\n`);
    const result = await rebuildProjection({ pool: database.pool, eventStore, projection, onProgress: progressReporter(projection.name) });
    if (!result.projectorRunning) {
      process.stdout.write(
        `No projector was running ${projection.name}: the new tables reach its checkpoint (${result.position}); a projector continues from there.\n`,
      );
    }
  } finally {
    await eventStore.close();
    await database.close();
  }
}

main().catch((error) => {
  const plain = [UsageError, ConfigError, DatabaseUnreachableError, RebuildInProgressError, ProjectionHandlerError].some((type) => error instanceof type);
  process.stderr.write(`${plain ? error.message : `Rebuild failed: ${error?.stack ?? error}`}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
