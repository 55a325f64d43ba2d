import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { InfrastructureModule, type ApiOperation, type Runtime } from '@ect/nest-kit';
import { SchoolModule, schoolApiOperations } from '@ect/schools';
import { TeacherModule, teacherApiOperations } from '@ect/teachers';
import { AuditModule, auditApiOperations } from '@ect/audit';
import { ReadModelsModule, readModelApiOperations } from '@ect-projections';
import { HealthController } from './health/health.controller';
import { API_OPERATIONS, OpenApiController } from './openapi/openapi.controller';

/** Every operation the API serves, for the OpenAPI document. */
const operations: ApiOperation[] = [...schoolApiOperations, ...teacherApiOperations, ...readModelApiOperations, ...auditApiOperations];

/** Composition root of the API: wires capability modules; no business rules here. */
@Module({})
export class ApiModule {
  static register(runtime: Runtime): DynamicModule {
    return {
      module: ApiModule,
      imports: [InfrastructureModule.forRuntime(runtime), CqrsModule.forRoot(), SchoolModule, TeacherModule, ReadModelsModule, AuditModule],
      controllers: [HealthController, OpenApiController],
      providers: [{ provide: API_OPERATIONS, useValue: operations }],
    };
  }
}
