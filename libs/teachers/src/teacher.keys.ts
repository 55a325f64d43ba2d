import { createHmac } from 'node:crypto';
import { normaliseTrn } from './teacher.trn';

/**
 * Stream names never hold a TRN or an email in clear: they carry an HMAC-SHA256 (hex) of it under a secret from
 * configuration. The same secret must be used by every process, and changing it orphans every stream.
 */
function hmacHex(value: string, secret: string): string {
  if (typeof secret !== 'string' || secret.length === 0) throw new Error('The teacher key secret is not configured');
  return createHmac('sha256', secret).update(value, 'utf8').digest('hex');
}

/** The key of a teacher: HMAC-SHA256 hex of the normalised TRN (so `12345` and `0012345` give the same key). */
export function teacherKey(trn: string, secret: string): string {
  return hmacHex(normaliseTrn(trn), secret);
}

export function teacherStreamName(trn: string, secret: string): string {
  return `teacher-${teacherKey(trn, secret)}`;
}

/** Emails compare trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The reservation stream of an ECT email: one per normalised email, named by its HMAC. */
export function emailReservationStreamName(email: string, secret: string): string {
  return `ect_email-${hmacHex(normaliseEmail(email), secret)}`;
}
