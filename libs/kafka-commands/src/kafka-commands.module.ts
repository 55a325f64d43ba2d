import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { CustomStrategy } from '@nestjs/microservices';
import type { KafkaCommandsOptions } from './kafka-commands.config';
import { KafkaCommandsController } from './kafka-commands.controller';
import { KAFKA_COMMANDS_OPTIONS, KafkaCommandProcessor } from './kafka-commands.processor';
import { KafkaCommandServer } from './kafka-commands.server';

/** Nest wiring of commands over Kafka; the command handlers come from the school and teacher modules. */
@Module({})
export class KafkaCommandsModule {
  static register(options: KafkaCommandsOptions): DynamicModule {
    return {
      module: KafkaCommandsModule,
      imports: [CqrsModule],
      controllers: [KafkaCommandsController],
      providers: [{ provide: KAFKA_COMMANDS_OPTIONS, useValue: options }, KafkaCommandProcessor],
    };
  }
}

/**
 * For `app.connectMicroservice(...)` on the API app that imports KafkaCommandsModule.register(options). Do not pass
 * `inheritAppConfig`: the app's HTTP guard and problem filter are not for Kafka; the controller answers every error.
 */
export function kafkaCommandsMicroservice(options: KafkaCommandsOptions): CustomStrategy {
  return { strategy: new KafkaCommandServer(options) };
}
