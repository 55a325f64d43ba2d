import { DomainError, fold } from '@ect/command-runner';
import { ContractPeriodCalendar } from '@ect/contract-periods';
import type { SchoolCommand, SchoolCommandMetadata } from './school.commands';
import { createSchoolDecider } from './school.decider';
import type { SchoolDetails, SchoolEvent } from './school.events';
import type { SchoolState } from './school.state';

/** Test support for the school specs: a given/when/then helper and builders of commands and events. */

export const calendar = ContractPeriodCalendar.standard(2026);
export const decider = createSchoolDecider(calendar);

export const NOW = '2025-09-15T10:00:00.000Z';
export const URN_A = '100001';
export const URN_B = '100002';
export const ALICE = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
export const BOB = '7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d';
export const LP_1 = 'lead-provider-1';
export const LP_2 = 'lead-provider-2';
export const DP_1 = 'delivery-partner-1';
export const DP_2 = 'delivery-partner-2';

export function stateOf(events: SchoolEvent[]): SchoolState {
  return fold(decider, events);
}

export type Refusal = { code: string; kind?: DomainError['kind']; fields?: string[] };

export function given(history: SchoolEvent[]) {
  return {
    when(command: SchoolCommand) {
      return {
        /** Events expected (an empty list: nothing recorded), or the code (or code, kind, fields) of the refusal. */
        then(expected: SchoolEvent[] | string | Refusal): void {
          const state = stateOf(history);
          if (Array.isArray(expected)) {
            const events = decider.decide(command, state);
            expect(events).toEqual(expected);
            // The decision must fold: evolve knows every event decide returns.
            expect(() => events.reduce(decider.evolve, state)).not.toThrow();
            return;
          }
          const refusal = typeof expected === 'string' ? { code: expected } : expected;
          const error = catchError(() => decider.decide(command, state));
          expect(error).toBeInstanceOf(DomainError);
          const domainError = error as DomainError;
          expect(domainError.code).toBe(refusal.code);
          if (refusal.kind) expect(domainError.kind).toBe(refusal.kind);
          if (refusal.fields) expect(domainError.fields.map((f) => f.field).sort()).toEqual([...refusal.fields].sort());
        },
      };
    },
  };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the command to be refused, but it was accepted');
}

function metadata(actingUserId: string | null): SchoolCommandMetadata {
  return { now: NOW, actingUserId };
}

// ---- events ----

export function schoolDetails(overrides: Partial<SchoolDetails> = {}): SchoolDetails {
  return {
    urn: URN_A,
    name: 'Cheddar Grove Primary School',
    status: 'open',
    inEngland: true,
    eligibleType: true,
    section41Approved: false,
    primaryContactEmail: 'office@cheddargrove.example.org',
    secondaryContactEmail: null,
    ...overrides,
  };
}

export const detailsRecorded = (overrides: Partial<SchoolDetails> = {}): SchoolEvent => ({
  type: 'SchoolDetailsRecorded',
  data: schoolDetails(overrides),
});

export const alice = { userId: ALICE, email: 'alice@cheddargrove.example.org', firstName: 'Alice', lastName: 'Andrews' };
export const bob = { userId: BOB, email: 'bob@cheddargrove.example.org', firstName: 'Bob', lastName: 'Baker' };

export const userLinked = (user: typeof alice): SchoolEvent => ({ type: 'UserLinkedToSchool', data: { ...user } });
export const userDetailsChanged = (user: typeof alice): SchoolEvent => ({ type: 'SchoolUserDetailsChanged', data: { ...user } });
export const userUnlinked = (userId: string): SchoolEvent => ({ type: 'UserUnlinkedFromSchool', data: { userId } });

export const tutorNominated = (name: string, email: string, contractPeriod: number): SchoolEvent => ({
  type: 'InductionTutorNominated',
  data: { name, email, contractPeriod },
});
export const tutorConfirmed = (contractPeriod: number): SchoolEvent => ({ type: 'InductionTutorConfirmed', data: { contractPeriod } });

export const partnershipConfirmed = (contractPeriod: number, leadProviderId: string, deliveryPartnerId: string): SchoolEvent => ({
  type: 'SchoolPartnershipConfirmed',
  data: { contractPeriod, leadProviderId, deliveryPartnerId },
});
export const partnershipEnded = (
  contractPeriod: number,
  leadProviderId: string,
  deliveryPartnerId: string,
  reason: 'ended' | 'replaced',
): SchoolEvent => ({ type: 'SchoolPartnershipEnded', data: { contractPeriod, leadProviderId, deliveryPartnerId, reason } });

// ---- commands ----

export const recordDetails = (data: Record<string, unknown> = schoolDetails()): SchoolCommand => ({
  type: 'RecordSchoolDetails',
  data: data as SchoolDetails,
  metadata: metadata(null),
});

export const linkUser = (data: Record<string, unknown>): SchoolCommand =>
  ({ type: 'LinkUserToSchool', data, metadata: metadata(null) }) as SchoolCommand;

export const unlinkUser = (userId: unknown): SchoolCommand =>
  ({ type: 'UnlinkUserFromSchool', data: { userId }, metadata: metadata(null) }) as SchoolCommand;

export const nominateTutor = (data: Record<string, unknown>, actingUserId: string | null = ALICE): SchoolCommand =>
  ({ type: 'NominateInductionTutor', data, metadata: metadata(actingUserId) }) as SchoolCommand;

export const confirmPartnership = (data: Record<string, unknown>): SchoolCommand =>
  ({ type: 'ConfirmPartnership', data, metadata: metadata(null) }) as SchoolCommand;

export const endPartnership = (contractPeriod: unknown): SchoolCommand =>
  ({ type: 'EndPartnership', data: { contractPeriod }, metadata: metadata(null) }) as SchoolCommand;

export const initial = (): SchoolState => decider.initialState();
