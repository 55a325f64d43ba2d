import { DomainError, type Decider, type DomainEvent, type EventCodec } from '@ect/command-runner';
import { PERSONAL_DATA_ERASED, type SubjectId } from '@ect/personal-data';

export type PersonalDataErased = DomainEvent<typeof PERSONAL_DATA_ERASED, { subject: SubjectId }>;

/** Record an erasure, after the subject's keys were destroyed: `known` (any key ever existed), `keysDestroyed` now. */
export type RecordErasure = { type: 'RecordErasure'; data: { subject: SubjectId; known: boolean; keysDestroyed: number } };

export interface ErasureState {
  erasures: number;
}

/**
 * The `erasure-<type>.<hash>` stream of one subject. Idempotent: asking again when nothing new was destroyed appends
 * nothing; a subject erased, then registered again (new key generation) and erased again gets a second event.
 * A subject no key was ever made for is SUBJECT_NOT_FOUND: no personal data of theirs is held, nothing is recorded.
 */
export const erasureDecider: Decider<RecordErasure, PersonalDataErased, ErasureState> = {
  initialState: () => ({ erasures: 0 }),
  evolve: (state) => ({ erasures: state.erasures + 1 }),
  decide: (command, state) => {
    const { subject, known, keysDestroyed } = command.data;
    if (!known && state.erasures === 0) {
      throw new DomainError('SUBJECT_NOT_FOUND', 'not-found', 'No personal data is held for this subject');
    }
    if (state.erasures > 0 && keysDestroyed === 0) return [];
    return [{ type: PERSONAL_DATA_ERASED, data: { subject } }];
  },
};

export const erasureEventCodec: EventCodec<PersonalDataErased> = {
  schemaVersion: () => 1,
  decode: (stored) => {
    if (stored.type !== PERSONAL_DATA_ERASED) throw new Error(`Unknown erasure event type ${stored.type}`);
    if (stored.schemaVersion !== 1) throw new Error(`Unknown schema version ${stored.schemaVersion} of ${stored.type}`);
    return { type: PERSONAL_DATA_ERASED, data: stored.data as PersonalDataErased['data'] };
  },
};
