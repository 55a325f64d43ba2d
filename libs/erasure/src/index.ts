export { eraseSubject, subjectOf, type ErasureRequest } from './erase-subject';
export { erasureDecider, erasureEventCodec, type PersonalDataErased, type RecordErasure } from './erasure.decider';
export { ErasureModule } from './erasure.module';
export { erasureApiOperations } from './erasure.api';
