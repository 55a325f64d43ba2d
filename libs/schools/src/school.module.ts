import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { SchoolController } from './school.controller';
import { ExecuteSchoolCommandHandler, LoadSchoolHandler, schoolDeciderProvider, SCHOOL_DECIDER } from './school.handlers';

/** Nest wiring of the school capability. */
@Module({
  imports: [CqrsModule],
  controllers: [SchoolController],
  providers: [schoolDeciderProvider, ExecuteSchoolCommandHandler, LoadSchoolHandler],
  exports: [SCHOOL_DECIDER],
})
export class SchoolModule {}
