import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { ContractPeriodCalendar } from '@ect/contract-periods';
import { isoDate } from '@ect/contract-periods';
import type { CommandContext, CommandRunner, LoadedStream } from '@ect/command-runner';
import type { GlobalPosition } from '@ect/event-store';
import { CLOCK, COMMAND_RUNNER, CONTRACT_PERIODS, STREAM_KEYS, type Clock, type CommandOutcome, type StreamKeys } from '@ect/nest-kit';
import { LoadSchool, isEligible, isKnown, linkedUser, schoolNotEligible, schoolNotFound, userNotLinked, type SchoolState } from '@ect/schools';
import { emailReservationDecider, emailReservationEventCodec, type EmailReservationCommand } from './email-reservation.decider';
import type { TeacherCommand } from './teacher.commands';
import { teacherDecider } from './teacher.decider';
import { teacherEventCodec, type RegisteredBy, type TeacherEvent } from './teacher.events';
import { emailReservationStreamName, teacherKey, teacherStreamName } from './teacher.keys';
import { earliestEctStartDate, ectEmailReleases, mentorFactsAt } from './teacher.queries';
import type { TeacherRequest } from './teacher.requests';
import type { TeacherState } from './teacher.state';
import { normaliseTrn } from './teacher.trn';

/**
 * Carries out a teacher request across streams: gathers facts from the school stream (the acting user, linked now;
 * eligibility) and from the mentor's stream, runs the decision on ONE teacher stream, and keeps the email
 * reservations in step (claim before registering, release after leaving). No rule lives here: the deciders decide.
 */
@Injectable()
export class TeacherWorkflows {
  constructor(
    @Inject(COMMAND_RUNNER) private readonly runner: CommandRunner,
    @Inject(STREAM_KEYS) private readonly keys: StreamKeys,
    @Inject(CONTRACT_PERIODS) private readonly calendar: ContractPeriodCalendar,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly queryBus: QueryBus,
  ) {}

  async execute(request: TeacherRequest, context: CommandContext): Promise<CommandOutcome> {
    const now = this.clock.now();
    const metadata = { now: now.toISOString(), today: isoDate(now), actingUserId: context.actingUserId };
    const school = await this.schoolFacts(request.urn, context.actingUserId, request.type === 'RegisterECT' || request.type === 'RegisterMentor');
    switch (request.type) {
      case 'RegisterECT': {
        const trn = normaliseTrn(request.input.trn);
        const command: TeacherCommand = {
          type: 'RegisterECT',
          data: { ...request.input, trn, schoolUrn: request.urn, registeredBy: school.registeredBy, earliestStartDate: earliestEctStartDate(this.calendar, metadata.today) },
          metadata,
        };
        return this.registerEct(trn, request.input.email, command, context);
      }
      case 'RegisterMentor': {
        const trn = normaliseTrn(request.input.trn);
        const data = { ...request.input, trn, schoolUrn: request.urn, registeredBy: school.registeredBy };
        return { ...(await this.teacher(trn, { type: 'RegisterMentor', data, metadata }, context)), status: 201 };
      }
      case 'AssignMentorToECT': {
        const trn = normaliseTrn(request.trn);
        const mentorTrn = normaliseTrn(request.input.mentorTrn, 'mentorTrn');
        const mentorState = await this.loadTeacher(mentorTrn);
        const mentor = mentorFactsAt(mentorState.state, mentorTrn, request.urn, metadata.today);
        return this.teacher(trn, { type: 'AssignMentorToECT', data: { schoolUrn: request.urn, mentor, startDate: request.input.startDate ?? null }, metadata }, context);
      }
      case 'ReportECTLeaving':
        return this.teacher(normaliseTrn(request.trn), { type: 'ReportECTLeaving', data: { schoolUrn: request.urn, leavingOn: request.input.leavingOn }, metadata }, context);
      case 'ReportMentorLeaving':
        // The mentorships recorded on the mentees' streams are ended by the mentorship reactor (apps/projector).
        return this.teacher(normaliseTrn(request.trn), { type: 'ReportMentorLeaving', data: { schoolUrn: request.urn, leavingOn: request.input.leavingOn }, metadata }, context);
      case 'ChangeECTLeadProvider':
        return this.teacher(normaliseTrn(request.trn), { type: 'ChangeECTLeadProvider', data: { schoolUrn: request.urn, leadProviderId: request.input.leadProviderId }, metadata }, context);
    }
  }

