import type { DomainEvent, EventCodec } from '@ect/command-runner';

/** GIAS establishment status, as GIAS names it. */
export type SchoolStatus = 'open' | 'closed' | 'proposed_to_close' | 'proposed_to_open';
export const SCHOOL_STATUSES: readonly SchoolStatus[] = ['open', 'closed', 'proposed_to_close', 'proposed_to_open'];

/** A full snapshot of the school's reference data; every SchoolDetailsRecorded carries all of it. */
export type SchoolDetails = {
  urn: string;
  name: string;
  status: SchoolStatus;
  inEngland: boolean;
  /** GIAS establishment type is one the programme funds. */
  eligibleType: boolean;
  /** An independent school approved under section 41 (eligible whatever its type). */
  section41Approved: boolean;
  primaryContactEmail: string | null;
  secondaryContactEmail: string | null;
};

export type SchoolUserDetails = {
  /** DfE Sign-in user id (the OIDC `sub`), lower-case. */
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
};

export type InductionTutorDetails = { name: string; email: string; contractPeriod: number };

export type PartnershipDetails = { contractPeriod: number; leadProviderId: string; deliveryPartnerId: string };

export type PartnershipEndReason = 'ended' | 'replaced';

export type SchoolDetailsRecorded = DomainEvent<'SchoolDetailsRecorded', SchoolDetails>;
export type UserLinkedToSchool = DomainEvent<'UserLinkedToSchool', SchoolUserDetails>;
export type SchoolUserDetailsChanged = DomainEvent<'SchoolUserDetailsChanged', SchoolUserDetails>;
export type UserUnlinkedFromSchool = DomainEvent<'UserUnlinkedFromSchool', { userId: string }>;
export type InductionTutorNominated = DomainEvent<'InductionTutorNominated', InductionTutorDetails>;
export type InductionTutorConfirmed = DomainEvent<'InductionTutorConfirmed', { contractPeriod: number }>;
export type SchoolPartnershipConfirmed = DomainEvent<'SchoolPartnershipConfirmed', PartnershipDetails>;
export type SchoolPartnershipEnded = DomainEvent<'SchoolPartnershipEnded', PartnershipDetails & { reason: PartnershipEndReason }>;

/** Everything that can happen in a `school-<urn>` stream. The `type` strings are wire names: never rename them. */
export type SchoolEvent =
  | SchoolDetailsRecorded
  | UserLinkedToSchool
  | SchoolUserDetailsChanged
  | UserUnlinkedFromSchool
  | InductionTutorNominated
  | InductionTutorConfirmed
  | SchoolPartnershipConfirmed
  | SchoolPartnershipEnded;

export type SchoolEventType = SchoolEvent['type'];

/** Current schema version of each event type. A changed shape gets a new version and an upcaster in `decode`. */
const SCHEMA_VERSIONS: Record<SchoolEventType, number> = {
  SchoolDetailsRecorded: 1,
  UserLinkedToSchool: 1,
  SchoolUserDetailsChanged: 1,
  UserUnlinkedFromSchool: 1,
  InductionTutorNominated: 1,
  InductionTutorConfirmed: 1,
  SchoolPartnershipConfirmed: 1,
  SchoolPartnershipEnded: 1,
};

export const SCHOOL_EVENT_TYPES = Object.keys(SCHEMA_VERSIONS) as SchoolEventType[];

export function isSchoolEventType(type: string): type is SchoolEventType {
  return Object.prototype.hasOwnProperty.call(SCHEMA_VERSIONS, type);
}

/**
 * How stored school events become domain events. Every type is at version 1, so there is nothing to upcast yet;
 * an unknown type or version throws, so a stream never folds silently wrong.
 */
export const schoolEventCodec: EventCodec<SchoolEvent> = {
  schemaVersion(type) {
    if (!isSchoolEventType(type)) throw new Error(`Unknown school event type ${JSON.stringify(type)}`);
    return SCHEMA_VERSIONS[type];
  },
  decode(stored) {
    if (!isSchoolEventType(stored.type)) {
      throw new Error(`Unknown school event type ${JSON.stringify(stored.type)}: this code cannot fold the stream`);
    }
    const current = SCHEMA_VERSIONS[stored.type];
    if (stored.schemaVersion !== current) {
      throw new Error(`${stored.type} schema version ${stored.schemaVersion} is not supported (this code knows version ${current})`);
    }
    if (stored.data === null || typeof stored.data !== 'object' || Array.isArray(stored.data)) {
      throw new Error(`${stored.type} data must be a JSON object`);
    }
    return { type: stored.type, data: stored.data } as SchoolEvent;
  },
};
