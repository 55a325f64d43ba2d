import { schoolNotEligible, schoolNotFound, userNotLinked } from './school.errors';
import type { SchoolCommandMetadata } from './school.commands';
import { isEligible, isKnown, isLinked } from './school.queries';
import type { SchoolState } from './school.state';

/** Preconditions shared by several commands; each throws the matching domain error. */

export function requireKnownSchool(state: SchoolState): void {
  if (!isKnown(state)) throw schoolNotFound();
}

export function requireEligibleSchool(state: SchoolState): void {
  if (!isEligible(state)) throw schoolNotEligible();
}

/** Only a user linked to the school now may act for it; a service acting alone (null) may not. */
export function requireActingUserLinked(state: SchoolState, metadata: SchoolCommandMetadata | undefined): void {
  if (!isLinked(state, metadata?.actingUserId)) throw userNotLinked('forbidden');
}

/** A command's data as a record of unknown values, so validation checks every field's type itself. */
export function fieldsOf(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}
