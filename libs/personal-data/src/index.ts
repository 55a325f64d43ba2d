export { ERASED, SUBJECT_TYPES, parseSubjectRef, subjectHash, subjectRef, type SubjectId, type SubjectType } from './subjects';
export { PERSONAL_FIELDS, DOMAIN_CATEGORIES, UnmappedEventTypeError, personalFieldsOf, type DomainEventType, type PersonalField } from './personal-fields';
export { ERASURE_STREAM_PREFIX, PERSONAL_DATA_ERASED, erasureStreamName, type PersonalDataErasedData } from './erasure.events';
export { isEnvelope, EnvelopeError, MasterKeyMismatchError, type Envelope } from './envelope';
export { KeyStore, KEY_CACHE_TTL_MS, personalDataMigrations } from './key-store';
export { EncryptingEventStore, storedFormOf } from './encrypting-event-store';
export { createEventStore, masterKeyFor, type PersonalDataSecrets } from './create-event-store';
