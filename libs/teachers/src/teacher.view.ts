import { periodStatus, type PeriodStatus } from './teacher.dates';
import type { EctRegistration, MentorRegistration, Mentorship, TeacherState } from './teacher.state';

/** Plain JSON for `GET /v1/teachers/{trn}/stream-state`: the stream's state with statuses as of `today`. */
export interface TeacherView {
  trn: string | null;
  ectRegistrations: (EctRegistration & { status: PeriodStatus })[];
  mentorRegistrations: (MentorRegistration & { status: PeriodStatus })[];
  /** Mentorships of the teacher as an ECT. */
  mentorships: (Mentorship & { status: MentorshipStatus })[];
}

/** 'ending': an end date today or later; 'ended': an end date before today. */
export type MentorshipStatus = 'ongoing' | 'ending' | 'ended';

const MENTORSHIP_STATUS: Record<PeriodStatus, MentorshipStatus> = { ongoing: 'ongoing', leaving: 'ending', left: 'ended' };

export function toTeacherView(state: TeacherState, today: string): TeacherView {
  return {
    trn: state.trn,
    ectRegistrations: state.ectRegistrations.map((r) => ({
      ...r,
      registeredBy: { ...r.registeredBy },
      status: periodStatus(r.leavingOn, today),
    })),
    mentorRegistrations: state.mentorRegistrations.map((r) => ({
      ...r,
      registeredBy: { ...r.registeredBy },
      status: periodStatus(r.leavingOn, today),
    })),
    mentorships: state.mentorships.map((m) => ({ ...m, status: MENTORSHIP_STATUS[periodStatus(m.endedOn, today)] })),
  };
}
