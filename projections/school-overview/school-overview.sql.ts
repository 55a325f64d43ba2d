import type { ProjectionMigration } from '@ect/projection-runtime';

/**
 * Tables of the school overview (created in the projection's own schema; see libs/projection-runtime).
 * Statuses (ongoing, leaving, left) are not stored: they depend on today, so queries derive them from dates.
 */
export const schoolOverviewMigrations: ProjectionMigration[] = [
  {
    id: '001-tables',
    sql: `
      create table school_states (id text primary key, state jsonb not null);
      create table schools (
        urn text primary key,
        name text not null,
        status text not null,
        in_england boolean not null,
        eligible_type boolean not null,
        section41_approved boolean not null,
        primary_contact_email text,
        secondary_contact_email text,
        induction_tutor_name text,
        induction_tutor_email text,
        induction_tutor_contract_period integer
      );
      create table school_users (
        urn text not null,
        user_id text not null,
        email text not null,
        first_name text not null,
        last_name text not null,
        linked_since timestamptz not null,
        primary key (urn, user_id)
      );
      create table partnerships (
        urn text not null,
        contract_period integer not null,
        lead_provider_id text not null,
        delivery_partner_id text not null,
        primary key (urn, contract_period)
      );
      create table ects (
        teacher_key text not null,
        seq integer not null,
        urn text not null,
        trn text not null,
        first_name text not null,
        last_name text not null,
        email text not null,
        start_date date not null,
        leaving_on date,
        leaving_reason text,
        working_pattern text not null,
        training_programme text not null,
        lead_provider_id text,
        appropriate_body_id text not null,
        registered_by jsonb not null,
        primary key (teacher_key, seq)
      );
      create index ects_by_school on ects (urn, last_name, first_name);
      create table mentors (
        teacher_key text not null,
        seq integer not null,
        urn text not null,
        trn text not null,
        first_name text not null,
        last_name text not null,
        email text not null,
        start_date date not null,
        leaving_on date,
        leaving_reason text,
        registered_by jsonb not null,
        primary key (teacher_key, seq)
      );
      create index mentors_by_school on mentors (urn, last_name, first_name);
      create table mentorships (
        ect_key text not null,
        seq integer not null,
        urn text not null,
        mentor_trn text not null,
        start_date date not null,
        ended_on date,
        primary key (ect_key, seq)
      );
      create index mentorships_by_school on mentorships (urn, mentor_trn);
    `,
  },
  {
    // Whose personal data a row holds (`<type>:<hash>`, from the decrypting store), so an erasure finds it.
    id: '002-personal-data-subjects',
    sql: `
      alter table school_users add column subject text;
      create index school_users_by_subject on school_users (subject) where subject is not null;
      alter table schools add column induction_tutor_subject text;
      alter table ects add column registered_by_subject text;
      alter table mentors add column registered_by_subject text;
    `,
  },
];
