import { DomainError } from '@ect/command-runner';
import { endMentorships } from './mentorship.decisions';
import type { ChangeECTLeadProvider, ReportECTLeaving } from './teacher.commands';
import { dayAfter } from './teacher.dates';
import { TeacherErrorCode, throwIfInvalid } from './teacher.errors';
import type { TeacherEvent } from './teacher.events';
import { currentEctRegistrationAt, mentorshipsRunningFrom } from './teacher.queries';
import type { EctRegistration, TeacherState } from './teacher.state';
import { dateProblem, problems, textProblem } from './teacher.validation';

function ongoingEctAt(state: TeacherState, schoolUrn: string, today: string): EctRegistration {
  const registration = currentEctRegistrationAt(state, schoolUrn, today);
  if (!registration) throw new DomainError(TeacherErrorCode.ectNotFound, 'not-found', `The teacher is not an ongoing ECT at school ${schoolUrn}`);
  return registration;
}

/**
 * Records the ECT's last day at the school (a future date: leaving; a past one: left) and ends the mentorships
 * that run past it. Reporting again with another date moves the leaving date; with the same date, nothing changes.
 */
export function reportEctLeaving(command: ReportECTLeaving, state: TeacherState): TeacherEvent[] {
  const { schoolUrn, leavingOn } = command.data;
  throwIfInvalid(problems(textProblem(schoolUrn, 'schoolUrn'), dateProblem(leavingOn, 'leavingOn')));
  const registration = ongoingEctAt(state, schoolUrn, command.metadata.today);
  if (leavingOn <= registration.startDate) {
    throw new DomainError(TeacherErrorCode.leavingDateBeforeStart, 'unprocessable', `The leaving date must be after the start date ${registration.startDate}`, [
      { field: 'leavingOn', message: 'Enter a date after the start date' },
    ]);
  }
  if (registration.leavingOn === leavingOn) return [];
  return [
    { type: 'ECTLeftSchool', data: { schoolUrn, leavingOn, reason: 'reported' } },
    ...endMentorships(mentorshipsRunningFrom(state, schoolUrn, dayAfter(leavingOn)), leavingOn, 'ect_left'),
  ];
}

/** Only a provider-led ECT has a lead provider to change, and only to a different one. */
export function changeEctLeadProvider(command: ChangeECTLeadProvider, state: TeacherState): TeacherEvent[] {
  const { schoolUrn, leadProviderId } = command.data;
  throwIfInvalid(problems(textProblem(schoolUrn, 'schoolUrn'), textProblem(leadProviderId, 'leadProviderId')));
  const registration = ongoingEctAt(state, schoolUrn, command.metadata.today);
  const next = leadProviderId.trim();
  if (registration.trainingProgramme === 'school_led' || registration.leadProviderId === null) {
    throw new DomainError(TeacherErrorCode.schoolLedNoLeadProvider, 'unprocessable', 'A school-led ECT has no lead provider to change');
  }
  if (registration.leadProviderId === next) {
    throw new DomainError(TeacherErrorCode.leadProviderUnchanged, 'unprocessable', 'The ECT already has this lead provider');
  }
  return [{ type: 'ECTLeadProviderChanged', data: { schoolUrn, leadProviderId: next, previousLeadProviderId: registration.leadProviderId } }];
}
