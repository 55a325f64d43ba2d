import type { SchoolDetails } from './school.events';

/**
 * Who asks and when. `now` is an ISO instant chosen by the caller (the decider never reads a clock; no school rule
 * reads it today). `actingUserId` is the DfE Sign-in id of the school user acting, or null for a service acting on
 * its own (GIAS sync, DfE Sign-in sync, a lead provider). Keep it equal to the runner's `CommandContext.actingUserId`.
 */
export type SchoolCommandMetadata = { now: string; actingUserId: string | null };

type Command<Type extends string, Data> = { type: Type; data: Data; metadata: SchoolCommandMetadata };

/** Reference data (GIAS sync): records a full snapshot, only when something changed. */
export type RecordSchoolDetails = Command<'RecordSchoolDetails', SchoolDetails>;

export type LinkUserToSchool = Command<'LinkUserToSchool', { userId: string; email: string; firstName: string; lastName: string }>;

export type UnlinkUserFromSchool = Command<'UnlinkUserFromSchool', { userId: string }>;

/** Nominates a new SIT or confirms the current one for a later contract period (year). */
export type NominateInductionTutor = Command<'NominateInductionTutor', { name: string; email: string; contractPeriod: number }>;

export type ConfirmPartnership = Command<
  'ConfirmPartnership',
  { contractPeriod: number; leadProviderId: string; deliveryPartnerId: string }
>;

export type EndPartnership = Command<'EndPartnership', { contractPeriod: number }>;

export type SchoolCommand =
  | RecordSchoolDetails
  | LinkUserToSchool
  | UnlinkUserFromSchool
  | NominateInductionTutor
  | ConfirmPartnership
  | EndPartnership;

export type SchoolCommandType = SchoolCommand['type'];
