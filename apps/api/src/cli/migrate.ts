/** `npm run db:migrate`: applies every migration to DATABASE_URL (or the embedded server under DATA_DIR) and exits. */
import { ConfigError, DatabaseUnreachableError, loadConfig } from '@ect/platform';
import { createRuntime } from '@ect/nest-kit';
import { apiMigrations } from '../api.migrations';

async function main() {
  const runtime = await createRuntime(loadConfig(), { migrations: apiMigrations, applicationName: 'ect-register-migrate' });
  process.stdout.write('Migrations applied.\n');
  await runtime.close();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof ConfigError || error instanceof DatabaseUnreachableError ? error.message : error?.stack ?? error}\n`);
  process.exit(1);
});
