import type { StoredEvent } from '@ect/event-store';
import { ERASED, PERSONAL_DATA_ERASED, subjectRef, type PersonalDataErasedData, type SubjectId } from '@ect/personal-data';

export { ERASED, PERSONAL_DATA_ERASED };

/** Streams holding PersonalDataErased: a read model that keeps personal data subscribes to them too. */
export const ERASURE_STREAMS = 'erasure-';

/** The erased subject of a PersonalDataErased event, and its reference as personal fields are tagged with it. */
export function erasedSubject(event: StoredEvent): { subject: SubjectId; ref: string } {
  const { subject } = event.data as PersonalDataErasedData;
  return { subject, ref: subjectRef(subject) };
}

/**
 * The subject a personal field of the event belongs to (`<type>:<hash>`), as the decrypting store tags it; null for
 * a field stored in clear (events from before encryption), which no erasure can reach.
 */
export function subjectAt(event: StoredEvent, path: string): string | null {
  return event.personalData?.[path] ?? null;
}
