import type { StoredEvent } from '@ect/event-store';
import { defineProjection, type ProjectionContext } from '@ect/projection-runtime';
import { teacherEventCodec, TEACHER_EVENT_TYPES, type TeacherEvent } from '@ect/teachers';
import { ERASED, ERASURE_STREAMS, erasedSubject, PERSONAL_DATA_ERASED, subjectAt } from '../shared/erasure';
import { latestAt, nextSeq, streamId } from '../shared/folded-state';

export const TEACHER_HISTORY = 'teacher-history';

/** Per teacher: every ECT and mentor registration at every school over time, with mentorships. */
export const teacherHistoryProjection = defineProjection({
  name: TEACHER_HISTORY,
  streamPrefixes: ['teacher-', ERASURE_STREAMS],
  handlers: { ...Object.fromEntries(TEACHER_EVENT_TYPES.map((type) => [type, onTeacherEvent])), [PERSONAL_DATA_ERASED]: onPersonalDataErased },
  migrations: [
    {
      id: '001-tables',
      sql: `
        create table teachers (teacher_key text primary key, trn text not null);
        create table registrations (
          teacher_key text not null,
          seq integer not null,
          kind text not null check (kind in ('ect', 'mentor')),
          urn text not null,
          first_name text not null,
          last_name text not null,
          email text not null,
          start_date date not null,
          leaving_on date,
          leaving_reason text,
          details jsonb not null,
          registered_by jsonb not null,
          primary key (teacher_key, seq)
        );
        create table mentorships (
          teacher_key text not null,
          seq integer not null,
          urn text not null,
          mentor_trn text not null,
          start_date date not null,
          ended_on date,
          end_reason text,
          primary key (teacher_key, seq)
        );
      `,
    },
    // Who registered each registration (`user:<hash>`, from the decrypting store), so a user's erasure finds it.
    { id: '002-personal-data-subjects', sql: 'alter table registrations add column registered_by_subject text;' },
  ],
});

const ECT = " and kind = 'ect'";
const MENTOR = " and kind = 'mentor'";

/** One statement per event, with the meaning of the domain's `evolveTeacher` (see school-overview). */
const handlers: Record<TeacherEvent['type'], (ctx: ProjectionContext, key: string, event: TeacherEvent, stored: StoredEvent) => Promise<unknown>> = {
  ECTRegistered: (ctx, key, e, stored) => {
    const d = (e as Extract<TeacherEvent, { type: 'ECTRegistered' }>).data;
    const details = { workingPattern: d.workingPattern, trainingProgramme: d.trainingProgramme, leadProviderId: d.leadProviderId, appropriateBodyId: d.appropriateBodyId };
    return register(ctx, key, 'ect', d, details, subjectAt(stored, 'registeredBy.email'));
  },
  MentorRegistered: (ctx, key, e, stored) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorRegistered' }>).data;
    return register(ctx, key, 'mentor', d, { mentoringAtThisSchoolOnly: d.mentoringAtThisSchoolOnly, trainingProgramme: d.trainingProgramme }, subjectAt(stored, 'registeredBy.email'));
  },
  ECTLeftSchool: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'ECTLeftSchool' }>).data;
    const table = ctx.table('registrations');
    return ctx.query(`update ${table} set leaving_on = $3, leaving_reason = $4 where ${latestAt(table, ECT)}`, [key, d.schoolUrn, d.leavingOn, d.reason]);
  },
  MentorLeftSchool: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorLeftSchool' }>).data;
    const table = ctx.table('registrations');
    return ctx.query(`update ${table} set leaving_on = $3, leaving_reason = $4 where ${latestAt(table, MENTOR)}`, [key, d.schoolUrn, d.leavingOn, d.reason]);
  },
  ECTLeadProviderChanged: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'ECTLeadProviderChanged' }>).data;
    const table = ctx.table('registrations');
    return ctx.query(`update ${table} set details = jsonb_set(details, '{leadProviderId}', to_jsonb($3::text)) where ${latestAt(table, ECT)}`, [key, d.schoolUrn, d.leadProviderId]);
  },
  MentorAssignedToECT: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorAssignedToECT' }>).data;
    const table = ctx.table('mentorships');
    return ctx.query(`insert into ${table} values ($1, ${nextSeq(table)}, $2, $3, $4, null, null)`, [key, d.schoolUrn, d.mentorTrn, d.startDate]);
  },
  MentorshipEnded: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorshipEnded' }>).data;
    const table = ctx.table('mentorships');
    return ctx.query(
      `update ${table} set ended_on = $4, end_reason = $5
       where teacher_key = $1 and seq = (select max(seq) from ${table} where teacher_key = $1 and urn = $2 and mentor_trn = $3)`,
      [key, d.schoolUrn, d.mentorTrn, d.endedOn, d.reason],
    );
  },
};

async function register(
  ctx: ProjectionContext,
  key: string,
  kind: 'ect' | 'mentor',
  d: { schoolUrn: string; trn: string; firstName: string; lastName: string; email: string; startDate: string; registeredBy: unknown },
  details: Record<string, unknown>,
  registeredBySubject: string | null,
): Promise<void> {
  const table = ctx.table('registrations');
  // A teacher registered again after an erasure has their TRN again (a new key generation).
  await ctx.query(
    `insert into ${ctx.table('teachers')} as t values ($1, $2) on conflict (teacher_key) do update set trn = excluded.trn where t.trn = $3`,
    [key, d.trn, ERASED],
  );
  await ctx.query(`insert into ${table} values ($1, ${nextSeq(table)}, $2, $3, $4, $5, $6, $7, null, null, $8, $9, $10)`, [
    key, kind, d.schoolUrn, d.firstName, d.lastName, d.email, d.startDate, JSON.stringify(details), JSON.stringify(d.registeredBy), registeredBySubject,
  ]);
}

/** Blanks the erased person's values, as a rebuild would now produce them (see school-overview.erasure.ts). */
async function onPersonalDataErased(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const { subject, ref } = erasedSubject(stored);
  if (subject.type === 'teacher') {
    const { rows } = await ctx.query<{ trn: string }>(`select trn from ${ctx.table('teachers')} where teacher_key = $1 and trn <> $2`, [subject.id, ERASED]);
    await ctx.query(`update ${ctx.table('teachers')} set trn = $2 where teacher_key = $1`, [subject.id, ERASED]);
    await ctx.query(`update ${ctx.table('registrations')} set first_name = $2, last_name = $2, email = $2 where teacher_key = $1`, [subject.id, ERASED]);
    await ctx.query(`update ${ctx.table('mentorships')} set mentor_trn = $2 where mentor_trn = any($1::text[])`, [rows.map((r) => r.trn), ERASED]);
  } else if (subject.type === 'user') {
    await ctx.query(
      `update ${ctx.table('registrations')} set registered_by = registered_by || jsonb_build_object('email', $2::text, 'name', $2::text) where registered_by_subject = $1`,
      [ref, ERASED],
    );
  }
}

async function onTeacherEvent(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const event = teacherEventCodec.decode(stored);
  await handlers[event.type](ctx, streamId(stored), event, stored);
}
