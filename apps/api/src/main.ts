import 'reflect-metadata';
import { ConfigError, DatabaseUnreachableError, loadConfig } from '@ect/platform';
import { createRuntime } from '@ect/nest-kit';
import { startProjector } from '@ect/projection-runtime';
import { allProjections, startContactReviews } from '@ect-projections';
import { startFeedRelay } from '@ect/feeds';
import { CommandRunner } from '@ect/command-runner';
import { COMMANDS_TOPIC, kafkaCommandsFromEnv } from '@ect/kafka-commands';
import { kafkaConnectionFromEnv } from '../../../scripts/kafka';
import { createApiApp } from './api.app';
import { apiMigrations } from './api.migrations';

async function main(): Promise<void> {
  const config = loadConfig();
  // Commands over Kafka (README): consumed when a cluster is configured and KAFKA_PRINCIPAL_ROLES names senders.
  const kafka = kafkaConnectionFromEnv();
  const kafkaCommands = kafka ? kafkaCommandsFromEnv(kafka) : null;
  const runtime = await createRuntime(config, { migrations: apiMigrations, applicationName: 'ect-register-api' });
  const app = await createApiApp(runtime, { kafkaCommands: kafkaCommands ?? undefined });
  // First look (`npm start`): the projections run in this process too; production runs apps/projector instead.
  const projector = config.projectionsInProcess
    ? startProjector({ pool: runtime.pool, eventStore: runtime.eventStore, projections: allProjections(new CommandRunner(runtime.eventStore, { newId: runtime.newId })), log: (line) => process.stdout.write(`${line}\n`) })
    : null;
  // Contact feeds beside the in-process projections: the outbox relay (KAFKA=local starts a broker under DATA_DIR/kafka
  // here and stops it at shutdown; no Kafka: the relay is off) and the date-driven review of contact snapshots.
  const feeds = projector ? await startFeedRelay(config, runtime.pool, (line) => process.stdout.write(`${line}\n`)) : null;
  const reviews = projector ? startContactReviews({ pool: runtime.pool, log: (line) => process.stdout.write(`${line}\n`) }) : null;
  await app.startAllMicroservices();
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const lines = [`ect-register API listening on ${url} (event store: ${config.eventStore})`, ...runtime.notices];
  if (projector) lines.push(`Projections running in this process: read models and reactors`);
  if (feeds) lines.push(...feeds.notices);
  if (kafkaCommands) lines.push(`Commands over Kafka from ${Object.keys(kafkaCommands.principalRoles).map((p) => `${COMMANDS_TOPIC}.${p}`).join(', ')}`);
  lines.push(`Health: ${url}/health/ready   OpenAPI: ${url}/openapi.json   Docs: ${url}/docs`);
  if (config.appEnv !== 'production') {
    lines.push(`Mint a token for local use: npm run token -- <role>   (roles: reference-data, identity-sync, school-commands, partnerships, reader, auditor, lead-provider, data-protection)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${signal}: shutting down\n`);
    await app.close();
    await projector?.stop();
    await reviews?.stop();
    await feeds?.stop();
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
    process.stderr.write(`ect-register API failed to start: ${error?.stack ?? error}\n`);
  }
  process.exit(1);
});
