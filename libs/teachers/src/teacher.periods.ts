import { DomainError } from '@ect/command-runner';
import { dayBefore } from '@ect/contract-periods';
import { runsOnOrAfter } from './teacher.dates';
import { TeacherErrorCode } from './teacher.errors';

/**
 * How a new registration starting on `startDate` fits with the teacher's earlier registrations of the same kind
 * (ECT or mentor). Periods never overlap at one school, and a registration that must make way ends the day before
 * the new start; when that day would not be after its own start, the new start date is refused.
 */
export interface SchoolPeriod {
  schoolUrn: string;
  startDate: string;
  leavingOn: string | null;
}

function overlap(schoolUrn: string): DomainError {
  return new DomainError(
    TeacherErrorCode.startDateOverlapsPreviousRegistration,
    'unprocessable',
    `The start date overlaps the teacher's registration at school ${schoolUrn}`,
    [{ field: 'startDate', message: 'Start date overlaps an earlier registration' }],
  );
}

/** Refuses a start date that falls within an earlier (already ended) registration at the same school. */
export function assertNoOverlapAtSchool(periods: SchoolPeriod[], schoolUrn: string, startDate: string): void {
  if (periods.some((p) => p.schoolUrn === schoolUrn && runsOnOrAfter(p.leavingOn, startDate))) throw overlap(schoolUrn);
}

/**
 * The registrations at other schools that still run on `startDate` or later, each with the day it must end on
 * (the day before `startDate`). Only a school's latest registration may be cut short.
 */
export function periodsToEndBefore(periods: SchoolPeriod[], schoolUrn: string, startDate: string): { schoolUrn: string; leavingOn: string }[] {
  const leavingOn = dayBefore(startDate);
  const endings: { schoolUrn: string; leavingOn: string }[] = [];
  periods.forEach((period, index) => {
    if (period.schoolUrn === schoolUrn || !runsOnOrAfter(period.leavingOn, startDate)) return;
    const isLatestAtSchool = !periods.slice(index + 1).some((p) => p.schoolUrn === period.schoolUrn);
    if (!isLatestAtSchool || leavingOn <= period.startDate) throw overlap(period.schoolUrn);
    endings.push({ schoolUrn: period.schoolUrn, leavingOn });
  });
  return endings;
}
