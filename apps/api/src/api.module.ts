import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { InfrastructureModule, type ApiOperation, type Runtime } from '@ect/nest-kit';
import { SchoolModule, schoolApiOperations } from '@ect/schools';
import { TeacherModule, teacherApiOperations } from '@ect/teachers';
import { AuditModule, auditApiOperations } from '@ect/audit';
import { ErasureModule, erasureApiOperations } from '@ect/erasure';
import { LeadProviderContactsModule, leadProviderContactsApiOperations, ReadModelsModule, readModelApiOperations } from '@ect-projections';
import { KafkaCommandsModule, type KafkaCommandsOptions } from '@ect/kafka-commands';
import { HealthController } from './health/health.controller';
import { API_OPERATIONS, OpenApiController } from './openapi/openapi.controller';

/** Every operation the API serves, for the OpenAPI document. */
const operations: ApiOperation[] = [...schoolApiOperations, ...teacherApiOperations, ...readModelApiOperations, ...auditApiOperations, ...leadProviderContactsApiOperations, ...erasureApiOperations];

/** Composition root of the API: wires capability modules; no business rules here. */
@Module({})
export class ApiModule {
  static register(runtime: Runtime, options: { kafkaCommands?: KafkaCommandsOptions } = {}): DynamicModule {
    const kafka = options.kafkaCommands ? [KafkaCommandsModule.register(options.kafkaCommands)] : [];
    return {
      module: ApiModule,
      imports: [InfrastructureModule.forRuntime(runtime), CqrsModule.forRoot(), SchoolModule, TeacherModule, ReadModelsModule, AuditModule, LeadProviderContactsModule, ErasureModule, ...kafka],
      controllers: [HealthController, OpenApiController],
      providers: [{ provide: API_OPERATIONS, useValue: operations }],
    };
  }
}
