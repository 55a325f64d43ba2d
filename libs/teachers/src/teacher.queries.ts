import type { ContractPeriodCalendar } from '@ect/contract-periods';
import type { MentorFacts } from './teacher.commands';
import { dayAfter, isCurrent, runsOnOrAfter } from './teacher.dates';
import type { TeacherEvent } from './teacher.events';
import { normaliseEmail } from './teacher.keys';
import type { EctRegistration, MentorRegistration, Mentorship, TeacherState } from './teacher.state';

/**
 * Pure questions about a teacher's state. "Ongoing" in the rules means registered and not left by `today`: a
 * registration with a leaving date today or later still counts (its status is 'leaving').
 */

function latestAt<T extends { schoolUrn: string }>(items: T[], schoolUrn: string): T | undefined {
  return items.findLast((item) => item.schoolUrn === schoolUrn);
}

/** The ECT registration at the school that has not ended by today. */
export function currentEctRegistrationAt(state: TeacherState, schoolUrn: string, today: string): EctRegistration | undefined {
  const registration = latestAt(state.ectRegistrations, schoolUrn);
  return registration && isCurrent(registration.leavingOn, today) ? registration : undefined;
}

/** The school where the teacher is an ECT today (at most one), or null. */
export function ongoingEctSchool(state: TeacherState, today: string): string | null {
  return state.ectRegistrations.findLast((r) => isCurrent(r.leavingOn, today))?.schoolUrn ?? null;
}

/** The mentor registration at the school that has not ended by today. */
export function currentMentorRegistrationAt(state: TeacherState, schoolUrn: string, today: string): MentorRegistration | undefined {
  const registration = latestAt(state.mentorRegistrations, schoolUrn);
  return registration && isCurrent(registration.leavingOn, today) ? registration : undefined;
}

export function isOngoingMentorAt(state: TeacherState, schoolUrn: string, today: string): boolean {
  return currentMentorRegistrationAt(state, schoolUrn, today) !== undefined;
}

/** Start date of the teacher's latest mentor registration at the school, or null. */
export function mentorStartAt(state: TeacherState, schoolUrn: string): string | null {
  return latestAt(state.mentorRegistrations, schoolUrn)?.startDate ?? null;
}

/** The facts AssignMentorToECT needs, read from the mentor's stream (`trn` is the mentor's normalised TRN). */
export function mentorFactsAt(state: TeacherState, trn: string, schoolUrn: string, today: string): MentorFacts {
  const registration = latestAt(state.mentorRegistrations, schoolUrn);
  return {
    trn,
    ongoingAtSchool: registration !== undefined && isCurrent(registration.leavingOn, today),
    startDate: registration?.startDate ?? null,
    leavingOn: registration?.leavingOn ?? null,
  };
}

/**
 * The email of the teacher's latest ECT registration (the one their email reservation is held for), or null.
 * After a registration with a new email, the wiring releases the previous one.
 */
export function ectEmail(state: TeacherState): string | null {
  return state.ectRegistrations.at(-1)?.email ?? null;
}

/** Mentorships at the school still running on `date` or later: those a change starting on `date` must end. */
export function mentorshipsRunningFrom(state: TeacherState, schoolUrn: string, date: string): Mentorship[] {
  return state.mentorships.filter((m) => m.schoolUrn === schoolUrn && runsOnOrAfter(m.endedOn, date));
}

/** The mentorship at the school with no end date, if any. */
export function openMentorshipAt(state: TeacherState, schoolUrn: string): Mentorship | undefined {
  return state.mentorships.find((m) => m.schoolUrn === schoolUrn && m.endedOn === null);
}

/**
 * The schools a mentor's decision made them leave. For each, the wiring sends EndMentorshipBecauseMentorLeft to
 * every mentee's stream at that school (mentorships are recorded on the ECT streams).
 */
export function mentorDepartures(events: TeacherEvent[]): { schoolUrn: string; leavingOn: string }[] {
  return events.flatMap((e) => (e.type === 'MentorLeftSchool' ? [{ schoolUrn: e.data.schoolUrn, leavingOn: e.data.leavingOn }] : []));
}

/**
 * The earliest start date an ECT may be registered with today: the start of the previous contract period (or of
 * the current one when there is no previous one); null when today is in no configured period.
 */
export function earliestEctStartDate(calendar: ContractPeriodCalendar, today: string): string | null {
  return calendar.previous(today)?.startDate ?? calendar.containing(today)?.startDate ?? null;
}

/**
 * The email reservations to release after a teacher decision: for each email whose ECT registration this decision
 * ended (ECTLeftSchool), once no registration of the teacher with that email stays open, free from the day after
 * the last day it is used. `after` is the state with the decision's events applied.
 */
export function ectEmailReleases(after: TeacherState, events: TeacherEvent[]): { email: string; freeFrom: string }[] {
  const touched = new Set(
    events.flatMap((e) => (e.type === 'ECTLeftSchool' ? [after.ectRegistrations.findLast((r) => r.schoolUrn === e.data.schoolUrn)] : []))
      .flatMap((r) => (r ? [normaliseEmail(r.email)] : [])),
  );
  return [...touched].flatMap((email) => {
    const uses = after.ectRegistrations.filter((r) => normaliseEmail(r.email) === email);
    if (uses.some((r) => r.leavingOn === null)) return [];
    const lastDay = uses.map((r) => r.leavingOn as string).reduce((a, b) => (b > a ? b : a));
    return [{ email, freeFrom: dayAfter(lastDay) }];
  });
}
