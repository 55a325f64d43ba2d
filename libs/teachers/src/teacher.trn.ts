import { validationFailed } from './teacher.errors';

const TRN_DIGITS = /^\d{5,7}$/;

/**
 * A teacher reference number as the service keeps it: non-digits removed, then 5 to 7 digits left-padded with zeros
 * to 7 (`12345` becomes `0012345`). Anything else is refused with VALIDATION_FAILED naming `field`.
 * Idempotent: normalising a normalised TRN returns it unchanged.
 */
export function normaliseTrn(input: string, field = 'trn'): string {
  const digits = typeof input === 'string' ? input.replace(/\D/g, '') : '';
  if (!TRN_DIGITS.test(digits)) {
    throw validationFailed([{ field, message: 'A TRN has 5 to 7 digits' }]);
  }
  return digits.padStart(7, '0');
}

/** The problem with a TRN input, or null when it normalises; for collecting several field problems at once. */
export function trnProblem(input: unknown, field = 'trn'): { field: string; message: string } | null {
  if (typeof input !== 'string') return { field, message: 'A TRN has 5 to 7 digits' };
  try {
    normaliseTrn(input, field);
    return null;
  } catch {
    return { field, message: 'A TRN has 5 to 7 digits' };
  }
}
