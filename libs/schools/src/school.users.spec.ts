import { linkedUser, isLinked } from './school.queries';
import {
  ALICE,
  BOB,
  alice,
  bob,
  detailsRecorded,
  given,
  linkUser,
  stateOf,
  unlinkUser,
  userDetailsChanged,
  userLinked,
  userUnlinked,
} from './school.spec-support';

describe('linking school users', () => {
  describe('when the school is not known', () => {
    it('is refused: school not found', () => {
      given([]).when(linkUser(alice)).then({ code: 'SCHOOL_NOT_FOUND', kind: 'not-found' });
    });
  });

  describe('when the user is not linked yet', () => {
    it('links them', () => {
      given([detailsRecorded()]).when(linkUser(alice)).then([userLinked(alice)]);
    });

    it('stores the DfE Sign-in id in lower case', () => {
      given([detailsRecorded()]).when(linkUser({ ...alice, userId: ALICE.toUpperCase() })).then([userLinked(alice)]);
    });

    it('trims names and emails', () => {
      given([detailsRecorded()])
        .when(linkUser({ ...alice, email: ` ${alice.email} `, firstName: ' Alice ' }))
        .then([userLinked(alice)]);
    });
  });

  describe('when the school already has a user', () => {
    it('links many users to one school', () => {
      given([detailsRecorded(), userLinked(alice)]).when(linkUser(bob)).then([userLinked(bob)]);
      const state = stateOf([detailsRecorded(), userLinked(alice), userLinked(bob)]);
      expect(isLinked(state, ALICE) && isLinked(state, BOB)).toBe(true);
    });
  });

  describe('when the user is already linked with the same details', () => {
    it('records nothing', () => {
      given([detailsRecorded(), userLinked(alice)]).when(linkUser(alice)).then([]);
    });

    it('records nothing when the email differs only in case', () => {
      given([detailsRecorded(), userLinked(alice)]).when(linkUser({ ...alice, email: alice.email.toUpperCase() })).then([]);
    });
  });

  describe('when the user is already linked with new details', () => {
    it('records the changed details', () => {
      const renamed = { ...alice, lastName: 'Armstrong', email: 'alice.armstrong@cheddargrove.example.org' };
      given([detailsRecorded(), userLinked(alice)]).when(linkUser(renamed)).then([userDetailsChanged(renamed)]);
      expect(linkedUser(stateOf([detailsRecorded(), userLinked(alice), userDetailsChanged(renamed)]), ALICE)).toEqual(renamed);
    });
  });

  describe('when the user was unlinked before', () => {
    it('links them again', () => {
      given([detailsRecorded(), userLinked(alice), userUnlinked(ALICE)]).when(linkUser(alice)).then([userLinked(alice)]);
    });
  });
});

describe('unlinking school users', () => {
  describe('when the user is linked', () => {
    it('unlinks them, leaving the others linked', () => {
      given([detailsRecorded(), userLinked(alice), userLinked(bob)]).when(unlinkUser(ALICE)).then([userUnlinked(ALICE)]);
      const state = stateOf([detailsRecorded(), userLinked(alice), userLinked(bob), userUnlinked(ALICE)]);
      expect(isLinked(state, ALICE)).toBe(false);
      expect(linkedUser(state, BOB)).toEqual(bob);
    });
  });

  describe('when the user is not linked', () => {
    it('is refused: user not linked (not found)', () => {
      given([detailsRecorded(), userLinked(bob)]).when(unlinkUser(ALICE)).then({ code: 'USER_NOT_LINKED', kind: 'not-found' });
    });

    it('is refused once they were unlinked already', () => {
      given([detailsRecorded(), userLinked(alice), userUnlinked(ALICE)])
        .when(unlinkUser(ALICE))
        .then({ code: 'USER_NOT_LINKED', kind: 'not-found' });
    });
  });

  describe('when the school is not known', () => {
    it('is refused: school not found', () => {
      given([]).when(unlinkUser(ALICE)).then({ code: 'SCHOOL_NOT_FOUND', kind: 'not-found' });
    });
  });
});
