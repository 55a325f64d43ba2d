import { DomainError, assertNever, type Decider, type DomainEvent, type EventCodec } from '@ect/command-runner';
import type { TeacherCommandMetadata } from './teacher.commands';
import { TeacherErrorCode, throwIfInvalid } from './teacher.errors';
import { dateProblem, problems, textProblem } from './teacher.validation';

/**
 * The reservation of one ECT email, stream `emailReservationStreamName(email)`: which teacher (by key, never by TRN)
 * holds it, and from when it is free again. It makes "an ECT's email may not be used by another teacher's ongoing
 * registration" hold across teacher streams without a read model.
 *
 * How the wiring uses it, race-free:
 * 1. Before RegisterECT, run ClaimEmail on the reservation stream with the command runner. The runner appends
 *    with "no stream" or the exact version it read, so of two concurrent claims only one appends; the other is
 *    decided again on the fresh state and refused with EMAIL_IN_USE. A claim the teacher already holds appends nothing.
 * 2. Run RegisterECT on the teacher's stream. If it fails and step 1 appended EmailClaimed, run ReleaseEmail with
 *    the freeFrom the reservation had before the claim (today when it had none), so the failed attempt holds
 *    nothing new. Only then: a claim that appended nothing protects the teacher's existing registration.
 * 3. After any teacher decision, release what `ectEmailReleases(stateAfter, events)` lists (a reported leaving, a
 *    transfer with a new email): ReleaseEmail { freeFrom: the day after the last day the email is used }.
 * A crash between 1 and 2 leaves a claim no registration uses. The holder's key names its stream
 * (`teacher-<key>`), so a repair can check `ectEmail` there and release a stale claim with freeFrom today.
 */
export type EmailClaimed = DomainEvent<'EmailClaimed', { teacherKey: string }>;
export type EmailReleased = DomainEvent<'EmailReleased', { teacherKey: string; freeFrom: string }>;
export type EmailReservationEvent = EmailClaimed | EmailReleased;

export type ClaimEmail = { type: 'ClaimEmail'; data: { teacherKey: string }; metadata: TeacherCommandMetadata };
export type ReleaseEmail = { type: 'ReleaseEmail'; data: { teacherKey: string; freeFrom: string }; metadata: TeacherCommandMetadata };
export type EmailReservationCommand = ClaimEmail | ReleaseEmail;

export interface EmailReservationState {
  holder: string | null;
  /** Set once the holder released it: the email is free from this date on. */
  freeFrom: string | null;
}

function isFree(state: EmailReservationState, today: string): boolean {
  return state.holder === null || (state.freeFrom !== null && state.freeFrom <= today);
}

function claim(command: ClaimEmail, state: EmailReservationState): EmailReservationEvent[] {
  const { teacherKey } = command.data;
  throwIfInvalid(problems(textProblem(teacherKey, 'teacherKey')));
  if (state.holder === teacherKey && state.freeFrom === null) return [];
  if (state.holder !== teacherKey && !isFree(state, command.metadata.today)) {
    throw new DomainError(TeacherErrorCode.emailInUse, 'conflict', 'The email is used by another teacher\'s registration', [
      { field: 'email', message: 'Enter an email no other ongoing teacher uses' },
    ]);
  }
  return [{ type: 'EmailClaimed', data: { teacherKey } }];
}

function release(command: ReleaseEmail, state: EmailReservationState): EmailReservationEvent[] {
  const { teacherKey, freeFrom } = command.data;
  throwIfInvalid(problems(textProblem(teacherKey, 'teacherKey'), dateProblem(freeFrom, 'freeFrom')));
  if (state.holder !== teacherKey || state.freeFrom === freeFrom) return [];
  return [{ type: 'EmailReleased', data: { teacherKey, freeFrom } }];
}

export const emailReservationDecider: Decider<EmailReservationCommand, EmailReservationEvent, EmailReservationState> = {
  initialState: () => ({ holder: null, freeFrom: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'EmailClaimed':
        return { holder: event.data.teacherKey, freeFrom: null };
      case 'EmailReleased':
        return { ...state, freeFrom: event.data.freeFrom };
      default:
        return assertNever(event);
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'ClaimEmail':
        return claim(command, state);
      case 'ReleaseEmail':
        return release(command, state);
      default:
        return assertNever(command);
    }
  },
};

export const emailReservationEventCodec: EventCodec<EmailReservationEvent> = {
  schemaVersion: () => 1,
  decode: (stored) => {
    if (stored.type !== 'EmailClaimed' && stored.type !== 'EmailReleased') throw new Error(`Unknown email reservation event type ${stored.type}`);
    if (stored.schemaVersion !== 1) throw new Error(`Unknown schema version ${stored.schemaVersion} of ${stored.type}`);
    return { type: stored.type, data: stored.data } as EmailReservationEvent;
  },
};
