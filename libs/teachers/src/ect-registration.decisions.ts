import { DomainError } from '@ect/command-runner';
import { dayBefore } from '@ect/contract-periods';
import { endMentorships } from './mentorship.decisions';
import type { RegisterECT } from './teacher.commands';
import { TeacherErrorCode, throwIfInvalid, type FieldProblem } from './teacher.errors';
import type { ECTRegistered, TeacherEvent, TrainingProgramme, WorkingPattern } from './teacher.events';
import { assertNoOverlapAtSchool, periodsToEndBefore } from './teacher.periods';
import { currentEctRegistrationAt, mentorshipsRunningFrom } from './teacher.queries';
import { assertStreamOfTeacher, type TeacherState } from './teacher.state';
import { normaliseTrn, trnProblem } from './teacher.trn';
import { dateProblem, emailProblem, nameProblem, oneOfProblem, problems, textProblem } from './teacher.validation';

const WORKING_PATTERNS: readonly WorkingPattern[] = ['full_time', 'part_time'];
const TRAINING_PROGRAMMES: readonly TrainingProgramme[] = ['provider_led', 'school_led'];
/** Induction statuses of the teacher record service that mean induction is over. */
const INDUCTION_COMPLETED = ['passed', 'failed', 'exempt'];

/**
 * Provider-led training needs a lead provider and school-led training forbids one. Reported as VALIDATION_FAILED
 * on `leadProviderId` (400) with the other field problems, since it is a rule about the request alone.
 */
function leadProviderProblem(programme: unknown, leadProviderId: unknown): FieldProblem | null {
  const given = leadProviderId !== undefined && leadProviderId !== null;
  if (given && (typeof leadProviderId !== 'string' || leadProviderId.trim() === '')) return { field: 'leadProviderId', message: 'Enter a lead provider id' };
  if (programme === 'provider_led' && !given) return { field: 'leadProviderId', message: 'Provider-led training needs a lead provider' };
  if (programme === 'school_led' && given) return { field: 'leadProviderId', message: 'School-led training has no lead provider' };
  return null;
}

function validRegistration(command: RegisterECT): ECTRegistered['data'] {
  const d = command.data;
  throwIfInvalid(
    problems(
      textProblem(d.schoolUrn, 'schoolUrn'),
      trnProblem(d.trn),
      nameProblem(d.firstName, 'firstName'),
      nameProblem(d.lastName, 'lastName'),
      emailProblem(d.email),
      dateProblem(d.startDate, 'startDate'),
      oneOfProblem(d.workingPattern, 'workingPattern', WORKING_PATTERNS),
      oneOfProblem(d.trainingProgramme, 'trainingProgramme', TRAINING_PROGRAMMES),
      leadProviderProblem(d.trainingProgramme, d.leadProviderId),
      textProblem(d.appropriateBodyId, 'appropriateBodyId'),
      textProblem(d.inductionStatus, 'inductionStatus'),
    ),
  );
  return {
    schoolUrn: d.schoolUrn,
    trn: normaliseTrn(d.trn),
    firstName: d.firstName.trim(),
    lastName: d.lastName.trim(),
    email: d.email.trim(),
    startDate: d.startDate,
    workingPattern: d.workingPattern as WorkingPattern,
    trainingProgramme: d.trainingProgramme as TrainingProgramme,
    leadProviderId: d.leadProviderId?.trim() ?? null,
    appropriateBodyId: d.appropriateBodyId.trim(),
    registeredBy: { userId: d.registeredBy.userId, email: d.registeredBy.email, name: d.registeredBy.name },
  };
}

/**
 * Registers the teacher as an ECT at the school. An ECT has at most one ongoing ECT period: a registration at
 * another school that still runs on the new start date ends the day before it (a transfer), with its mentorships,
 * in the same append. The email's uniqueness across teachers is the email reservation's job, claimed beforehand.
 */
export function registerEct(command: RegisterECT, state: TeacherState): TeacherEvent[] {
  const registration = validRegistration(command);
  const { schoolUrn, startDate } = registration;
  const { today } = command.metadata;
  assertStreamOfTeacher(state, registration.trn);

  if (INDUCTION_COMPLETED.includes(command.data.inductionStatus.trim().toLowerCase())) {
    throw new DomainError(TeacherErrorCode.inductionCompleted, 'unprocessable', `The teacher's induction is ${command.data.inductionStatus}`);
  }
  const earliest = command.data.earliestStartDate;
  if (earliest !== null && startDate < earliest) {
    throw new DomainError(TeacherErrorCode.startDateTooEarly, 'unprocessable', `The start date may not be before ${earliest}`, [
      { field: 'startDate', message: `Enter a date from ${earliest}` },
    ]);
  }
  if (currentEctRegistrationAt(state, schoolUrn, today)) {
    throw new DomainError(TeacherErrorCode.ectAlreadyRegistered, 'conflict', `The teacher is already an ECT at school ${schoolUrn}`);
  }
  assertNoOverlapAtSchool(state.ectRegistrations, schoolUrn, startDate);

  const transfers = periodsToEndBefore(state.ectRegistrations, schoolUrn, startDate).flatMap(({ schoolUrn: from, leavingOn }) => [
    { type: 'ECTLeftSchool' as const, data: { schoolUrn: from, leavingOn, reason: 'transfer' as const } },
    ...endMentorships(mentorshipsRunningFrom(state, from, startDate), dayBefore(startDate), 'ect_left'),
  ]);
  return [...transfers, { type: 'ECTRegistered', data: registration }];
}
