import type { StoredEvent } from '@ect/event-store';
import type { ProjectionContext } from '@ect/projection-runtime';
import { ERASED, erasedSubject, subjectAt } from '../shared/erasure';

/**
 * Where this read model holds each person's data, from the subjects the decrypting store tags fields with:
 * `user:<userId>` (a linked user in the school state), `sit` (the school's current induction tutor),
 * `registered-by:<teacherKey>:<userId>` (who registered a teacher at the school). Teachers are found by key.
 */
export const ERASURE_MIGRATION = {
  id: '002-personal-data-subjects',
  sql: `create table personal_subjects (subject text not null, urn text not null, locator text not null, primary key (subject, urn, locator));`,
};

export async function rememberSubjects(ctx: ProjectionContext, stored: StoredEvent, urn: string): Promise<void> {
  const table = ctx.table('personal_subjects');
  const add = (subject: string | null, locator: string) =>
    subject ? ctx.query(`insert into ${table} values ($1, $2, $3) on conflict do nothing`, [subject, urn, locator]) : undefined;
  const data = stored.data as { userId?: string; registeredBy?: { userId: string } };
  if (stored.type === 'UserLinkedToSchool' || stored.type === 'SchoolUserDetailsChanged') await add(subjectAt(stored, 'email'), `user:${data.userId}`);
  if (stored.type === 'InductionTutorNominated') {
    await ctx.query(`delete from ${table} where urn = $1 and locator = 'sit'`, [urn]);
    await add(subjectAt(stored, 'email'), 'sit');
  }
  if (stored.type === 'ECTRegistered' || stored.type === 'MentorRegistered') {
    const key = stored.streamName.slice(stored.streamName.indexOf('-') + 1);
    await add(subjectAt(stored, 'registeredBy.email'), `registered-by:${key}:${data.registeredBy!.userId}`);
  }
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const blank = (o: Json | null | undefined, fields: string[]) => (o ? { ...o, ...Object.fromEntries(fields.map((f) => [f, ERASED])) } : o);

/**
 * Blanks the person's values in the folded states and teacher rows, as a rebuild would now read them, and returns
 * the schools whose snapshot must be recomputed (a new one goes to the feed, live).
 */
export async function erasePerson(ctx: ProjectionContext, stored: StoredEvent): Promise<string[]> {
  const { subject, ref } = erasedSubject(stored);
  const state = async (table: string, id: string) => (await ctx.query<{ state: Json }>(`select state from ${ctx.table(table)} where id = $1`, [id])).rows[0]?.state;
  const save = (table: string, id: string, value: Json) => ctx.query(`update ${ctx.table(table)} set state = $2 where id = $1`, [id, JSON.stringify(value)]);
  const urns = new Set<string>();
  if (subject.type === 'teacher') {
    const teacher = await state('teacher_states', subject.id);
    if (teacher) {
      const registration = (r: Json) => blank(r, ['firstName', 'lastName', 'email']);
      await save('teacher_states', subject.id, { ...teacher, trn: teacher.trn === null ? null : ERASED, ectRegistrations: teacher.ectRegistrations.map(registration), mentorRegistrations: teacher.mentorRegistrations.map(registration) });
      const mentees = await ctx.query<{ id: string; state: Json }>(
        `select id, state from ${ctx.table('teacher_states')} where state->'mentorships' @> jsonb_build_array(jsonb_build_object('mentorTrn', $1::text))`,
        [teacher.trn],
      );
      for (const m of mentees.rows) {
        await save('teacher_states', m.id, { ...m.state, mentorships: m.state.mentorships.map((x: Json) => (x.mentorTrn === teacher.trn ? { ...x, mentorTrn: ERASED } : x)) });
      }
    }
    const rows = await ctx.query<{ urn: string }>(
      `update ${ctx.table('school_teachers')} set registration = registration || jsonb_build_object('trn', $2::text, 'firstName', $2::text, 'lastName', $2::text)
       where teacher_key = $1 returning urn`,
      [subject.id, ERASED],
    );
    rows.rows.forEach((r) => urns.add(r.urn));
    return [...urns];
  }
  const refs = await ctx.query<{ urn: string; locator: string }>(`select urn, locator from ${ctx.table('personal_subjects')} where subject = $1`, [ref]);
  for (const { urn, locator } of refs.rows) {
    urns.add(urn);
    const [kind, a, b] = locator.split(':');
    if (kind === 'registered-by') {
      const teacher = await state('teacher_states', a);
      const by = (r: Json) => (r.registeredBy?.userId === b ? { ...r, registeredBy: blank(r.registeredBy, ['email', 'name']) } : r);
      if (teacher) await save('teacher_states', a, { ...teacher, ectRegistrations: teacher.ectRegistrations.map(by), mentorRegistrations: teacher.mentorRegistrations.map(by) });
      await ctx.query(
        `update ${ctx.table('school_teachers')} set registration = jsonb_set(registration, '{registeredBy}', (registration->'registeredBy') || jsonb_build_object('email', $4::text, 'name', $4::text))
         where urn = $1 and teacher_key = $2 and registration->'registeredBy'->>'userId' = $3`,
        [urn, a, b, ERASED],
      );
      continue;
    }
    const school = await state('school_states', urn);
    if (!school) continue;
    if (kind === 'user' && school.users[a]) await save('school_states', urn, { ...school, users: { ...school.users, [a]: blank(school.users[a], ['email', 'firstName', 'lastName']) } });
    if (kind === 'sit' && school.inductionTutor) await save('school_states', urn, { ...school, inductionTutor: blank(school.inductionTutor, ['name', 'email']) });
  }
  return [...urns];
}

/**
 * Live only: the feed keeps no older message of these schools in the outbox (sent or not) once a newer one is queued,
 * so the outbox holds the person's data no longer; the topic's latest value per school is the new snapshot.
 */
export async function pruneSupersededMessages(ctx: ProjectionContext, urns: string[]): Promise<void> {
  await ctx.query(
    `delete from feeds.outbox o where o.key = any($1::text[]) and exists (select 1 from feeds.outbox n where n.topic = o.topic and n.key = o.key and n.id > o.id)`,
    [urns],
  );
}
