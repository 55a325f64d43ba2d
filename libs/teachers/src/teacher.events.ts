import type { DomainEvent, EventCodec } from '@ect/command-runner';

/**
 * Events of a teacher's stream `teacher-<key>`. The `type` strings are the wire names: past tense, stable; a
 * changed data shape gets a new schema version and an upcaster in `teacherEventCodec`.
 */
export type WorkingPattern = 'full_time' | 'part_time';
export type TrainingProgramme = 'provider_led' | 'school_led';

/** The school user who made a registration, as the school stream knows them (never from the request). */
export interface RegisteredBy {
  userId: string;
  email: string;
  name: string;
}

export type ECTRegistered = DomainEvent<
  'ECTRegistered',
  {
    schoolUrn: string;
    trn: string;
    firstName: string;
    lastName: string;
    email: string;
    startDate: string;
    workingPattern: WorkingPattern;
    trainingProgramme: TrainingProgramme;
    /** Null exactly when the programme is school-led. */
    leadProviderId: string | null;
    appropriateBodyId: string;
    registeredBy: RegisteredBy;
  }
>;

/** `transfer`: ended by a registration at another school; `reported`: the school reported the leaving. */
export type ECTLeavingReason = 'transfer' | 'reported';

/** Ends (or moves the end of) the ECT's registration at the school; `leavingOn` is the last day there. */
export type ECTLeftSchool = DomainEvent<'ECTLeftSchool', { schoolUrn: string; leavingOn: string; reason: ECTLeavingReason }>;

export type MentorRegistered = DomainEvent<
  'MentorRegistered',
  {
    schoolUrn: string;
    trn: string;
    firstName: string;
    lastName: string;
    email: string;
    startDate: string;
    /** Mentor training is provider-led only; recorded so readers need not know the rule. */
    trainingProgramme: 'provider_led';
    mentoringAtThisSchoolOnly: boolean;
    registeredBy: RegisteredBy;
  }
>;

/** `mentoring_at_another_school_only`: ended because the mentor was registered elsewhere for that school only. */
export type MentorLeavingReason = 'reported' | 'mentoring_at_another_school_only';

export type MentorLeftSchool = DomainEvent<'MentorLeftSchool', { schoolUrn: string; leavingOn: string; reason: MentorLeavingReason }>;

/** Recorded on the ECT's stream. */
export type MentorAssignedToECT = DomainEvent<'MentorAssignedToECT', { schoolUrn: string; mentorTrn: string; startDate: string }>;

/**
 * `replaced`: another mentor was assigned; `ect_left`: the ECT left the school (or transferred); `mentor_left`: the
 * mentor left the school. `endedOn` is the last day; one before the mentorship's start means it never ran.
 */
export type MentorshipEndReason = 'replaced' | 'ect_left' | 'mentor_left';

export type MentorshipEnded = DomainEvent<
  'MentorshipEnded',
  { schoolUrn: string; mentorTrn: string; endedOn: string; reason: MentorshipEndReason }
>;

export type ECTLeadProviderChanged = DomainEvent<
  'ECTLeadProviderChanged',
  { schoolUrn: string; leadProviderId: string; previousLeadProviderId: string }
>;

export type TeacherEvent =
  | ECTRegistered
  | ECTLeftSchool
  | MentorRegistered
  | MentorLeftSchool
  | MentorAssignedToECT
  | MentorshipEnded
  | ECTLeadProviderChanged;

export const TEACHER_EVENT_TYPES: readonly TeacherEvent['type'][] = [
  'ECTRegistered',
  'ECTLeftSchool',
  'MentorRegistered',
  'MentorLeftSchool',
  'MentorAssignedToECT',
  'MentorshipEnded',
  'ECTLeadProviderChanged',
];

function isTeacherEventType(type: string): type is TeacherEvent['type'] {
  return (TEACHER_EVENT_TYPES as readonly string[]).includes(type);
}

/** Every teacher event is at schema version 1; there is nothing to upcast yet, so any other version is refused. */
export const teacherEventCodec: EventCodec<TeacherEvent> = {
  schemaVersion: () => 1,
  decode: (stored) => {
    if (!isTeacherEventType(stored.type)) throw new Error(`Unknown teacher event type ${stored.type}`);
    if (stored.schemaVersion !== 1) throw new Error(`Unknown schema version ${stored.schemaVersion} of ${stored.type}`);
    return { type: stored.type, data: stored.data } as TeacherEvent;
  },
};
