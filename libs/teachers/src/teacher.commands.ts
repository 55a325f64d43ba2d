import type { RegisteredBy } from './teacher.events';

/**
 * Commands for a teacher's stream. Inputs from the request are typed loosely (`string`) because the decider
 * validates them; facts from other streams are gathered by the wiring beforehand and arrive in `data`.
 */
export interface TeacherCommandMetadata {
  /** ISO instant of the request. */
  now: string;
  /** `YYYY-MM-DD`: the service's today, the one date statuses and rules compare with. */
  today: string;
  actingUserId: string | null;
}

interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: TeacherCommandMetadata;
}

/** Stream: `teacherStreamName(trn)`. Before it, the wiring claims the email (see email-reservation.decider.ts). */
export type RegisterECT = Command<
  'RegisterECT',
  {
    schoolUrn: string;
    trn: string;
    firstName: string;
    lastName: string;
    email: string;
    startDate: string;
    workingPattern: string;
    trainingProgramme: string;
    leadProviderId?: string | null;
    appropriateBodyId: string;
    /** From the teacher record service, passed by the caller; Passed, Failed and Exempt are refused. */
    inductionStatus: string;
    /** Fact from the school stream: the acting user, linked to the school. */
    registeredBy: RegisteredBy;
    /** Fact from the contract period calendar: start of the period before today's (`earliestEctStartDate`). */
    earliestStartDate: string | null;
  }
>;

/** Stream: the mentor's. The wiring then ends the mentorships at any school the mentor left (`mentorDepartures`). */
export type RegisterMentor = Command<
  'RegisterMentor',
  {
    schoolUrn: string;
    trn: string;
    firstName: string;
    lastName: string;
    email: string;
    startDate: string;
    mentoringAtThisSchoolOnly?: boolean;
    /** Optional; mentor training is provider-led only, so anything else is refused. */
    trainingProgramme?: string;
    /** Fact from the school stream. */
    registeredBy: RegisteredBy;
  }
>;

/** What the ECT's decision needs to know from the mentor's stream (`mentorFactsAt`). */
export interface MentorFacts {
  trn: string;
  /** Registered at the ECT's school and not left by today. */
  ongoingAtSchool: boolean;
  /** Start of the mentor's registration at that school; null when there is none. */
  startDate: string | null;
  /** Last day of the mentor's registration at that school; null when open. */
  leavingOn: string | null;
}

/** Stream: the ECT's. */
export type AssignMentorToECT = Command<'AssignMentorToECT', { schoolUrn: string; mentor: MentorFacts; startDate?: string | null }>;

/** Stream: the ECT's. */
export type ReportECTLeaving = Command<'ReportECTLeaving', { schoolUrn: string; leavingOn: string }>;

/** Stream: the mentor's. The wiring then ends the mentor's mentorships at that school (`mentorDepartures`). */
export type ReportMentorLeaving = Command<'ReportMentorLeaving', { schoolUrn: string; leavingOn: string }>;

/**
 * Stream: an ECT's, once for each mentee of a mentor who left `schoolUrn` (found through a read model, since
 * mentorships are recorded on the ECT streams). Idempotent: nothing happens when no mentorship runs past `leavingOn`.
 */
export type EndMentorshipBecauseMentorLeft = Command<
  'EndMentorshipBecauseMentorLeft',
  { schoolUrn: string; mentorTrn: string; leavingOn: string }
>;

/** Stream: the ECT's. */
export type ChangeECTLeadProvider = Command<'ChangeECTLeadProvider', { schoolUrn: string; leadProviderId: string }>;

export type TeacherCommand =
  | RegisterECT
  | RegisterMentor
  | AssignMentorToECT
  | ReportECTLeaving
  | ReportMentorLeaving
  | EndMentorshipBecauseMentorLeft
  | ChangeECTLeadProvider;
