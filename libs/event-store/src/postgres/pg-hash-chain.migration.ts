import type { Migration } from '@ect/platform';

/**
 * The hash chain (see `hash-chain.ts` for the canonical form, which `es_event_hash` builds as jsonb text).
 *
 * - `hash` and `prev_hash` are computed inside `es_append`, so an append stays one round trip and no client can
 *   store a hash of its own choosing through the event store. Both are nullable: a row without a hash was not
 *   written by `es_append` (the verifier reports it as inserted).
 * - `recorded_at` is truncated to milliseconds, the precision JavaScript dates (and EventStoreDB clients) carry, so
 *   every reader recomputes the hash from the `StoredEvent` it gets. Existing rows are truncated and hashed here
 *   (a development database may have some; production has none).
 * - The previous hash is read after the stream row is locked by the upsert, and each statement of the function
 *   takes a fresh snapshot, so it is the hash of the stream's last committed event: concurrent appends to a stream
 *   queue on that lock and chain one after the other.
 * - The recorded time is the clock once that lock is held (it was the transaction's start), so along a stream's
 *   versions recorded times never decrease (unless the server's clock steps back): "as of T" is a prefix of the stream.
 */
export const hashChainMigration: Migration = {
  id: 'event-store/003-hash-chain',
  sql: `
    alter table es_events add column prev_hash text, add column hash text;
    alter table es_events alter column recorded_at set default date_trunc('milliseconds', now());

    create function es_event_hash(
      p_stream text, p_version bigint, p_id uuid, p_type text, p_schema_version integer,
      p_data jsonb, p_metadata jsonb, p_recorded_at timestamptz, p_prev_hash text
    ) returns text language sql stable as $$
      select encode(sha256(convert_to(jsonb_build_object(
        'hashVersion', 1,
        'streamName', p_stream,
        'streamVersion', p_version,
        'eventId', p_id::text,
        'type', p_type,
        'schemaVersion', p_schema_version,
        'data', p_data,
        'metadata', p_metadata,
        'recordedAt', to_char(p_recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'prevHash', p_prev_hash
      )::text, 'UTF8')), 'hex')
    $$;

    update es_events set recorded_at = date_trunc('milliseconds', recorded_at)
      where recorded_at <> date_trunc('milliseconds', recorded_at);
    do $$
    declare
      r record;
      v_stream text;
      v_prev text;
    begin
      for r in select * from es_events order by stream_name, stream_version loop
        if v_stream is distinct from r.stream_name then
          v_stream := r.stream_name;
          v_prev := null;
        end if;
        update es_events
          set prev_hash = v_prev,
              hash = es_event_hash(r.stream_name, r.stream_version, r.event_id, r.event_type, r.schema_version,
                                   r.data, r.metadata, r.recorded_at, v_prev)
          where global_position = r.global_position
          returning hash into v_prev;
      end loop;
    end $$;

    create or replace function es_append(
      p_stream text, p_expected_kind text, p_expected bigint,
      p_ids uuid[], p_types text[], p_schema_versions integer[], p_data jsonb[], p_metadata jsonb[]
    ) returns table (next_version bigint, last_position bigint) language plpgsql as $$
    declare
      v_current bigint;
      v_count integer := cardinality(p_ids);
      v_last bigint;
      v_recorded timestamptz;
      v_prev text;
      v_prevs text[] := '{}';
      v_hashes text[] := '{}';
    begin
      insert into es_streams as s (stream_name, version) values (p_stream, -1)
        on conflict (stream_name) do update set version = s.version
        returning s.version into v_current;
      if (p_expected_kind = 'exact' and v_current <> p_expected)
         or (p_expected_kind = 'no-stream' and v_current <> -1)
         or (p_expected_kind = 'stream-exists' and v_current = -1) then
        raise exception 'wrong expected version' using errcode = 'ES409', detail = v_current::text;
      end if;
      -- Taken once the stream is locked, so recorded times never decrease along a stream's versions.
      v_recorded := date_trunc('milliseconds', clock_timestamp());
      if v_current >= 0 then
        select e.hash into v_prev from es_events e where e.stream_name = p_stream and e.stream_version = v_current;
      end if;
      for i in 1 .. v_count loop
        v_prevs := array_append(v_prevs, v_prev);
        v_prev := es_event_hash(p_stream, v_current + i, p_ids[i], p_types[i], p_schema_versions[i],
                                p_data[i], p_metadata[i], v_recorded, v_prev);
        v_hashes := array_append(v_hashes, v_prev);
      end loop;
      with inserted as (
        insert into es_events (event_id, stream_name, stream_version, event_type, schema_version, data, metadata,
                               recorded_at, prev_hash, hash)
        select e.id, p_stream, v_current + e.ord, e.t, e.sv, e.d, e.m, v_recorded, e.ph, e.h
        from unnest(p_ids, p_types, p_schema_versions, p_data, p_metadata, v_prevs, v_hashes)
          with ordinality as e(id, t, sv, d, m, ph, h, ord)
        order by e.ord
        returning global_position
      )
      select max(global_position) into v_last from inserted;
      update es_streams set version = v_current + v_count where stream_name = p_stream;
      return query select v_current + v_count, v_last;
    end $$;
  `,
};
