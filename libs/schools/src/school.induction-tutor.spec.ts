import { BOB, alice, detailsRecorded, given, nominateTutor, tutorConfirmed, tutorNominated, userLinked, userUnlinked, ALICE } from './school.spec-support';

const school = [detailsRecorded(), userLinked(alice)];
const sam = { name: 'Sam Tutor', email: 'sam.tutor@example.org' };
const kim = { name: 'Kim Lead', email: 'kim.lead@example.org' };

describe('nominating the induction tutor', () => {
  describe('when the school has no induction tutor', () => {
    it('nominates the person named', () => {
      given(school).when(nominateTutor({ ...sam, contractPeriod: 2025 })).then([tutorNominated(sam.name, sam.email, 2025)]);
    });
  });

  describe('when the person named is not a user of the school', () => {
    it('nominates them all the same: the SIT need not be a linked user', () => {
      given(school).when(nominateTutor({ ...kim, contractPeriod: 2025 })).then([tutorNominated(kim.name, kim.email, 2025)]);
    });
  });

  describe('when the acting user is the one nominated', () => {
    it('nominates them like anyone else', () => {
      const self = { name: 'Alice Andrews', email: alice.email };
      given(school).when(nominateTutor({ ...self, contractPeriod: 2025 })).then([tutorNominated(self.name, self.email, 2025)]);
    });
  });

  describe('when a different person is named', () => {
    it('nominates them, replacing the current SIT (one current SIT)', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2025)])
        .when(nominateTutor({ ...kim, contractPeriod: 2025 }))
        .then([tutorNominated(kim.name, kim.email, 2025)]);
    });
  });

  describe('when the current SIT is named again for the same period', () => {
    it('records nothing', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2025)]).when(nominateTutor({ ...sam, contractPeriod: 2025 })).then([]);
    });

    it('records nothing when the email differs only in case', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2025)])
        .when(nominateTutor({ ...sam, email: 'Sam.Tutor@EXAMPLE.org', contractPeriod: 2025 }))
        .then([]);
    });
  });

  describe('when the current SIT is named with another name', () => {
    it('nominates again, updating the name', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2025)])
        .when(nominateTutor({ name: 'Samantha Tutor', email: sam.email, contractPeriod: 2025 }))
        .then([tutorNominated('Samantha Tutor', sam.email, 2025)]);
    });
  });

  describe('when the current SIT is named for a later contract period', () => {
    it('confirms them for that period', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2024)]).when(nominateTutor({ ...sam, contractPeriod: 2025 })).then([tutorConfirmed(2025)]);
    });

    it('records nothing once they are confirmed for it', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2024), tutorConfirmed(2025)])
        .when(nominateTutor({ ...sam, contractPeriod: 2025 }))
        .then([]);
    });

    it('nominates again when the name changed as well', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2024)])
        .when(nominateTutor({ name: 'Samantha Tutor', email: sam.email, contractPeriod: 2025 }))
        .then([tutorNominated('Samantha Tutor', sam.email, 2025)]);
    });
  });

  describe('when the period is earlier than the one the SIT was last nominated or confirmed for', () => {
    it('refuses the same person', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2024), tutorConfirmed(2025)])
        .when(nominateTutor({ ...sam, contractPeriod: 2024 }))
        .then({ code: 'CONTRACT_PERIOD_IN_PAST', kind: 'unprocessable', fields: ['contractPeriod'] });
    });

    it('refuses a different person', () => {
      given([...school, tutorNominated(sam.name, sam.email, 2025)])
        .when(nominateTutor({ ...kim, contractPeriod: 2024 }))
        .then({ code: 'CONTRACT_PERIOD_IN_PAST', kind: 'unprocessable' });
    });
  });

  describe('when the acting user is not linked to the school', () => {
    it('is refused for a user never linked', () => {
      given(school).when(nominateTutor({ ...sam, contractPeriod: 2025 }, BOB)).then({ code: 'USER_NOT_LINKED', kind: 'forbidden' });
    });

    it('is refused for a user since unlinked', () => {
      given([...school, userUnlinked(ALICE)])
        .when(nominateTutor({ ...sam, contractPeriod: 2025 }))
        .then({ code: 'USER_NOT_LINKED', kind: 'forbidden' });
    });

    it('is refused when no user acts', () => {
      given(school).when(nominateTutor({ ...sam, contractPeriod: 2025 }, null)).then({ code: 'USER_NOT_LINKED', kind: 'forbidden' });
    });
  });

  describe('when the school is not eligible', () => {
    const cases = [
      ['closed', { status: 'closed' as const }],
      ['proposed to open', { status: 'proposed_to_open' as const }],
      ['outside England', { inEngland: false }],
      ['of an ineligible type without section 41 approval', { eligibleType: false }],
    ] as const;
    it.each(cases)('is refused when the school is %s', (_label, overrides) => {
      given([detailsRecorded(overrides), userLinked(alice)])
        .when(nominateTutor({ ...sam, contractPeriod: 2025 }))
        .then({ code: 'SCHOOL_NOT_ELIGIBLE', kind: 'unprocessable' });
    });

    it('accepts an independent school with section 41 approval', () => {
      given([detailsRecorded({ eligibleType: false, section41Approved: true }), userLinked(alice)])
        .when(nominateTutor({ ...sam, contractPeriod: 2025 }))
        .then([tutorNominated(sam.name, sam.email, 2025)]);
    });
  });

  describe('when the school is not known', () => {
    it('is refused: school not found', () => {
      given([]).when(nominateTutor({ ...sam, contractPeriod: 2025 })).then({ code: 'SCHOOL_NOT_FOUND', kind: 'not-found' });
    });
  });
});
