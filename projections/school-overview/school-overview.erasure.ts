import type { StoredEvent } from '@ect/event-store';
import type { ProjectionContext } from '@ect/projection-runtime';
import { ERASED, erasedSubject } from '../shared/erasure';

/**
 * PersonalDataErased: blanks (ERASED) every value of that person the overview holds, in its tables and in the
 * folded school state, as a rebuild would now produce them (the store reads their fields as ERASED). A teacher is
 * found by key, users and induction tutors by the subject the rows were tagged with when their events were applied.
 */
export async function onPersonalDataErased(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const { subject, ref } = erasedSubject(stored);
  const t = (name: string) => ctx.table(name);
  if (subject.type === 'teacher') {
    const { rows } = await ctx.query<{ trn: string }>(
      `select trn from ${t('ects')} where teacher_key = $1 and trn <> $2 union select trn from ${t('mentors')} where teacher_key = $1 and trn <> $2`,
      [subject.id, ERASED],
    );
    for (const table of ['ects', 'mentors']) {
      await ctx.query(`update ${t(table)} set trn = $2, first_name = $2, last_name = $2, email = $2 where teacher_key = $1`, [subject.id, ERASED]);
    }
    await ctx.query(`update ${t('mentorships')} set mentor_trn = $2 where mentor_trn = any($1::text[])`, [rows.map((r) => r.trn), ERASED]);
  } else if (subject.type === 'user') {
    const users = await ctx.query<{ urn: string; user_id: string }>(
      `update ${t('school_users')} set email = $2, first_name = $2, last_name = $2 where subject = $1 returning urn, user_id`,
      [ref, ERASED],
    );
    for (const { urn, user_id } of users.rows) {
      await ctx.query(
        `update ${t('school_states')} set state = jsonb_set(state, array['users', $2::text], (state->'users'->$2::text) || jsonb_build_object('email', $3::text, 'firstName', $3::text, 'lastName', $3::text))
         where id = $1 and state->'users' ? $2::text`,
        [urn, user_id, ERASED],
      );
    }
    for (const table of ['ects', 'mentors']) {
      await ctx.query(
        `update ${t(table)} set registered_by = registered_by || jsonb_build_object('email', $2::text, 'name', $2::text) where registered_by_subject = $1`,
        [ref, ERASED],
      );
    }
  } else {
    const schools = await ctx.query<{ urn: string }>(
      `update ${t('schools')} set induction_tutor_name = $2, induction_tutor_email = $2 where induction_tutor_subject = $1 returning urn`,
      [ref, ERASED],
    );
    await ctx.query(
      `update ${t('school_states')} set state = jsonb_set(state, '{inductionTutor}', (state->'inductionTutor') || jsonb_build_object('name', $2::text, 'email', $2::text))
       where id = any($1::text[]) and jsonb_typeof(state->'inductionTutor') = 'object'`,
      [schools.rows.map((r) => r.urn), ERASED],
    );
  }
}
