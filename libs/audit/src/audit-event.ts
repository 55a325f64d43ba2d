import { DomainError } from '@ect/command-runner';
import type { StoredEvent } from '@ect/event-store';

/**
 * One event as auditors see it: in `history --json`, in export files (one per line) and over HTTP. Positions are
 * strings (they are 64-bit); `metadata` is the stored metadata verbatim (acting user, service, correlation and
 * causation ids, and any later keys); `hash`/`prevHash` are the chain fields.
 */
export interface AuditEvent {
  position: string;
  stream: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  recordedAt: string;
  metadata: Record<string, unknown>;
  data: Record<string, unknown>;
  hash: string | null;
  prevHash: string | null;
}

export function toAuditEvent(event: StoredEvent): AuditEvent {
  return {
    position: event.globalPosition.toString(),
    stream: event.streamName,
    version: event.streamVersion,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    recordedAt: event.recordedAt.toISOString(),
    metadata: { ...event.metadata },
    data: event.data,
    hash: event.hash ?? null,
    prevHash: event.prevHash ?? null,
  };
}

/**
 * An auditor's bad input (a date that is not one) or a thing that was not there: a DomainError, so HTTP answers
 * 400 VALIDATION_FAILED or 404 with this code, and the CLI prints the message and exits with 2.
 */
export class AuditInputError extends DomainError {
  constructor(code: 'VALIDATION_FAILED' | 'STREAM_NOT_FOUND' | 'SCHOOL_NOT_FOUND' | 'TEACHER_NOT_FOUND', message: string, field?: string) {
    super(code, code === 'VALIDATION_FAILED' ? 'invalid' : 'not-found', message, field ? [{ field, message }] : []);
    this.name = 'AuditInputError';
  }
}

/** An ISO 8601 date-time (or a date, meaning its start in UTC); throws AuditInputError naming `field`. */
export function parseInstant(value: string, field: string): Date {
  const text = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
  const date = iso.test(text) ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new AuditInputError('VALIDATION_FAILED', `${field} must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z; got "${value}"`, field);
  }
  return date;
}
