import { toSchoolView } from './school.view';
import {
  DP_1,
  DP_2,
  LP_1,
  LP_2,
  confirmPartnership,
  detailsRecorded,
  endPartnership,
  given,
  partnershipConfirmed,
  partnershipEnded,
  stateOf,
} from './school.spec-support';

const school = [detailsRecorded()];

describe('confirming a partnership', () => {
  describe('when the school has none for the period', () => {
    it('confirms it', () => {
      given(school)
        .when(confirmPartnership({ contractPeriod: 2025, leadProviderId: LP_1, deliveryPartnerId: DP_1 }))
        .then([partnershipConfirmed(2025, LP_1, DP_1)]);
    });

    it('keeps partnerships of other periods apart', () => {
      given([...school, partnershipConfirmed(2024, LP_1, DP_1)])
        .when(confirmPartnership({ contractPeriod: 2025, leadProviderId: LP_2, deliveryPartnerId: DP_2 }))
        .then([partnershipConfirmed(2025, LP_2, DP_2)]);
      const view = toSchoolView(stateOf([...school, partnershipConfirmed(2025, LP_2, DP_2), partnershipConfirmed(2024, LP_1, DP_1)]));
      expect(view?.partnerships).toEqual([
        { contractPeriod: 2024, leadProviderId: LP_1, deliveryPartnerId: DP_1 },
        { contractPeriod: 2025, leadProviderId: LP_2, deliveryPartnerId: DP_2 },
      ]);
    });
  });

  describe('when the same partnership is confirmed again', () => {
    it('records nothing', () => {
      given([...school, partnershipConfirmed(2025, LP_1, DP_1)])
        .when(confirmPartnership({ contractPeriod: 2025, leadProviderId: LP_1, deliveryPartnerId: DP_1 }))
        .then([]);
    });
  });

  describe('when the same lead provider names another delivery partner', () => {
    it('confirms the partnership again with the new delivery partner, without ending it', () => {
      given([...school, partnershipConfirmed(2025, LP_1, DP_1)])
        .when(confirmPartnership({ contractPeriod: 2025, leadProviderId: LP_1, deliveryPartnerId: DP_2 }))
        .then([partnershipConfirmed(2025, LP_1, DP_2)]);
    });
  });

  describe('when another lead provider is confirmed for the same period', () => {
    it('ends the old partnership as replaced and confirms the new one, in one decision', () => {
      given([...school, partnershipConfirmed(2025, LP_1, DP_1)])
        .when(confirmPartnership({ contractPeriod: 2025, leadProviderId: LP_2, deliveryPartnerId: DP_2 }))
        .then([partnershipEnded(2025, LP_1, DP_1, 'replaced'), partnershipConfirmed(2025, LP_2, DP_2)]);
      const view = toSchoolView(stateOf([...school, partnershipConfirmed(2025, LP_1, DP_1), partnershipEnded(2025, LP_1, DP_1, 'replaced'), partnershipConfirmed(2025, LP_2, DP_2)]));
      expect(view?.partnerships).toEqual([{ contractPeriod: 2025, leadProviderId: LP_2, deliveryPartnerId: DP_2 }]);
    });
  });

  describe('when the school is not eligible', () => {
    it('is refused', () => {
      given([detailsRecorded({ status: 'closed' })])
        .when(confirmPartnership({ contractPeriod: 2025, leadProviderId: LP_1, deliveryPartnerId: DP_1 }))
        .then({ code: 'SCHOOL_NOT_ELIGIBLE', kind: 'unprocessable' });
    });
  });

  describe('when the school is not known', () => {
    it('is refused: school not found', () => {
      given([])
        .when(confirmPartnership({ contractPeriod: 2025, leadProviderId: LP_1, deliveryPartnerId: DP_1 }))
        .then({ code: 'SCHOOL_NOT_FOUND', kind: 'not-found' });
    });
  });
});

describe('ending a partnership', () => {
  describe('when the school has one for the period', () => {
    it('ends it', () => {
      given([...school, partnershipConfirmed(2025, LP_1, DP_1)]).when(endPartnership(2025)).then([partnershipEnded(2025, LP_1, DP_1, 'ended')]);
    });

    it('ends it even when the school has since closed', () => {
      given([...school, partnershipConfirmed(2025, LP_1, DP_1), detailsRecorded({ status: 'closed' })])
        .when(endPartnership(2025))
        .then([partnershipEnded(2025, LP_1, DP_1, 'ended')]);
    });
  });

  describe('when the school has none for the period', () => {
    it('is refused: partnership not found', () => {
      given([...school, partnershipConfirmed(2024, LP_1, DP_1)]).when(endPartnership(2025)).then({ code: 'PARTNERSHIP_NOT_FOUND', kind: 'not-found' });
    });

    it('is refused once it has ended', () => {
      given([...school, partnershipConfirmed(2025, LP_1, DP_1), partnershipEnded(2025, LP_1, DP_1, 'ended')])
        .when(endPartnership(2025))
        .then({ code: 'PARTNERSHIP_NOT_FOUND', kind: 'not-found' });
    });
  });
});
