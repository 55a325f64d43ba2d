import { FEED_OUTBOX_SQL } from '@ect/feeds';
import type { ProjectionMigration } from '@ect/projection-runtime';
import { ERASURE_MIGRATION } from './lead-provider-contacts.erasure';

/**
 * `contacts` holds, per school, which lead provider sees it now and the snapshot it sees; `as_of` is the date the
 * row was computed for (it never goes back, so a late event cannot undo a date-driven review); `review_on` the date
 * it must be looked at again with no new event. The outbox step is idempotent DDL outside this schema (see
 * @ect/feeds): a rebuild runs it again harmlessly.
 */
export const leadProviderContactsMigrations: ProjectionMigration[] = [
  { id: '000-feed-outbox', sql: FEED_OUTBOX_SQL },
  {
    id: '001-tables',
    sql: `
      create table school_states (id text primary key, state jsonb not null);
      create table teacher_states (id text primary key, state jsonb not null);
      create table school_teachers (
        urn text not null,
        teacher_key text not null,
        role text not null,
        registration jsonb not null,
        primary key (urn, teacher_key, role)
      );
      create table contacts (
        urn text primary key,
        lead_provider_id text,
        snapshot jsonb,
        as_of date not null,
        review_on date,
        event_id text not null,
        position bigint not null
      );
      create index contacts_by_lead_provider on contacts (lead_provider_id, urn) where lead_provider_id is not null;
      create index contacts_to_review on contacts (review_on) where review_on is not null;
    `,
  },
  ERASURE_MIGRATION,
];
