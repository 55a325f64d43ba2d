import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { CommandContext, LoadedStream } from '@ect/command-runner';
import type { CommandOutcome } from '@ect/nest-kit';
import type { TeacherRequest } from './teacher.requests';
import type { TeacherState } from './teacher.state';
import { TeacherWorkflows } from './teacher.workflows';

/** A teacher request from HTTP or Kafka, dispatched by the CQRS command bus. */
export class ExecuteTeacherRequest {
  constructor(readonly request: TeacherRequest, readonly context: CommandContext) {}
}

/** Loads a teacher's current state from their stream (TRN already normalised). */
export class LoadTeacher {
  constructor(readonly trn: string) {}
}

@CommandHandler(ExecuteTeacherRequest)
export class ExecuteTeacherRequestHandler implements ICommandHandler<ExecuteTeacherRequest, CommandOutcome> {
  constructor(private readonly workflows: TeacherWorkflows) {}

  execute({ request, context }: ExecuteTeacherRequest) {
    return this.workflows.execute(request, context);
  }
}

@QueryHandler(LoadTeacher)
export class LoadTeacherHandler implements IQueryHandler<LoadTeacher, LoadedStream<TeacherState>> {
  constructor(private readonly workflows: TeacherWorkflows) {}

  execute({ trn }: LoadTeacher) {
    return this.workflows.loadTeacher(trn);
  }
}
