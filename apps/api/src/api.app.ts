import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel } from '@nestjs/common';
import type { Runtime } from '@ect/nest-kit';
import { kafkaCommandsMicroservice, type KafkaCommandsOptions } from '@ect/kafka-commands';
import { ApiModule } from './api.module';

/** Largest request body accepted (bytes); larger ones get 413 PAYLOAD_TOO_LARGE. */
export const BODY_LIMIT = 64 * 1024;

const LEVELS: Record<string, LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

/**
 * Builds the API application (not listening yet); used by main.ts and by the HTTP tests. With `kafkaCommands` the
 * Kafka command consumer is connected too; `app.startAllMicroservices()` starts it.
 */
export async function createApiApp(runtime: Runtime, options: { logger?: false; kafkaCommands?: KafkaCommandsOptions } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.register(runtime, options), adapter, {
    logger: options.logger ?? LEVELS[runtime.config.logLevel],
    bufferLogs: false,
  });
  if (options.kafkaCommands) app.connectMicroservice(kafkaCommandsMicroservice(options.kafkaCommands));
  // Errors Fastify raises before a route runs (malformed JSON, body too large) reach Nest's exception filters,
  // so ProblemFilter answers them too.
  await app.init();
  return app;
}
