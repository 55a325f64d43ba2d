import type { Migration } from '@ect/platform';
import { hashChainMigration } from './pg-hash-chain.migration';

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
  {
    id: 'event-store/002-append-function',
    // One round trip per append: the stream row upsert (which locks the stream and gives the transaction its id
    // before any position is drawn), the expected-version check, the inserts and the version update, in one call.
    sql: `
      create function es_append(
        p_stream text, p_expected_kind text, p_expected bigint,
        p_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[]
      ) returns table (next_version bigint, last_position bigint) language plpgsql as $$
      declare
        v_current bigint;
        v_count integer := cardinality(p_ids);
        v_last bigint;
      begin
        insert into es_streams as s (stream_name, version) values (p_stream, -1)
          on conflict (stream_name) do update set version = s.version
          returning s.version into v_current;
        if (p_expected_kind = 'exact' and v_current <> p_expected)
           or (p_expected_kind = 'no-stream' and v_current <> -1)
           or (p_expected_kind = 'stream-exists' and v_current = -1) then
          raise exception 'wrong expected version' using errcode = 'ES409', detail = v_current::text;
        end if;
        with inserted as (
          insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata)
          select e.id, p_stream, v_current + e.ord, e.t, e.sv, e.d, e.m
          from unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata) with ordinality as e(id, t, sv, d, m, ord)
          order by e.ord
          returning global_position
        )
        select max(global_position) into v_last from inserted;
        update es_streams set version = v_current + v_count where stream_name = p_stream;
        return query select v_current + v_count, v_last;
      end $$;
    `,
  },
  hashChainMigration,
];