  loadTeacher(trn: string): Promise<LoadedStream<TeacherState>> {
    return this.runner.load(teacherStreamName(trn, this.keys.secret), teacherDecider, teacherEventCodec);
  }

  /** Claims the email first (race-free across teachers), registers, and gives the claim back if registering failed. */
  private async registerEct(trn: string, email: string, command: TeacherCommand, context: CommandContext): Promise<CommandOutcome> {
    const key = teacherKey(trn, this.keys.secret);
    // What this teacher's earlier hold (if any) said, so that giving back a failed claim restores it exactly.
    const before = await this.runner.load(emailReservationStreamName(email, this.keys.secret), emailReservationDecider, emailReservationEventCodec);
    const restoreFreeFrom = before.state.holder === key ? (before.state.freeFrom ?? command.metadata.today) : command.metadata.today;
    const claim = await this.email(email, { type: 'ClaimEmail', data: { teacherKey: key }, metadata: command.metadata }, context);
    try {
      const outcome = await this.teacher(trn, command, context);
      return { ...outcome, position: max(outcome.position, claim.position), status: 201 };
    } catch (error) {
      if (claim.eventIds.length > 0) {
        const release: EmailReservationCommand = { type: 'ReleaseEmail', data: { teacherKey: key, freeFrom: restoreFreeFrom }, metadata: command.metadata };
        await this.email(email, release, context);
      }
      throw error;
    }
  }

  /** Runs one decision on a teacher's stream, then releases the email reservations it ended. */
  private async teacher(trn: string, command: TeacherCommand, context: CommandContext): Promise<CommandOutcome> {
    const result = await this.runner.execute({ streamName: teacherStreamName(trn, this.keys.secret), decider: teacherDecider, codec: teacherEventCodec, command, context });
    let position = result.position;
    for (const release of ectEmailReleases(result.state, result.events as TeacherEvent[])) {
      const data = { teacherKey: teacherKey(trn, this.keys.secret), freeFrom: release.freeFrom };
      const released = await this.email(release.email, { type: 'ReleaseEmail', data, metadata: command.metadata }, context);
      position = max(position, released.position);
    }
    return { streamVersion: result.streamVersion, position, eventIds: result.eventIds };
  }

  private async email(email: string, command: EmailReservationCommand, context: CommandContext) {
    return this.runner.execute({
      streamName: emailReservationStreamName(email, this.keys.secret),
      decider: emailReservationDecider,
      codec: emailReservationEventCodec,
      command,
      context,
    });
  }

  /** The school must be known and the acting user linked to it now; registering also needs an eligible school. */
  private async schoolFacts(urn: string, actingUserId: string | null, mustBeEligible: boolean): Promise<{ registeredBy: RegisteredBy }> {
    const { state } = await this.queryBus.execute<LoadSchool, LoadedStream<SchoolState>>(new LoadSchool(urn));
    if (!isKnown(state)) throw schoolNotFound();
    const user = linkedUser(state, actingUserId);
    if (!user) throw userNotLinked('forbidden');
    if (mustBeEligible && !isEligible(state)) throw schoolNotEligible();
    return { registeredBy: { userId: user.userId, email: user.email, name: `${user.firstName} ${user.lastName}` } };
  }
}

function max(a: GlobalPosition | null, b: GlobalPosition | null): GlobalPosition | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
