import { isLinked } from './school.queries';
import {
  ALICE,
  URN_A,
  URN_B,
  alice,
  detailsRecorded,
  given,
  nominateTutor,
  recordDetails,
  schoolDetails,
  stateOf,
  tutorNominated,
  userLinked,
  userUnlinked,
} from './school.spec-support';

describe('recording school details', () => {
  describe('when the school is not yet known', () => {
    it('records its details', () => {
      given([]).when(recordDetails()).then([detailsRecorded()]);
    });
  });

  describe('when the same details arrive again', () => {
    it('records nothing', () => {
      given([detailsRecorded()]).when(recordDetails()).then([]);
    });

    it('records nothing when a contact email differs only in case', () => {
      given([detailsRecorded()])
        .when(recordDetails(schoolDetails({ primaryContactEmail: 'Office@CheddarGrove.example.org' })))
        .then([]);
    });
  });

  describe('when a detail changed', () => {
    it('records the whole new snapshot', () => {
      given([detailsRecorded()])
        .when(recordDetails(schoolDetails({ status: 'closed', secondaryContactEmail: 'head@cheddargrove.example.org' })))
        .then([detailsRecorded({ status: 'closed', secondaryContactEmail: 'head@cheddargrove.example.org' })]);
    });

    it('records the change back as well', () => {
      given([detailsRecorded(), detailsRecorded({ name: 'Cheddar Grove Academy' })])
        .when(recordDetails())
        .then([detailsRecorded()]);
    });
  });

  describe('when the details name another URN than the school recorded', () => {
    it('is refused, naming the urn', () => {
      given([detailsRecorded()])
        .when(recordDetails(schoolDetails({ urn: URN_B })))
        .then({ code: 'VALIDATION_FAILED', kind: 'invalid', fields: ['urn'] });
    });
  });
});

describe('a person linked to two schools', () => {
  const schoolA = [detailsRecorded({ urn: URN_A }), userLinked(alice)];
  const schoolB = [detailsRecorded({ urn: URN_B }), userLinked(alice), userUnlinked(ALICE)];

  it('is linked to each school separately', () => {
    expect(isLinked(stateOf(schoolA), ALICE)).toBe(true);
    expect(isLinked(stateOf(schoolB), ALICE)).toBe(false);
  });

  it('still acts for the school they are linked to', () => {
    given(schoolA)
      .when(nominateTutor({ name: 'Sam Tutor', email: 'sam@a.example.org', contractPeriod: 2025 }))
      .then([tutorNominated('Sam Tutor', 'sam@a.example.org', 2025)]);
  });

  it('can no longer act for the school that unlinked them', () => {
    given(schoolB)
      .when(nominateTutor({ name: 'Sam Tutor', email: 'sam@b.example.org', contractPeriod: 2025 }))
      .then({ code: 'USER_NOT_LINKED', kind: 'forbidden' });
  });
});
