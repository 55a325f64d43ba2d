import type { Migration } from '@ect/platform';

/**
 * Event store schema. Positions come from a sequence starting at 0, one step at a time (no cache), so that an
 * unbroken run of positions is known complete; see `PostgresEventStore.readAll` for how gaps are resolved.
 */
export const eventStoreMigrations: Migration[] = [
  {
    id: 'event-store/001-events',
    sql: `
      create table es_streams (
        stream_name text primary key,
        version bigint not null
      );
      create sequence es_global_position_seq as bigint minvalue 0 start with 0 increment by 1 cache 1;
      create table es_events (
        global_position bigint primary key default nextval('es_global_position_seq'),
        event_id uuid not null unique,
        stream_name text not null,
        stream_version bigint not null,
        event_type text not null,
        schema_version integer not null,
        data jsonb not null,
        metadata jsonb not null,
        recorded_at timestamptz not null default now(),
        unique (stream_name, stream_version)
      );
      alter sequence es_global_position_seq owned by es_events.global_position;
    `,
  },
];
