import 'reflect-metadata';
import { ConfigError, DatabaseUnreachableError, loadConfig } from '@ect/platform';
import { createRuntime } from '@ect/nest-kit';
import { serveProjectorHttp, startProjector } from '@ect/projection-runtime';
import { runningDatabaseUrl } from './database-url';
import { CommandRunner } from '@ect/command-runner';
import { projections, projectionsFor, projectorMigrations } from './projections';
import { startFeedRelay } from '@ect/feeds';
import { startContactReviews } from '@ect-projections';

const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

function projectorPort(env: NodeJS.ProcessEnv): number {
  const value = env.PROJECTOR_PORT?.trim();
  if (!value) return 3001;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new ConfigError('PROJECTOR_PORT', `must be a whole number from 0 to 65535; got "${value}"`);
  }
  return Number(value);
}

/**
 * The projector process: applies the registered projections' migrations, runs each projection it can hold (the
 * others stand by; see @ect/projection-runtime), and serves /metrics and /health on PROJECTOR_PORT (default 3001).
 * On the embedded default it joins the server a running API started under the same DATA_DIR.
 */
async function main(): Promise<void> {
  const loaded = loadConfig();
  const port = projectorPort(process.env);
  const config = { ...loaded, databaseUrl: await runningDatabaseUrl(loaded) };
  const runtime = await createRuntime(config, {
    migrations: projectorMigrations,
    applicationName: 'ect-register-projector',
    poolSize: projections.length * 2 + 4,
  });
  const runner = new CommandRunner(runtime.eventStore, { newId: runtime.newId });
  const projector = startProjector({ pool: runtime.pool, eventStore: runtime.eventStore, projections: projectionsFor(runner), log });
  // Contact feeds: the outbox relay (off without Kafka) and the date-driven review of contact snapshots.
  const feeds = await startFeedRelay(config, runtime.pool, log);
  const reviews = startContactReviews({ pool: runtime.pool, log });
  const withRelay = { ...projector, health: () => ({ ...projector.health(), relay: feeds.relay.health() }) };
  const http = await serveProjectorHttp(withRelay, { port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${http.port}`;
  const names = projections.map((p) => p.name).join(', ') || 'none';
  process.stdout.write(
    [`ect-register projector listening on ${url} (projections: ${names}; event store: ${config.eventStore})`, ...runtime.notices, ...feeds.notices,
      `Metrics: ${url}/metrics   Health: ${url}/health`].join('\n') + '\n',
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: stopping projections after their batches in flight`);
    await http.close();
    await projector.stop();
    await reviews.stop();
    await feeds.stop();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof DatabaseUnreachableError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`ect-register projector failed to start: ${error?.stack ?? error}\n`);
  }
  process.exit(1);
});
