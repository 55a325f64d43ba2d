import { DomainError } from '@ect/command-runner';

/**
 * The stable codes this lib refuses with. Clients may rely on them; adapters map the kind to a status
 * (invalid 400, not-found 404, conflict 409, unprocessable 422).
 */
export const TeacherErrorCode = {
  validationFailed: 'VALIDATION_FAILED',
  inductionCompleted: 'INDUCTION_COMPLETED',
  ectAlreadyRegistered: 'ECT_ALREADY_REGISTERED',
  mentorAlreadyRegistered: 'MENTOR_ALREADY_REGISTERED',
  startDateTooEarly: 'START_DATE_TOO_EARLY',
  startDateOverlapsPreviousRegistration: 'START_DATE_OVERLAPS_PREVIOUS_REGISTRATION',
  ectNotFound: 'ECT_NOT_FOUND',
  mentorNotFound: 'MENTOR_NOT_FOUND',
  selfMentoring: 'SELF_MENTORING',
  mentorNotAtSchool: 'MENTOR_NOT_AT_SCHOOL',
  mentorshipStartAfterLeaving: 'MENTORSHIP_START_AFTER_LEAVING',
  leavingDateBeforeStart: 'LEAVING_DATE_BEFORE_START',
  leadProviderUnchanged: 'LEAD_PROVIDER_UNCHANGED',
  schoolLedNoLeadProvider: 'SCHOOL_LED_NO_LEAD_PROVIDER',
  emailInUse: 'EMAIL_IN_USE',
} as const;

export type TeacherErrorCode = (typeof TeacherErrorCode)[keyof typeof TeacherErrorCode];

export interface FieldProblem {
  field: string;
  message: string;
}

export function validationFailed(fields: FieldProblem[]): DomainError {
  const names = fields.map((f) => f.field).join(', ');
  return new DomainError(TeacherErrorCode.validationFailed, 'invalid', `Some fields are not valid: ${names}`, fields);
}

/** Throws one VALIDATION_FAILED naming every offending field, so a client can fix them all at once. */
export function throwIfInvalid(fields: FieldProblem[]): void {
  if (fields.length > 0) throw validationFailed(fields);
}
