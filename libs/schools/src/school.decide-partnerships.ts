import type { ContractPeriodCalendar } from '@ect/contract-periods';
import type { ConfirmPartnership, EndPartnership } from './school.commands';
import { partnershipNotFound } from './school.errors';
import type { SchoolEvent } from './school.events';
import { fieldsOf, requireEligibleSchool, requireKnownSchool } from './school.guards';
import type { SchoolState } from './school.state';
import { CommandValidation } from './school.validation';

/**
 * At most one lead provider per school per contract period:
 * - no partnership for the period: confirmed;
 * - the same lead provider and delivery partner: nothing to record;
 * - the same lead provider with another delivery partner: confirmed again with the new delivery partner (the
 *   partnership with that lead provider goes on, so its contact feed sees no tombstone);
 * - another lead provider: the old partnership ends ('replaced') and the new one is confirmed, in one decision.
 * Lead providers act through a service, so no linked school user is required.
 */
export function confirmPartnership(command: ConfirmPartnership, state: SchoolState, calendar: ContractPeriodCalendar): SchoolEvent[] {
  const data = fieldsOf(command.data);
  const v = new CommandValidation(calendar);
  const contractPeriod = v.contractPeriod('contractPeriod', data.contractPeriod);
  const leadProviderId = v.referenceId('leadProviderId', data.leadProviderId);
  const deliveryPartnerId = v.referenceId('deliveryPartnerId', data.deliveryPartnerId);
  v.done();
  requireKnownSchool(state);
  requireEligibleSchool(state);

  const confirmed: SchoolEvent = { type: 'SchoolPartnershipConfirmed', data: { contractPeriod, leadProviderId, deliveryPartnerId } };
  const current = state.partnerships[contractPeriod];
  if (!current) return [confirmed];
  if (current.leadProviderId === leadProviderId) {
    return current.deliveryPartnerId === deliveryPartnerId ? [] : [confirmed];
  }
  return [{ type: 'SchoolPartnershipEnded', data: { contractPeriod, ...current, reason: 'replaced' } }, confirmed];
}

/** Ends the period's partnership; allowed whether or not the school is still eligible. */
export function endPartnership(command: EndPartnership, state: SchoolState, calendar: ContractPeriodCalendar): SchoolEvent[] {
  const data = fieldsOf(command.data);
  const v = new CommandValidation(calendar);
  const contractPeriod = v.contractPeriod('contractPeriod', data.contractPeriod);
  v.done();
  requireKnownSchool(state);
  const current = state.partnerships[contractPeriod];
  if (!current) throw partnershipNotFound(contractPeriod);
  return [{ type: 'SchoolPartnershipEnded', data: { contractPeriod, ...current, reason: 'ended' } }];
}
