import type { SchoolCommand } from './school.commands';
import {
  ALICE,
  DP_1,
  LP_1,
  alice,
  confirmPartnership,
  detailsRecorded,
  endPartnership,
  given,
  linkUser,
  nominateTutor,
  recordDetails,
  schoolDetails,
  unlinkUser,
  userLinked,
} from './school.spec-support';

const school = [detailsRecorded(), userLinked(alice)];
const tutor = { name: 'Sam Tutor', email: 'sam.tutor@example.org', contractPeriod: 2025 };
const partnership = { contractPeriod: 2025, leadProviderId: LP_1, deliveryPartnerId: DP_1 };
const longEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.uk`; // 259 characters

/** [situation, command, field named] */
const invalid: [string, SchoolCommand, string][] = [
  ['a URN of 5 digits', recordDetails(schoolDetails({ urn: '12345' })), 'urn'],
  ['a URN with letters', recordDetails(schoolDetails({ urn: '10000A' })), 'urn'],
  ['a blank school name', recordDetails(schoolDetails({ name: '  ' })), 'name'],
  ['an unknown status', recordDetails({ ...schoolDetails(), status: 'shut' }), 'status'],
  ['a missing inEngland', recordDetails({ ...schoolDetails(), inEngland: undefined }), 'inEngland'],
  ['a text eligibleType', recordDetails({ ...schoolDetails(), eligibleType: 'yes' }), 'eligibleType'],
  ['a missing section41Approved', recordDetails({ ...schoolDetails(), section41Approved: undefined }), 'section41Approved'],
  ['an invalid primary contact email', recordDetails(schoolDetails({ primaryContactEmail: 'office' })), 'primaryContactEmail'],
  ['a missing secondary contact email', recordDetails({ ...schoolDetails(), secondaryContactEmail: undefined }), 'secondaryContactEmail'],
  ['a user id that is not a UUID', linkUser({ ...alice, userId: 'alice' }), 'userId'],
  ['an email without a domain', linkUser({ ...alice, email: 'alice@' }), 'email'],
  ['an email with two @', linkUser({ ...alice, email: 'a@b@example.org' }), 'email'],
  ['an email longer than 254 characters', linkUser({ ...alice, email: longEmail }), 'email'],
  ['an empty first name', linkUser({ ...alice, firstName: '' }), 'firstName'],
  ['a last name of 71 characters', linkUser({ ...alice, lastName: 'x'.repeat(71) }), 'lastName'],
  ['a name with a control character', linkUser({ ...alice, lastName: 'Andrews\n' + 'x' }), 'lastName'],
  ['an unlink without a user id', unlinkUser(undefined), 'userId'],
  ['a tutor name of 71 characters', nominateTutor({ ...tutor, name: 'x'.repeat(71) }), 'name'],
  ['a tutor email that is not an address', nominateTutor({ ...tutor, email: 'sam tutor@example.org' }), 'email'],
  ['a contract period not configured (2020)', nominateTutor({ ...tutor, contractPeriod: 2020 }), 'contractPeriod'],
  ['a contract period not configured (2030)', nominateTutor({ ...tutor, contractPeriod: 2030 }), 'contractPeriod'],
  ['a contract period as text', nominateTutor({ ...tutor, contractPeriod: '2025' }), 'contractPeriod'],
  ['a fractional contract period', confirmPartnership({ ...partnership, contractPeriod: 2025.5 }), 'contractPeriod'],
  ['a missing lead provider', confirmPartnership({ ...partnership, leadProviderId: undefined }), 'leadProviderId'],
  ['a delivery partner id with spaces', confirmPartnership({ ...partnership, deliveryPartnerId: 'dp one' }), 'deliveryPartnerId'],
  ['an end without a contract period', endPartnership(undefined), 'contractPeriod'],
];

describe('commands with an invalid field', () => {
  it.each(invalid)('refuses %s, naming the field', (_situation, command, field) => {
    given(school).when(command).then({ code: 'VALIDATION_FAILED', kind: 'invalid', fields: [field] });
  });
});

describe('a command with several invalid fields', () => {
  it('names every one of them in one refusal', () => {
    given(school)
      .when(linkUser({ userId: 42, email: null, firstName: 'x'.repeat(71), lastName: '' }))
      .then({ code: 'VALIDATION_FAILED', kind: 'invalid', fields: ['userId', 'email', 'firstName', 'lastName'] });
  });
});

describe('a command with no data at all', () => {
  it('names the fields it needs', () => {
    given(school)
      .when({ type: 'NominateInductionTutor', data: undefined, metadata: { now: '2025-09-15T10:00:00Z', actingUserId: ALICE } } as unknown as SchoolCommand)
      .then({ code: 'VALIDATION_FAILED', kind: 'invalid', fields: ['name', 'email', 'contractPeriod'] });
  });
});

describe('validation comes before the state is consulted', () => {
  it('refuses an invalid command for an unknown school as invalid, not as not found', () => {
    given([]).when(linkUser({ ...alice, userId: 'nope' })).then({ code: 'VALIDATION_FAILED', fields: ['userId'] });
  });
});

describe('valid edge values', () => {
  it('accepts names of exactly 70 characters and plus-addressed emails', () => {
    const user = { ...alice, firstName: 'é'.repeat(70), email: 'alice+ect@mail.cheddar-grove.example.org' };
    given([detailsRecorded()]).when(linkUser(user)).then([userLinked(user)]);
  });
});
