import { inductionTutorNeedsConfirmation, isEligible, isLinked, linkedUser } from './school.queries';
import { toSchoolView } from './school.view';
import {
  ALICE,
  BOB,
  DP_1,
  LP_1,
  alice,
  bob,
  detailsRecorded,
  initial,
  partnershipConfirmed,
  stateOf,
  tutorConfirmed,
  tutorNominated,
  userLinked,
  userUnlinked,
} from './school.spec-support';

describe('an unknown school', () => {
  it('is not eligible, has no users and no view', () => {
    expect(isEligible(initial())).toBe(false);
    expect(isLinked(initial(), ALICE)).toBe(false);
    expect(toSchoolView(initial())).toBeNull();
  });
});

describe('a linked user', () => {
  const state = stateOf([detailsRecorded(), userLinked(alice)]);

  it('is found whatever the case of the id asked about', () => {
    expect(isLinked(state, ALICE.toUpperCase())).toBe(true);
    expect(linkedUser(state, ALICE)).toEqual(alice);
  });

  it('is not confused with anyone else, nor with no one', () => {
    expect(linkedUser(state, BOB)).toBeNull();
    expect(isLinked(state, null)).toBe(false);
    expect(isLinked(state, 'toString')).toBe(false);
  });
});

describe('whether the induction tutor needs confirming', () => {
  it('does when the current period is later than the one they were last nominated or confirmed for', () => {
    const state = stateOf([detailsRecorded(), tutorNominated('Sam', 'sam@example.org', 2024)]);
    expect(inductionTutorNeedsConfirmation(state, 2025)).toBe(true);
    expect(inductionTutorNeedsConfirmation(state, 2024)).toBe(false);
  });

  it('does not once they are confirmed for the current period', () => {
    const state = stateOf([detailsRecorded(), tutorNominated('Sam', 'sam@example.org', 2024), tutorConfirmed(2025)]);
    expect(inductionTutorNeedsConfirmation(state, 2025)).toBe(false);
  });

  it('does not when there is no tutor (the school needs a nomination instead)', () => {
    expect(inductionTutorNeedsConfirmation(stateOf([detailsRecorded()]), 2025)).toBe(false);
  });
});

describe('the school view', () => {
  it('shows details, eligibility, linked users, the tutor with their period, and partnerships', () => {
    const state = stateOf([
      detailsRecorded(),
      userLinked(alice),
      userLinked(bob),
      userUnlinked(ALICE),
      tutorNominated('Sam Tutor', 'sam@example.org', 2024),
      tutorConfirmed(2025),
      partnershipConfirmed(2025, LP_1, DP_1),
    ]);
    const view = toSchoolView(state);
    expect(view).toEqual({
      urn: '100001',
      details: {
        name: 'Cheddar Grove Primary School',
        status: 'open',
        inEngland: true,
        eligibleType: true,
        section41Approved: false,
        primaryContactEmail: 'office@cheddargrove.example.org',
        secondaryContactEmail: null,
      },
      eligible: true,
      linkedUsers: [bob],
      inductionTutor: { name: 'Sam Tutor', email: 'sam@example.org', contractPeriod: 2025 },
      partnerships: [{ contractPeriod: 2025, leadProviderId: LP_1, deliveryPartnerId: DP_1 }],
    });
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
