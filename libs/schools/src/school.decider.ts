import { assertNever, type Decider } from '@ect/command-runner';
import type { ContractPeriodCalendar } from '@ect/contract-periods';
import type { LinkUserToSchool, RecordSchoolDetails, SchoolCommand, UnlinkUserFromSchool } from './school.commands';
import { nominateInductionTutor } from './school.decide-induction-tutor';
import { confirmPartnership, endPartnership } from './school.decide-partnerships';
import { userNotLinked, validationFailed } from './school.errors';
import type { SchoolDetails, SchoolEvent, SchoolUserDetails } from './school.events';
import { fieldsOf, requireKnownSchool } from './school.guards';
import { evolveSchool, initialSchoolState, type SchoolState } from './school.state';
import { CommandValidation, sameEmail } from './school.validation';

export type SchoolDecider = Decider<SchoolCommand, SchoolEvent, SchoolState>;

/**
 * The `school-<urn>` decider. Built from the contract period calendar so that `decide` itself refuses a period
 * that is not configured (defence in depth); the calendar is configuration, not a clock. Build it once at start-up.
 */
export function createSchoolDecider(calendar: ContractPeriodCalendar): SchoolDecider {
  return {
    initialState: initialSchoolState,
    evolve: evolveSchool,
    decide: (command, state) => decideSchool(command, state, calendar),
  };
}

/** Returns the events recording the decision (none when nothing changes), or throws a DomainError. Pure. */
export function decideSchool(command: SchoolCommand, state: SchoolState, calendar: ContractPeriodCalendar): SchoolEvent[] {
  switch (command.type) {
    case 'RecordSchoolDetails':
      return recordSchoolDetails(command, state);
    case 'LinkUserToSchool':
      return linkUserToSchool(command, state);
    case 'UnlinkUserFromSchool':
      return unlinkUserFromSchool(command, state);
    case 'NominateInductionTutor':
      return nominateInductionTutor(command, state, calendar);
    case 'ConfirmPartnership':
      return confirmPartnership(command, state, calendar);
    case 'EndPartnership':
      return endPartnership(command, state, calendar);
    default:
      return assertNever(command);
  }
}

/** Reference data: the first snapshot is recorded; later ones only when a field changed (emails ignoring case). */
function recordSchoolDetails(command: RecordSchoolDetails, state: SchoolState): SchoolEvent[] {
  const data = fieldsOf(command.data);
  const v = new CommandValidation();
  const details: SchoolDetails = {
    urn: v.urn('urn', data.urn),
    name: v.schoolName('name', data.name),
    status: v.status('status', data.status),
    inEngland: v.boolean('inEngland', data.inEngland),
    eligibleType: v.boolean('eligibleType', data.eligibleType),
    section41Approved: v.boolean('section41Approved', data.section41Approved),
    primaryContactEmail: v.optionalEmail('primaryContactEmail', data.primaryContactEmail),
    secondaryContactEmail: v.optionalEmail('secondaryContactEmail', data.secondaryContactEmail),
  };
  v.done();
  if (state.details && state.details.urn !== details.urn) {
    throw validationFailed([{ field: 'urn', message: `must be this school's URN (${state.details.urn})` }]);
  }
  if (state.details && sameSchoolDetails(state.details, details)) return [];
  return [{ type: 'SchoolDetailsRecorded', data: details }];
}

/**
 * Links a DfE Sign-in user, or records their changed details if already linked. Identity is the user id; the
 * details compare exactly except the email, which ignores case (a case-only change is not recorded).
 */
function linkUserToSchool(command: LinkUserToSchool, state: SchoolState): SchoolEvent[] {
  const data = fieldsOf(command.data);
  const v = new CommandValidation();
  const user: SchoolUserDetails = {
    userId: v.userId('userId', data.userId),
    email: v.email('email', data.email),
    firstName: v.personName('firstName', data.firstName),
    lastName: v.personName('lastName', data.lastName),
  };
  v.done();
  requireKnownSchool(state);
  const current = state.users[user.userId];
  if (!current) return [{ type: 'UserLinkedToSchool', data: user }];
  if (sameUserDetails(current, user)) return [];
  return [{ type: 'SchoolUserDetailsChanged', data: user }];
}

function unlinkUserFromSchool(command: UnlinkUserFromSchool, state: SchoolState): SchoolEvent[] {
  const data = fieldsOf(command.data);
  const v = new CommandValidation();
  const userId = v.userId('userId', data.userId);
  v.done();
  requireKnownSchool(state);
  if (!state.users[userId]) throw userNotLinked('not-found');
  return [{ type: 'UserUnlinkedFromSchool', data: { userId } }];
}

function sameSchoolDetails(a: SchoolDetails, b: SchoolDetails): boolean {
  return (
    a.urn === b.urn &&
    a.name === b.name &&
    a.status === b.status &&
    a.inEngland === b.inEngland &&
    a.eligibleType === b.eligibleType &&
    a.section41Approved === b.section41Approved &&
    sameOptionalEmail(a.primaryContactEmail, b.primaryContactEmail) &&
    sameOptionalEmail(a.secondaryContactEmail, b.secondaryContactEmail)
  );
}

function sameOptionalEmail(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : sameEmail(a, b);
}

function sameUserDetails(a: SchoolUserDetails, b: SchoolUserDetails): boolean {
  return sameEmail(a.email, b.email) && a.firstName === b.firstName && a.lastName === b.lastName;
}
