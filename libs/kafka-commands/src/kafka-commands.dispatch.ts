import type { CommandContext } from '@ect/command-runner';
import type { GlobalPosition } from '@ect/event-store';
import { ExecuteSchoolCommand, type SchoolCommand } from '@ect/schools';
import { ExecuteTeacherRequest, type TeacherRequest } from '@ect/teachers';
import type { CommandMessage } from './kafka-commands.message';

/** What both capabilities report back; the reply's `result` and HTTP's response body. */
export interface CommandResultBody {
  streamVersion: number | null;
  position: string | null;
  eventIds: string[];
}

export function resultBody(outcome: { streamVersion: number | null; position: GlobalPosition | null; eventIds: string[] }): CommandResultBody {
  return { streamVersion: outcome.streamVersion, position: outcome.position === null ? null : outcome.position.toString(), eventIds: outcome.eventIds };
}

/**
 * The CQRS command a valid message stands for: built exactly as the HTTP controllers build theirs from path and body.
 * No rules here; the deciders and workflows behind the command bus decide.
 */
export function toBusCommand(message: CommandMessage, context: CommandContext, now: Date): ExecuteSchoolCommand | ExecuteTeacherRequest {
  const { urn, trn, userId } = message.params;
  const payload = message.payload;
  const school = (data: unknown) =>
    new ExecuteSchoolCommand(urn, { type: message.type, data, metadata: { now: now.toISOString(), actingUserId: context.actingUserId } } as SchoolCommand, context);
  const teacher = (request: Record<string, unknown>) => new ExecuteTeacherRequest({ type: message.type, urn, ...request } as TeacherRequest, context);
  const contractPeriod = Number(message.params.contractPeriod);

  switch (message.type) {
    case 'RecordSchoolDetails':
      return school({ urn, ...payload, primaryContactEmail: payload.primaryContactEmail ?? null, secondaryContactEmail: payload.secondaryContactEmail ?? null });
    case 'LinkUserToSchool':
    case 'NominateInductionTutor':
      return school(payload);
    case 'UnlinkUserFromSchool':
      return school({ userId });
    case 'ConfirmPartnership':
      return school({ contractPeriod, ...payload });
    case 'EndPartnership':
      return school({ contractPeriod });
    case 'RegisterECT':
    case 'RegisterMentor':
      return teacher({ input: payload });
    case 'AssignMentorToECT':
    case 'ReportECTLeaving':
    case 'ReportMentorLeaving':
    case 'ChangeECTLeadProvider':
      return teacher({ trn, input: payload });
    default: {
      const unknown: never = message.type;
      throw new Error(`No mapping for command ${String(unknown)}`);
    }
  }
}
