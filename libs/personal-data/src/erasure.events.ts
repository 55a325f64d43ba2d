import type { SubjectId } from './subjects';

/** Wire name of the event that records an erasure; stream `erasure-<type>.<hash>` (see erasureStreamName). */
export const PERSONAL_DATA_ERASED = 'PersonalDataErased';

/**
 * Recorded after the subject's data keys were destroyed. Holds only the keyed hash: readers (projections, feeds)
 * blank what they hold of that subject; the events that held the data read back with `ERASED` in those fields.
 */
export interface PersonalDataErasedData {
  subject: SubjectId;
  [key: string]: unknown;
}

export const ERASURE_STREAM_PREFIX = 'erasure-';

export function erasureStreamName(subject: SubjectId): string {
  return `${ERASURE_STREAM_PREFIX}${subject.type}.${subject.id}`;
}
