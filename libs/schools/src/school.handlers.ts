import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ContractPeriodCalendar } from '@ect/contract-periods';
import type { CommandContext, CommandRunner, CommandResult, LoadedStream } from '@ect/command-runner';
import { COMMAND_RUNNER, CONTRACT_PERIODS } from '@ect/nest-kit';
import type { SchoolCommand } from './school.commands';
import { createSchoolDecider, type SchoolDecider } from './school.decider';
import { schoolEventCodec, type SchoolEvent } from './school.events';
import type { SchoolState } from './school.state';

export const schoolStreamName = (urn: string) => `school-${urn}`;

/** Runs one school command against `school-<urn>` (dispatched by the CQRS command bus from HTTP or Kafka). */
export class ExecuteSchoolCommand {
  constructor(readonly urn: string, readonly command: SchoolCommand, readonly context: CommandContext) {}
}

/** Loads the school's current state from its stream. */
export class LoadSchool {
  constructor(readonly urn: string) {}
}

/** One decider per process, built from the configured contract periods. */
export const SCHOOL_DECIDER = Symbol('SCHOOL_DECIDER');
export const schoolDeciderProvider = {
  provide: SCHOOL_DECIDER,
  inject: [CONTRACT_PERIODS],
  useFactory: (calendar: ContractPeriodCalendar) => createSchoolDecider(calendar),
};

@CommandHandler(ExecuteSchoolCommand)
export class ExecuteSchoolCommandHandler implements ICommandHandler<ExecuteSchoolCommand, CommandResult<SchoolEvent, SchoolState>> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: CommandRunner, @Inject(SCHOOL_DECIDER) private readonly decider: SchoolDecider) {}

  execute({ urn, command, context }: ExecuteSchoolCommand) {
    return this.runner.execute({ streamName: schoolStreamName(urn), decider: this.decider, codec: schoolEventCodec, command, context });
  }
}

@QueryHandler(LoadSchool)
export class LoadSchoolHandler implements IQueryHandler<LoadSchool, LoadedStream<SchoolState>> {
  constructor(@Inject(COMMAND_RUNNER) private readonly runner: CommandRunner, @Inject(SCHOOL_DECIDER) private readonly decider: SchoolDecider) {}

  execute({ urn }: LoadSchool) {
    return this.runner.load(schoolStreamName(urn), this.decider, schoolEventCodec);
  }
}
