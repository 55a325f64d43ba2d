import { createHmac } from 'node:crypto';

/**
 * Whose personal data a field is. A person is identified per role, by what the service knows them by:
 * - `teacher`: the TRN (normalised to 7 digits);
 * - `user`: the DfE Sign-in user id (lower-case UUID);
 * - `induction-tutor`: the email the school nominated them with (trimmed, lower-case).
 * One human may be several subjects (a user who is also the induction tutor): each is erased on its own.
 */
export type SubjectType = 'teacher' | 'user' | 'induction-tutor';
export const SUBJECT_TYPES: readonly SubjectType[] = ['teacher', 'user', 'induction-tutor'];

/** A subject as stored: its type and a keyed hash of its natural id, never the natural id itself. */
export interface SubjectId {
  type: SubjectType;
  /** HMAC-SHA256 hex under the stream key secret (see subjectHash). */
  id: string;
}

/** What personal fields read back as once their subject's data key was destroyed. */
export const ERASED = '[erased]';

/**
 * The keyed hash of a subject's natural id. A teacher's is their stream key (`teacher-<key>`, HMAC of the TRN as
 * libs/teachers computes it), so erasing a teacher links nothing that the stream name did not already; users and
 * induction tutors are hashed with their type as a prefix, so no two kinds of id can give the same hash.
 */
export function subjectHash(type: SubjectType, naturalId: string, secret: string): string {
  if (typeof secret !== 'string' || secret.length === 0) throw new Error('The stream key secret is not configured');
  const input = type === 'teacher' ? naturalId : `${type}:${naturalId}`;
  return createHmac('sha256', secret).update(input, 'utf8').digest('hex');
}

/** How a subject is written inside envelopes and in `pd_keys`: `<type>:<hash>`. */
export function subjectRef(subject: SubjectId): string {
  return `${subject.type}:${subject.id}`;
}

export function parseSubjectRef(ref: string): SubjectId {
  const colon = ref.indexOf(':');
  const type = ref.slice(0, colon) as SubjectType;
  if (colon < 0 || !SUBJECT_TYPES.includes(type) || !/^[0-9a-f]{64}$/.test(ref.slice(colon + 1))) {
    throw new Error(`Not a subject reference: ${JSON.stringify(ref.slice(0, 80))}`);
  }
  return { type, id: ref.slice(colon + 1) };
}

/** The natural id as events hold it, normalised as the deciders did when they wrote it. */
export function normaliseNaturalId(type: SubjectType, value: string): string {
  return type === 'teacher' ? value.trim() : value.trim().toLowerCase();
}
