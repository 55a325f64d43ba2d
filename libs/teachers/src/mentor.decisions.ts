import { DomainError } from '@ect/command-runner';
import type { RegisterMentor, ReportMentorLeaving } from './teacher.commands';
import { TeacherErrorCode, throwIfInvalid } from './teacher.errors';
import type { MentorLeftSchool, MentorRegistered, TeacherEvent } from './teacher.events';
import { assertNoOverlapAtSchool, periodsToEndBefore } from './teacher.periods';
import { currentMentorRegistrationAt } from './teacher.queries';
import { assertStreamOfTeacher, type TeacherState } from './teacher.state';
import { normaliseTrn, trnProblem } from './teacher.trn';
import { dateProblem, emailProblem, nameProblem, oneOfProblem, problems, textProblem } from './teacher.validation';

/**
 * A mentor may be ongoing at several schools at once. Mentorships are recorded on the ECT streams, so a decision
 * here that ends a mentor registration (MentorLeftSchool) is followed by the wiring ending that mentor's
 * mentorships at that school on each mentee's stream (`mentorDepartures`, EndMentorshipBecauseMentorLeft).
 */
function validRegistration(command: RegisterMentor): MentorRegistered['data'] {
  const d = command.data;
  throwIfInvalid(
    problems(
      textProblem(d.schoolUrn, 'schoolUrn'),
      trnProblem(d.trn),
      nameProblem(d.firstName, 'firstName'),
      nameProblem(d.lastName, 'lastName'),
      emailProblem(d.email),
      dateProblem(d.startDate, 'startDate'),
      d.trainingProgramme === undefined ? null : oneOfProblem(d.trainingProgramme, 'trainingProgramme', ['provider_led']),
      d.mentoringAtThisSchoolOnly === undefined || typeof d.mentoringAtThisSchoolOnly === 'boolean'
        ? null
        : { field: 'mentoringAtThisSchoolOnly', message: 'Use true or false' },
    ),
  );
  return {
    schoolUrn: d.schoolUrn,
    trn: normaliseTrn(d.trn),
    firstName: d.firstName.trim(),
    lastName: d.lastName.trim(),
    email: d.email.trim(),
    startDate: d.startDate,
    trainingProgramme: 'provider_led',
    mentoringAtThisSchoolOnly: d.mentoringAtThisSchoolOnly ?? false,
    registeredBy: { userId: d.registeredBy.userId, email: d.registeredBy.email, name: d.registeredBy.name },
  };
}

/** Registers the teacher as a mentor at the school; mentoring at this school only ends the registrations elsewhere. */
export function registerMentor(command: RegisterMentor, state: TeacherState): TeacherEvent[] {
  const registration = validRegistration(command);
  const { schoolUrn, startDate } = registration;
  assertStreamOfTeacher(state, registration.trn);
  if (currentMentorRegistrationAt(state, schoolUrn, command.metadata.today)) {
    throw new DomainError(TeacherErrorCode.mentorAlreadyRegistered, 'conflict', `The teacher is already a mentor at school ${schoolUrn}`);
  }
  assertNoOverlapAtSchool(state.mentorRegistrations, schoolUrn, startDate);
  const elsewhere: MentorLeftSchool[] = registration.mentoringAtThisSchoolOnly
    ? periodsToEndBefore(state.mentorRegistrations, schoolUrn, startDate).map(({ schoolUrn: other, leavingOn }) => ({
        type: 'MentorLeftSchool',
        data: { schoolUrn: other, leavingOn, reason: 'mentoring_at_another_school_only' },
      }))
    : [];
  return [...elsewhere, { type: 'MentorRegistered', data: registration }];
}

/** Records the mentor's last day at the school; the same date again changes nothing. */
export function reportMentorLeaving(command: ReportMentorLeaving, state: TeacherState): TeacherEvent[] {
  const { schoolUrn, leavingOn } = command.data;
  throwIfInvalid(problems(textProblem(schoolUrn, 'schoolUrn'), dateProblem(leavingOn, 'leavingOn')));
  const registration = currentMentorRegistrationAt(state, schoolUrn, command.metadata.today);
  if (!registration) throw new DomainError(TeacherErrorCode.mentorNotFound, 'not-found', `The teacher is not an ongoing mentor at school ${schoolUrn}`);
  if (leavingOn <= registration.startDate) {
    throw new DomainError(TeacherErrorCode.leavingDateBeforeStart, 'unprocessable', `The leaving date must be after the start date ${registration.startDate}`, [
      { field: 'leavingOn', message: 'Enter a date after the start date' },
    ]);
  }
  if (registration.leavingOn === leavingOn) return [];
  return [{ type: 'MentorLeftSchool', data: { schoolUrn, leavingOn, reason: 'reported' } }];
}
