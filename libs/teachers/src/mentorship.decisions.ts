import { DomainError } from '@ect/command-runner';
import { dayBefore } from '@ect/contract-periods';
import type { AssignMentorToECT, EndMentorshipBecauseMentorLeft } from './teacher.commands';
import { dayAfter, latestDate } from './teacher.dates';
import { TeacherErrorCode, throwIfInvalid } from './teacher.errors';
import type { MentorAssignedToECT, MentorshipEnded, MentorshipEndReason, TeacherEvent } from './teacher.events';
import { currentEctRegistrationAt, mentorshipsRunningFrom, openMentorshipAt } from './teacher.queries';
import type { Mentorship, TeacherState } from './teacher.state';
import { normaliseTrn, trnProblem } from './teacher.trn';
import { dateProblem, problems, textProblem } from './teacher.validation';

/** Mentorships live on the ECT's stream; the mentor's side arrives as facts gathered from the mentor's stream. */
export function endMentorships(mentorships: Mentorship[], endedOn: string, reason: MentorshipEndReason): MentorshipEnded[] {
  return mentorships.map((m) => ({ type: 'MentorshipEnded', data: { schoolUrn: m.schoolUrn, mentorTrn: m.mentorTrn, endedOn, reason } }));
}

/**
 * The mentorship starts on the latest of the ECT's start, the mentor's start, today and any requested date (a
 * requested date can only make it later); the mentorship it replaces ends the day before. Assigning the mentor
 * the ECT already has changes nothing.
 */
export function assignMentorToEct(command: AssignMentorToECT, state: TeacherState): TeacherEvent[] {
  const { schoolUrn, mentor, startDate: requested } = command.data;
  const { today } = command.metadata;
  throwIfInvalid(
    problems(
      textProblem(schoolUrn, 'schoolUrn'),
      trnProblem(mentor?.trn, 'mentorTrn'),
      requested === undefined || requested === null ? null : dateProblem(requested, 'startDate'),
    ),
  );
  const mentorTrn = normaliseTrn(mentor.trn, 'mentorTrn');
  const ect = currentEctRegistrationAt(state, schoolUrn, today);
  if (!ect) throw new DomainError(TeacherErrorCode.ectNotFound, 'not-found', `The teacher is not an ongoing ECT at school ${schoolUrn}`);
  if (state.trn === mentorTrn) throw new DomainError(TeacherErrorCode.selfMentoring, 'unprocessable', 'A teacher may not mentor themself');
  if (!mentor.ongoingAtSchool || mentor.startDate === null) {
    throw new DomainError(TeacherErrorCode.mentorNotAtSchool, 'unprocessable', `The mentor is not an ongoing mentor at school ${schoolUrn}`);
  }
  const open = openMentorshipAt(state, schoolUrn);
  if (open?.mentorTrn === mentorTrn) return [];

  const startDate = latestDate(ect.startDate, mentor.startDate, today, ...(requested ? [requested] : []));
  const gone = [ect.leavingOn, mentor.leavingOn].some((leavingOn) => leavingOn !== null && leavingOn < startDate);
  if (gone) {
    throw new DomainError(TeacherErrorCode.mentorshipStartAfterLeaving, 'unprocessable', `The ECT or the mentor leaves the school before ${startDate}`, [
      { field: 'startDate', message: 'The mentorship would start after the ECT or the mentor leaves' },
    ]);
  }
  const assigned: MentorAssignedToECT = { type: 'MentorAssignedToECT', data: { schoolUrn, mentorTrn, startDate } };
  return [
    ...endMentorships(mentorshipsRunningFrom(state, schoolUrn, startDate), dayBefore(startDate), 'replaced'),
    assigned,
    ...endingAlreadyKnown(assigned.data, ect.leavingOn, mentor.leavingOn),
  ];
}

/**
 * A leaving already reported ends the new mentorship too: the ECT's leaving is on this stream, and the mentor's
 * was sent to the mentees of that time, which did not include this one.
 */
function endingAlreadyKnown(mentorship: MentorAssignedToECT['data'], ectLeavingOn: string | null, mentorLeavingOn: string | null): MentorshipEnded[] {
  const ends: { on: string; reason: MentorshipEndReason }[] = [];
  if (ectLeavingOn !== null) ends.push({ on: ectLeavingOn, reason: 'ect_left' });
  if (mentorLeavingOn !== null) ends.push({ on: mentorLeavingOn, reason: 'mentor_left' });
  const first = ends.sort((a, b) => a.on.localeCompare(b.on))[0];
  if (!first) return [];
  return [{ type: 'MentorshipEnded', data: { schoolUrn: mentorship.schoolUrn, mentorTrn: mentorship.mentorTrn, endedOn: first.on, reason: first.reason } }];
}

/** Ends this mentor's mentorships at the school that run past their leaving date; nothing when there are none. */
export function endMentorshipBecauseMentorLeft(command: EndMentorshipBecauseMentorLeft, state: TeacherState): TeacherEvent[] {
  const { schoolUrn, mentorTrn, leavingOn } = command.data;
  throwIfInvalid(problems(textProblem(schoolUrn, 'schoolUrn'), trnProblem(mentorTrn, 'mentorTrn'), dateProblem(leavingOn, 'leavingOn')));
  const trn = normaliseTrn(mentorTrn, 'mentorTrn');
  const running = mentorshipsRunningFrom(state, schoolUrn, dayAfter(leavingOn)).filter((m) => m.mentorTrn === trn);
  return endMentorships(running, leavingOn, 'mentor_left');
}
