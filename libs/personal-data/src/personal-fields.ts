import type { SchoolEventType } from '@ect/schools';
import type { EmailReservationEvent, TeacherEvent } from '@ect/teachers';
import type { SubjectType } from './subjects';
import { PERSONAL_DATA_ERASED } from './erasure.events';

/** A personal field of an event's data: where it is (dotted path), and whose it is (`idFrom`: the field naming them). */
export interface PersonalField {
  path: string;
  subject: SubjectType;
  idFrom: string;
}

/** Every event type the domain streams may hold. A new one must be added to the map below, or nothing compiles. */
export type DomainEventType = SchoolEventType | TeacherEvent['type'] | EmailReservationEvent['type'] | typeof PERSONAL_DATA_ERASED;

const of = (subject: SubjectType, idFrom: string, paths: string[]): PersonalField[] => paths.map((path) => ({ path, subject, idFrom }));
const registration = [
  ...of('teacher', 'trn', ['trn', 'firstName', 'lastName', 'email']),
  ...of('user', 'registeredBy.userId', ['registeredBy.email', 'registeredBy.name']),
];
const schoolUser = of('user', 'userId', ['email', 'firstName', 'lastName']);
const mentorTrn = of('teacher', 'mentorTrn', ['mentorTrn']);

/**
 * The one place that says which fields are personal data, per event type (all schema versions so far are 1).
 * Stored encrypted under their subject's data key; everything else is stored as it is. Deliberately not personal:
 * - ids: DfE Sign-in user ids (pseudonymous; they also name the acting user in every event's metadata), URNs,
 *   lead provider and delivery partner ids;
 * - SchoolDetailsRecorded's primary and secondary contact emails: the school's own GIAS mailboxes (e.g. head@…),
 *   published by GIAS, not a person's; a school's contact is erased by recording new details;
 * - EmailClaimed/EmailReleased hold a teacher key, and PersonalDataErased a subject hash: keyed hashes only.
 */
export const PERSONAL_FIELDS: Readonly<Record<DomainEventType, readonly PersonalField[]>> = {
  SchoolDetailsRecorded: [],
  UserLinkedToSchool: schoolUser,
  SchoolUserDetailsChanged: schoolUser,
  UserUnlinkedFromSchool: [],
  InductionTutorNominated: of('induction-tutor', 'email', ['name', 'email']),
  InductionTutorConfirmed: [],
  SchoolPartnershipConfirmed: [],
  SchoolPartnershipEnded: [],
  ECTRegistered: registration,
  ECTLeftSchool: [],
  MentorRegistered: registration,
  MentorLeftSchool: [],
  MentorAssignedToECT: mentorTrn,
  MentorshipEnded: mentorTrn,
  ECTLeadProviderChanged: [],
  EmailClaimed: [],
  EmailReleased: [],
  PersonalDataErased: [],
};

/** Stream categories whose events must all be in the map: an unmapped type there is refused, never stored in clear. */
export const DOMAIN_CATEGORIES: readonly string[] = ['school', 'teacher', 'ect_email', 'erasure'];

export class UnmappedEventTypeError extends Error {
  constructor(type: string, streamCategory: string) {
    super(`${type} is not in the personal-data map (libs/personal-data/src/personal-fields.ts) but was appended to a ${streamCategory} stream`);
    this.name = 'UnmappedEventTypeError';
  }
}

/** The personal fields of an event type; null for a type outside the map (allowed only outside the domain categories). */
export function personalFieldsOf(type: string): readonly PersonalField[] | null {
  return Object.hasOwn(PERSONAL_FIELDS, type) ? PERSONAL_FIELDS[type as DomainEventType] : null;
}

export function getPath(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Sets a value at a path that exists (the caller read it first); objects on the way are the caller's copies. */
export function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = data;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]] = value;
}
