import { isIsoDate } from '@ect/contract-periods';
import type { FieldProblem } from './teacher.errors';

/**
 * Field checks shared by the teacher commands. Each returns the problem or null, so a command can report every
 * offending field in one VALIDATION_FAILED.
 */
export const NAME_MAX_LENGTH = 70;
export const EMAIL_MAX_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function textProblem(value: unknown, field: string, maxLength = 200): FieldProblem | null {
  if (typeof value !== 'string' || value.trim().length === 0) return { field, message: 'Enter a value' };
  if (value.trim().length > maxLength) return { field, message: `Use at most ${maxLength} characters` };
  return null;
}

export function nameProblem(value: unknown, field: string): FieldProblem | null {
  return textProblem(value, field, NAME_MAX_LENGTH);
}

export function emailProblem(value: unknown, field = 'email'): FieldProblem | null {
  if (typeof value !== 'string' || !EMAIL.test(value.trim())) return { field, message: 'Enter an email address like name@example.com' };
  if (value.trim().length > EMAIL_MAX_LENGTH) return { field, message: `Use at most ${EMAIL_MAX_LENGTH} characters` };
  return null;
}

export function dateProblem(value: unknown, field: string): FieldProblem | null {
  return isIsoDate(value) ? null : { field, message: 'Enter a real date as YYYY-MM-DD' };
}

export function oneOfProblem(value: unknown, field: string, allowed: readonly string[]): FieldProblem | null {
  return typeof value === 'string' && allowed.includes(value) ? null : { field, message: `Use one of: ${allowed.join(', ')}` };
}

/** The problems that are not null. */
export function problems(...checks: (FieldProblem | null)[]): FieldProblem[] {
  return checks.filter((p): p is FieldProblem => p !== null);
}
