import type { CommandRunner } from '@ect/command-runner';
import type { Projection } from '@ect/projection-runtime';
import { createMentorshipReactor } from './mentorship-reactor/mentorship-reactor';
import { schoolOverviewProjection } from './school-overview/school-overview.projection';
import { teacherHistoryProjection } from './teacher-history/teacher-history.projection';
import { leadProviderContactsProjection } from './lead-provider-contacts/lead-provider-contacts.projection';

export { schoolOverviewProjection, SCHOOL_OVERVIEW } from './school-overview/school-overview.projection';
export { schoolOverview, isLinkedInOverview } from './school-overview/school-overview.query';
export { teacherHistoryProjection, TEACHER_HISTORY } from './teacher-history/teacher-history.projection';
export { teacherHistory } from './teacher-history/teacher-history.query';
export { leadProviderContactsProjection, LEAD_PROVIDER_CONTACTS } from './lead-provider-contacts/lead-provider-contacts.projection';
export { reviewAllDueContacts, startContactReviews } from './lead-provider-contacts/contact-review';
export { LeadProviderContactsModule } from './lead-provider-contacts/lead-provider-contacts.module';
export { leadProviderContactsApiOperations } from './lead-provider-contacts/lead-provider-contacts.api';

/** Every read model the projector runs and the API reads. */
export const readModelProjections: Projection[] = [schoolOverviewProjection, teacherHistoryProjection, leadProviderContactsProjection];

/** Everything a projector process runs: the read models and the reactors (which send commands). */
export function allProjections(runner: CommandRunner): Projection[] {
  return [...readModelProjections, createMentorshipReactor(() => runner)];
}

/** Every projection's definition, for its tables' migrations; this copy of the reactor can send no commands. */
export const allProjectionDefinitions: Projection[] = [
  ...readModelProjections,
  createMentorshipReactor(() => {
    throw new Error('This definition of the mentorship reactor is for migrations only');
  }),
];
export { ReadModelsModule } from './read-models.module';
export { readModelApiOperations } from './read-models.api';
export { createMentorshipReactor, MENTORSHIP_REACTOR } from './mentorship-reactor/mentorship-reactor';
