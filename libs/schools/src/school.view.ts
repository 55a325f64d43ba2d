import type { SchoolStatus } from './school.events';
import { isEligible } from './school.queries';
import type { SchoolState } from './school.state';

/** The plain JSON shape of a school's current state (`GET /v1/schools/{urn}/stream-state`). */
export type SchoolView = {
  urn: string;
  details: {
    name: string;
    status: SchoolStatus;
    inEngland: boolean;
    eligibleType: boolean;
    section41Approved: boolean;
    primaryContactEmail: string | null;
    secondaryContactEmail: string | null;
  };
  eligible: boolean;
  /** Currently linked users, in the order they were (last) linked. */
  linkedUsers: { userId: string; email: string; firstName: string; lastName: string }[];
  inductionTutor: { name: string; email: string; contractPeriod: number } | null;
  /** One entry per contract period with a partnership, by ascending period. */
  partnerships: { contractPeriod: number; leadProviderId: string; deliveryPartnerId: string }[];
};

/** Null when the school is unknown (its details were never recorded). */
export function toSchoolView(state: SchoolState): SchoolView | null {
  if (!state.details) return null;
  const { urn, ...details } = state.details;
  return {
    urn,
    details: { ...details },
    eligible: isEligible(state),
    linkedUsers: Object.values(state.users).map((u) => ({ ...u })),
    inductionTutor: state.inductionTutor ? { ...state.inductionTutor } : null,
    partnerships: Object.entries(state.partnerships)
      .map(([year, p]) => ({ contractPeriod: Number(year), leadProviderId: p.leadProviderId, deliveryPartnerId: p.deliveryPartnerId }))
      .sort((a, b) => a.contractPeriod - b.contractPeriod),
  };
}
