import { assertNever } from '@ect/command-runner';
import type { SchoolDetails, SchoolEvent, SchoolUserDetails } from './school.events';

export type InductionTutor = {
  name: string;
  email: string;
  /** The contract period the SIT was last nominated or confirmed for. */
  contractPeriod: number;
};

export type Partnership = { leadProviderId: string; deliveryPartnerId: string };

/** The folded `school-<urn>` stream. Treated as immutable: `evolve` returns a new object. */
export type SchoolState = {
  /** Null until the school's details are first recorded: the school is unknown. */
  details: SchoolDetails | null;
  /** Currently linked users by (lower-case) user id, in the order they were (last) linked. */
  users: Readonly<Record<string, SchoolUserDetails>>;
  /** The one current SIT; not derived from users. */
  inductionTutor: InductionTutor | null;
  /** At most one partnership per contract period, keyed by year. */
  partnerships: Readonly<Record<number, Partnership>>;
};

export function initialSchoolState(): SchoolState {
  return { details: null, users: {}, inductionTutor: null, partnerships: {} };
}

/** Applies one past event. Never refuses: history is the truth, rules live in `decide`. */
export function evolveSchool(state: SchoolState, event: SchoolEvent): SchoolState {
  switch (event.type) {
    case 'SchoolDetailsRecorded':
      return { ...state, details: { ...event.data } };
    case 'UserLinkedToSchool':
    case 'SchoolUserDetailsChanged':
      return { ...state, users: { ...state.users, [event.data.userId]: { ...event.data } } };
    case 'UserUnlinkedFromSchool': {
      const { [event.data.userId]: _removed, ...users } = state.users;
      return { ...state, users };
    }
    case 'InductionTutorNominated':
      return { ...state, inductionTutor: { ...event.data } };
    case 'InductionTutorConfirmed':
      if (!state.inductionTutor) return state;
      return { ...state, inductionTutor: { ...state.inductionTutor, contractPeriod: event.data.contractPeriod } };
    case 'SchoolPartnershipConfirmed': {
      const { contractPeriod, leadProviderId, deliveryPartnerId } = event.data;
      return { ...state, partnerships: { ...state.partnerships, [contractPeriod]: { leadProviderId, deliveryPartnerId } } };
    }
    case 'SchoolPartnershipEnded': {
      const { contractPeriod, leadProviderId } = event.data;
      if (state.partnerships[contractPeriod]?.leadProviderId !== leadProviderId) return state;
      const { [contractPeriod]: _ended, ...partnerships } = state.partnerships;
      return { ...state, partnerships };
    }
    default:
      return assertNever(event);
  }
}
