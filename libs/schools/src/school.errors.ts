import { DomainError } from '@ect/command-runner';

/** The stable codes a school command may be refused with; clients rely on them, so they never change. */
export const SchoolErrorCode = {
  validationFailed: 'VALIDATION_FAILED',
  schoolNotFound: 'SCHOOL_NOT_FOUND',
  schoolNotEligible: 'SCHOOL_NOT_ELIGIBLE',
  userNotLinked: 'USER_NOT_LINKED',
  contractPeriodInPast: 'CONTRACT_PERIOD_IN_PAST',
  partnershipNotFound: 'PARTNERSHIP_NOT_FOUND',
} as const;

export type SchoolErrorCode = (typeof SchoolErrorCode)[keyof typeof SchoolErrorCode];

export interface FieldError {
  field: string;
  message: string;
}

export function validationFailed(fields: FieldError[]): DomainError {
  const summary = fields.map((f) => `${f.field} ${f.message}`).join('; ');
  return new DomainError(SchoolErrorCode.validationFailed, 'invalid', `The request is not valid: ${summary}`, fields);
}

export function schoolNotFound(): DomainError {
  return new DomainError(SchoolErrorCode.schoolNotFound, 'not-found', 'The school is not known: its details have never been recorded');
}

export function schoolNotEligible(): DomainError {
  return new DomainError(
    SchoolErrorCode.schoolNotEligible,
    'unprocessable',
    'The school is not eligible: it must be open, in England and of an eligible type (or section 41 approved)',
  );
}

/** `not-found` when the user is the target of the command, `forbidden` when they are the one acting. */
export function userNotLinked(kind: 'not-found' | 'forbidden'): DomainError {
  const message =
    kind === 'forbidden' ? 'Only a user currently linked to the school may act for it' : 'The user is not currently linked to the school';
  return new DomainError(SchoolErrorCode.userNotLinked, kind, message);
}

export function contractPeriodInPast(requested: number, current: number): DomainError {
  return new DomainError(
    SchoolErrorCode.contractPeriodInPast,
    'unprocessable',
    `The induction tutor is already nominated for contract period ${current}; ${requested} is earlier`,
    [{ field: 'contractPeriod', message: `must not be earlier than ${current}` }],
  );
}

export function partnershipNotFound(contractPeriod: number): DomainError {
  return new DomainError(
    SchoolErrorCode.partnershipNotFound,
    'not-found',
    `The school has no partnership for contract period ${contractPeriod}`,
  );
}
