import type { SchoolUserDetails } from './school.events';
import type { SchoolState } from './school.state';

/** Pure questions the wiring asks of a folded school stream. */

export function isKnown(state: SchoolState): boolean {
  return state.details !== null;
}

/** Open, in England, and of an eligible type or section 41 approved. An unknown school is not eligible. */
export function isEligible(state: SchoolState): boolean {
  const d = state.details;
  return d !== null && d.status === 'open' && d.inEngland && (d.eligibleType || d.section41Approved);
}

/** User ids are compared case-insensitively (stored lower-case). */
export function isLinked(state: SchoolState, userId: string | null | undefined): boolean {
  return linkedUser(state, userId) !== null;
}

/** The currently linked user's details (e.g. to record who registered an ECT), or null when not linked. */
export function linkedUser(state: SchoolState, userId: string | null | undefined): SchoolUserDetails | null {
  if (typeof userId !== 'string') return null;
  const key = userId.toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(state.users, key)) return null;
  return { ...state.users[key] };
}

/**
 * True when the school has a SIT who was last nominated or confirmed for a contract period earlier than the current
 * one: the school must confirm or change them. The caller passes the year of the period containing today (from the
 * calendar), so "the current period has started" is its fact, not the decider's. False when there is no SIT at all
 * (that school needs a nomination, which `inductionTutor === null` in the view shows).
 */
export function inductionTutorNeedsConfirmation(state: SchoolState, currentContractPeriodYear: number): boolean {
  return state.inductionTutor !== null && state.inductionTutor.contractPeriod < currentContractPeriodYear;
}
