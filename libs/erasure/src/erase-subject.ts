import { DomainError, type CommandContext, type CommandResult, type CommandRunner } from '@ect/command-runner';
import { erasureStreamName, subjectHash, subjectRef, type EncryptingEventStore, type SubjectId } from '@ect/personal-data';
import { normaliseEmail, normaliseTrn } from '@ect/teachers';
import { erasureDecider, erasureEventCodec, type ErasureState, type PersonalDataErased } from './erasure.decider';

/** Who is to be erased, as a data protection officer names them (HTTP body `subject`, CLI arguments). */
export type ErasureRequest = { type: 'teacher'; trn: string } | { type: 'user'; userId: string } | { type: 'induction-tutor'; email: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored subject (keyed hash) of a request, with its id normalised as the deciders stored it. */
export function subjectOf(request: ErasureRequest, streamKeySecret: string): SubjectId {
  switch (request.type) {
    case 'teacher':
      return { type: 'teacher', id: subjectHash('teacher', normaliseTrn(request.trn, 'subject.trn'), streamKeySecret) };
    case 'user':
      if (!UUID.test(request.userId ?? '')) throw invalid('subject.userId', 'must be a DfE Sign-in user id (UUID)');
      return { type: 'user', id: subjectHash('user', request.userId.toLowerCase(), streamKeySecret) };
    case 'induction-tutor':
      if (typeof request.email !== 'string' || !request.email.includes('@')) throw invalid('subject.email', 'must be an email');
      return { type: 'induction-tutor', id: subjectHash('induction-tutor', normaliseEmail(request.email), streamKeySecret) };
    default:
      throw invalid('subject.type', 'must be teacher, user or induction-tutor');
  }
}

/**
 * Erases a person's personal data: destroys their data keys first (from then on every reader gets ERASED for their
 * fields), then records PersonalDataErased {subject: {type, id}} (keyed hash only) in `erasure-<type>.<hash>`, on
 * which read models and feeds blank what they hold. Safe to repeat: a crash between the two steps is completed by
 * asking again; asking again afterwards appends nothing. Used by `POST /v1/erasures` and `npm run audit -- erase`.
 */
export async function eraseSubject(
  store: EncryptingEventStore,
  runner: CommandRunner,
  request: ErasureRequest,
  context: CommandContext,
): Promise<CommandResult<PersonalDataErased, ErasureState>> {
  const subject = subjectOf(request, store.streamKeySecret);
  const { known, destroyed } = await store.keys.erase(subjectRef(subject));
  return runner.execute({
    streamName: erasureStreamName(subject),
    decider: erasureDecider,
    codec: erasureEventCodec,
    command: { type: 'RecordErasure', data: { subject, known, keysDestroyed: destroyed } },
    context,
  });
}

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', 'invalid', `${field} ${message}`, [{ field, message }]);
}
