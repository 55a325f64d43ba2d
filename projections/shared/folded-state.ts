import type { StoredEvent } from '@ect/event-store';
import type { ProjectionContext } from '@ect/projection-runtime';

/**
 * Read models here keep, per stream, the state folded with the domain's own `evolve` (so a read model can never
 * disagree with what the deciders see), and derive their query tables from it. The state lives in the projection's
 * own `<table>(id, state)`; it is rebuilt with the rest on a rebuild.
 */
export async function foldInto<State, Event>(
  ctx: ProjectionContext,
  table: string,
  id: string,
  event: Event,
  initial: () => State,
  evolve: (state: State, event: Event) => State,
): Promise<State> {
  const { rows } = await ctx.query<{ state: State }>(`select state from ${ctx.table(table)} where id = $1`, [id]);
  const next = evolve(rows[0]?.state ?? initial(), event);
  await ctx.query(
    `insert into ${ctx.table(table)} (id, state) values ($1, $2) on conflict (id) do update set state = excluded.state`,
    [id, JSON.stringify(next)],
  );
  return next;
}

/** The key part of a stream name: `teacher-<key>` → `<key>`. */
export function streamId(event: StoredEvent): string {
  return event.streamName.slice(event.streamName.indexOf('-') + 1);
}

/** The next sequence number of a teacher's rows in a table: `(select coalesce(max(seq) + 1, 0) ...)` ($1 = key). */
export const nextSeq = (table: string, keyColumn = 'teacher_key') => `(select coalesce(max(seq) + 1, 0) from ${table} where ${keyColumn} = $1)`;

/** Where-clause for a teacher's latest row at a school ($1 = key, $2 = school URN), as `evolveTeacher` updates it. */
export const latestAt = (table: string, extra = '') =>
  `teacher_key = $1 and urn = $2${extra} and seq = (select max(seq) from ${table} where teacher_key = $1 and urn = $2${extra})`;
