import type { ContractPeriodCalendar } from '@ect/contract-periods';
import { validationFailed, type FieldError } from './school.errors';
import { SCHOOL_STATUSES, type SchoolStatus } from './school.events';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_PERSON_NAME_LENGTH = 70;
/** GIAS establishment names run past 70 characters; 255 is generous and keeps events small. */
export const MAX_SCHOOL_NAME_LENGTH = 255;

const URN = /^\d{6}$/;
/** Any 8-4-4-4-12 hex UUID: DfE Sign-in ids are not guaranteed to carry RFC 4122 version bits. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Lead provider and delivery partner ids: UUIDs or slugs; safe inside a Kafka topic name. */
const REFERENCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function isValidEmail(value: string): boolean {
  if (value.length > MAX_EMAIL_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  return local.length <= 64 && EMAIL_LOCAL.test(local) && EMAIL_DOMAIN.test(value.slice(at + 1));
}

export function isValidUserId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Emails are compared case-insensitively everywhere in this domain. */
export function sameEmail(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Collects every field error of one command, then refuses them together (`VALIDATION_FAILED`, one entry per field).
 * Each check returns the normalised value (trimmed text, lower-case user id); use it only after `done()`.
 */
export class CommandValidation {
  private readonly errors: FieldError[] = [];

  constructor(private readonly calendar?: ContractPeriodCalendar) {}

  urn(field: string, value: unknown): string {
    if (typeof value !== 'string' || !URN.test(value)) this.fail(field, 'must be a URN of 6 digits');
    return value as string;
  }

  userId(field: string, value: unknown): string {
    if (!isValidUserId(value)) {
      this.fail(field, 'must be a DfE Sign-in user id (a UUID)');
      return value as string;
    }
    return value.toLowerCase();
  }

  email(field: string, value: unknown): string {
    const text = this.text(field, value);
    if (text !== undefined && !isValidEmail(text)) {
      this.fail(field, `must be a valid email address of at most ${MAX_EMAIL_LENGTH} characters`);
    }
    return text as string;
  }

  optionalEmail(field: string, value: unknown): string | null {
    if (value === null) return null;
    if (typeof value !== 'string') {
      this.fail(field, 'must be an email address or null');
      return null;
    }
    return this.email(field, value);
  }

  personName(field: string, value: unknown): string {
    return this.name(field, value, MAX_PERSON_NAME_LENGTH);
  }

  schoolName(field: string, value: unknown): string {
    return this.name(field, value, MAX_SCHOOL_NAME_LENGTH);
  }

  boolean(field: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value as boolean;
  }

  status(field: string, value: unknown): SchoolStatus {
    if (!SCHOOL_STATUSES.includes(value as SchoolStatus)) this.fail(field, `must be one of ${SCHOOL_STATUSES.join(', ')}`);
    return value as SchoolStatus;
  }

  referenceId(field: string, value: unknown): string {
    if (typeof value !== 'string' || !REFERENCE_ID.test(value)) {
      this.fail(field, 'must be an id of 1 to 64 letters, digits, dots, dashes or underscores');
    }
    return value as string;
  }

  contractPeriod(field: string, value: unknown): number {
    if (!Number.isInteger(value) || !this.calendar?.find(value as number)) {
      const years = this.calendar?.all().map((p) => p.year) ?? [];
      const range = years.length > 0 ? ` (${years[0]} to ${years[years.length - 1]})` : '';
      this.fail(field, `must be a configured contract period year${range}`);
    }
    return value as number;
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  /** Throws `VALIDATION_FAILED` naming every offending field, if there is any. */
  done(): void {
    if (this.errors.length > 0) throw validationFailed([...this.errors]);
  }

  private text(field: string, value: unknown): string | undefined {
    if (typeof value !== 'string') {
      this.fail(field, 'must be text');
      return undefined;
    }
    return value.trim();
  }

  private name(field: string, value: unknown, max: number): string {
    const text = this.text(field, value);
    if (text === undefined) return value as string;
    const length = [...text].length;
    if (length < 1 || length > max || CONTROL_CHARACTERS.test(text)) {
      this.fail(field, `must be 1 to ${max} characters, without control characters`);
    }
    return text;
  }
}
