import type { ContractPeriodCalendar } from '@ect/contract-periods';
import type { NominateInductionTutor } from './school.commands';
import { contractPeriodInPast } from './school.errors';
import type { SchoolEvent } from './school.events';
import { fieldsOf, requireActingUserLinked, requireEligibleSchool, requireKnownSchool } from './school.guards';
import type { SchoolState } from './school.state';
import { CommandValidation, sameEmail } from './school.validation';

/**
 * One current SIT per school, never derived from the linked users. The SIT is the same person when the email matches
 * ignoring case; then:
 * - same name, same period: nothing to record;
 * - same name, later period: InductionTutorConfirmed (the stored email keeps its recorded form);
 * - different name (same or later period): InductionTutorNominated, which updates the name.
 * Anyone else is a new nomination that replaces the current SIT. A period earlier than the one the SIT was last
 * nominated or confirmed for is refused, whoever is named.
 */
export function nominateInductionTutor(command: NominateInductionTutor, state: SchoolState, calendar: ContractPeriodCalendar): SchoolEvent[] {
  const data = fieldsOf(command.data);
  const v = new CommandValidation(calendar);
  const name = v.personName('name', data.name);
  const email = v.email('email', data.email);
  const contractPeriod = v.contractPeriod('contractPeriod', data.contractPeriod);
  v.done();
  requireKnownSchool(state);
  requireActingUserLinked(state, command.metadata);
  requireEligibleSchool(state);

  const current = state.inductionTutor;
  if (current && contractPeriod < current.contractPeriod) throw contractPeriodInPast(contractPeriod, current.contractPeriod);
  if (current && sameEmail(current.email, email) && current.name === name) {
    return contractPeriod === current.contractPeriod ? [] : [{ type: 'InductionTutorConfirmed', data: { contractPeriod } }];
  }
  return [{ type: 'InductionTutorNominated', data: { name, email, contractPeriod } }];
}
