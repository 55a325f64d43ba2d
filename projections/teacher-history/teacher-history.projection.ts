import type { StoredEvent } from '@ect/event-store';
import { defineProjection, type ProjectionContext } from '@ect/projection-runtime';
import { evolveTeacher, initialTeacherState, teacherEventCodec, TEACHER_EVENT_TYPES, type TeacherEvent, type TeacherState } from '@ect/teachers';
import { foldInto, streamId } from '../shared/folded-state';

export const TEACHER_HISTORY = 'teacher-history';

/** Per teacher: every ECT and mentor registration at every school over time, with mentorships. */
export const teacherHistoryProjection = defineProjection({
  name: TEACHER_HISTORY,
  streamPrefixes: ['teacher-'],
  handlers: Object.fromEntries(TEACHER_EVENT_TYPES.map((type) => [type, onTeacherEvent])),
  migrations: [
    {
      id: '001-tables',
      sql: `
        create table teacher_states (id text primary key, state jsonb not null);
        create table teachers (teacher_key text primary key, trn text not null, updated_at timestamptz not null);
        create table registrations (
          teacher_key text not null,
          kind text not null check (kind in ('ect', 'mentor')),
          seq integer not null,
          urn text not null,
          first_name text not null,
          last_name text not null,
          email text not null,
          start_date date not null,
          leaving_on date,
          leaving_reason text,
          details jsonb not null,
          registered_by jsonb not null,
          primary key (teacher_key, kind, seq)
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
  ],
});

async function onTeacherEvent(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const key = streamId(stored);
  const state = await foldInto<TeacherState, TeacherEvent>(ctx, 'teacher_states', key, teacherEventCodec.decode(stored), initialTeacherState, evolveTeacher);
  await ctx.query(
    `insert into ${ctx.table('teachers')} values ($1, $2, $3) on conflict (teacher_key) do update set trn = excluded.trn, updated_at = excluded.updated_at`,
    [key, state.trn ?? '', stored.recordedAt],
  );
  await ctx.query(`delete from ${ctx.table('registrations')} where teacher_key = $1`, [key]);
  await ctx.query(`delete from ${ctx.table('mentorships')} where teacher_key = $1`, [key]);
  const insert = `insert into ${ctx.table('registrations')} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;
  for (const [seq, r] of state.ectRegistrations.entries()) {
    const details = { workingPattern: r.workingPattern, trainingProgramme: r.trainingProgramme, leadProviderId: r.leadProviderId, appropriateBodyId: r.appropriateBodyId };
    await ctx.query(insert, [key, 'ect', seq, r.schoolUrn, r.firstName, r.lastName, r.email, r.startDate, r.leavingOn, r.leavingReason, JSON.stringify(details), JSON.stringify(r.registeredBy)]);
  }
  for (const [seq, r] of state.mentorRegistrations.entries()) {
    const details = { mentoringAtThisSchoolOnly: r.mentoringAtThisSchoolOnly, trainingProgramme: r.trainingProgramme };
    await ctx.query(insert, [key, 'mentor', seq, r.schoolUrn, r.firstName, r.lastName, r.email, r.startDate, r.leavingOn, r.leavingReason, JSON.stringify(details), JSON.stringify(r.registeredBy)]);
  }
  for (const [seq, m] of state.mentorships.entries()) {
    await ctx.query(`insert into ${ctx.table('mentorships')} values ($1, $2, $3, $4, $5, $6, $7)`, [key, seq, m.schoolUrn, m.mentorTrn, m.startDate, m.endedOn, m.endReason]);
  }
}
