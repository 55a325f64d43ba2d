import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TeacherController } from './teacher.controller';
import { ExecuteTeacherRequestHandler, LoadTeacherHandler } from './teacher.handlers';
import { TeacherWorkflows } from './teacher.workflows';

/** Nest wiring of ECT and mentor registration. Needs the school module's LoadSchool query handler. */
@Module({
  imports: [CqrsModule],
  controllers: [TeacherController],
  providers: [TeacherWorkflows, ExecuteTeacherRequestHandler, LoadTeacherHandler],
  exports: [TeacherWorkflows],
})
export class TeacherModule {}
