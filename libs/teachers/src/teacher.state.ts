import { assertNever } from '@ect/command-runner';
import type {
  ECTLeavingReason,
  ECTRegistered,
  MentorLeavingReason,
  MentorRegistered,
  MentorshipEndReason,
  TeacherEvent,
} from './teacher.events';

/**
 * What a teacher's stream knows, in registration order. Nothing here depends on the clock: whether a period is
 * ongoing, leaving or left is derived from its end date and a given `today` (teacher.queries.ts).
 */
export type EctRegistration = Omit<ECTRegistered['data'], 'trn'> & {
  leavingOn: string | null;
  leavingReason: ECTLeavingReason | null;
};

export type MentorRegistration = Omit<MentorRegistered['data'], 'trn'> & {
  leavingOn: string | null;
  leavingReason: MentorLeavingReason | null;
};

export interface Mentorship {
  schoolUrn: string;
  mentorTrn: string;
  startDate: string;
  endedOn: string | null;
  endReason: MentorshipEndReason | null;
}

export interface TeacherState {
  /** Null until the first registration. */
  trn: string | null;
  ectRegistrations: EctRegistration[];
  mentorRegistrations: MentorRegistration[];
  /** Mentorships of this teacher as an ECT. */
  mentorships: Mentorship[];
}

export function initialTeacherState(): TeacherState {
  return { trn: null, ectRegistrations: [], mentorRegistrations: [], mentorships: [] };
}

/** Replaces the latest element at the school (the only one that can still change), leaving the others as they were. */
function updateLatestAt<T extends { schoolUrn: string }>(items: T[], schoolUrn: string, change: (item: T) => T): T[] {
  const index = items.map((i) => i.schoolUrn).lastIndexOf(schoolUrn);
  if (index < 0) return items;
  return items.map((item, i) => (i === index ? change(item) : item));
}

export function evolveTeacher(state: TeacherState, event: TeacherEvent): TeacherState {
  switch (event.type) {
    case 'ECTRegistered': {
      const { trn, ...registration } = event.data;
      return { ...state, trn, ectRegistrations: [...state.ectRegistrations, { ...registration, leavingOn: null, leavingReason: null }] };
    }
    case 'ECTLeftSchool': {
      const { schoolUrn, leavingOn, reason } = event.data;
      return { ...state, ectRegistrations: updateLatestAt(state.ectRegistrations, schoolUrn, (r) => ({ ...r, leavingOn, leavingReason: reason })) };
    }
    case 'MentorRegistered': {
      const { trn, ...registration } = event.data;
      return { ...state, trn, mentorRegistrations: [...state.mentorRegistrations, { ...registration, leavingOn: null, leavingReason: null }] };
    }
    case 'MentorLeftSchool': {
      const { schoolUrn, leavingOn, reason } = event.data;
      return { ...state, mentorRegistrations: updateLatestAt(state.mentorRegistrations, schoolUrn, (r) => ({ ...r, leavingOn, leavingReason: reason })) };
    }
    case 'MentorAssignedToECT': {
      const { schoolUrn, mentorTrn, startDate } = event.data;
      return { ...state, mentorships: [...state.mentorships, { schoolUrn, mentorTrn, startDate, endedOn: null, endReason: null }] };
    }
    case 'MentorshipEnded': {
      const { schoolUrn, mentorTrn, endedOn, reason } = event.data;
      const index = state.mentorships.findLastIndex((m) => m.schoolUrn === schoolUrn && m.mentorTrn === mentorTrn);
      if (index < 0) return state;
      return { ...state, mentorships: state.mentorships.map((m, i) => (i === index ? { ...m, endedOn, endReason: reason } : m)) };
    }
    case 'ECTLeadProviderChanged': {
      const { schoolUrn, leadProviderId } = event.data;
      return { ...state, ectRegistrations: updateLatestAt(state.ectRegistrations, schoolUrn, (r) => ({ ...r, leadProviderId })) };
    }
    default:
      return assertNever(event);
  }
}

/**
 * Guards against wiring that sends a command to the wrong stream: a stream holds one teacher. Not a domain error,
 * since no request can cause it (stream names come from the same TRN).
 */
export function assertStreamOfTeacher(state: TeacherState, trn: string): void {
  if (state.trn !== null && state.trn !== trn) throw new Error('The command was sent to another teacher\'s stream');
}
