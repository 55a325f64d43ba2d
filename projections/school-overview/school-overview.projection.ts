import type { StoredEvent } from '@ect/event-store';
import { defineProjection, type ProjectionContext } from '@ect/projection-runtime';
import { evolveSchool, initialSchoolState, schoolEventCodec, SCHOOL_EVENT_TYPES, type SchoolEvent, type SchoolState } from '@ect/schools';
import { evolveTeacher, initialTeacherState, teacherEventCodec, TEACHER_EVENT_TYPES, type TeacherEvent, type TeacherState } from '@ect/teachers';
import { foldInto, streamId } from '../shared/folded-state';
import { schoolOverviewMigrations } from './school-overview.sql';

export const SCHOOL_OVERVIEW = 'school-overview';

/** Per school: details, linked users, induction tutor, partnerships, ECTs and mentors (with who registered them). */
export const schoolOverviewProjection = defineProjection({
  name: SCHOOL_OVERVIEW,
  streamPrefixes: ['school-', 'teacher-'],
  handlers: {
    ...Object.fromEntries(SCHOOL_EVENT_TYPES.map((type) => [type, onSchoolEvent])),
    ...Object.fromEntries(TEACHER_EVENT_TYPES.map((type) => [type, onTeacherEvent])),
  },
  migrations: schoolOverviewMigrations,
});

async function onSchoolEvent(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const urn = streamId(stored);
  const event = schoolEventCodec.decode(stored);
  const state = await foldInto<SchoolState, SchoolEvent>(ctx, 'school_states', urn, event, initialSchoolState, evolveSchool);
  await writeSchoolRow(ctx, urn, state);
  await ctx.query(`delete from ${ctx.table('partnerships')} where urn = $1`, [urn]);
  for (const [period, p] of Object.entries(state.partnerships)) {
    await ctx.query(`insert into ${ctx.table('partnerships')} values ($1, $2, $3, $4)`, [urn, Number(period), p.leadProviderId, p.deliveryPartnerId]);
  }
  // Users: kept per event so that "linked since" is the time of the (last) link.
  if (event.type === 'UserLinkedToSchool') {
    const u = event.data;
    await ctx.query(
      `insert into ${ctx.table('school_users')} values ($1, $2, $3, $4, $5, $6)
       on conflict (urn, user_id) do update set email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name`,
      [urn, u.userId, u.email, u.firstName, u.lastName, stored.recordedAt],
    );
  } else if (event.type === 'SchoolUserDetailsChanged') {
    const u = event.data;
    await ctx.query(`update ${ctx.table('school_users')} set email = $3, first_name = $4, last_name = $5 where urn = $1 and user_id = $2`, [
      urn,
      u.userId,
      u.email,
      u.firstName,
      u.lastName,
    ]);
  } else if (event.type === 'UserUnlinkedFromSchool') {
    await ctx.query(`delete from ${ctx.table('school_users')} where urn = $1 and user_id = $2`, [urn, event.data.userId]);
  }
}

async function writeSchoolRow(ctx: ProjectionContext, urn: string, state: SchoolState): Promise<void> {
  const d = state.details;
  if (!d) return;
  const sit = state.inductionTutor;
  await ctx.query(
    `insert into ${ctx.table('schools')} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (urn) do update set name = excluded.name, status = excluded.status, in_england = excluded.in_england,
       eligible_type = excluded.eligible_type, section41_approved = excluded.section41_approved,
       primary_contact_email = excluded.primary_contact_email, secondary_contact_email = excluded.secondary_contact_email,
       induction_tutor_name = excluded.induction_tutor_name, induction_tutor_email = excluded.induction_tutor_email,
       induction_tutor_contract_period = excluded.induction_tutor_contract_period`,
    [urn, d.name, d.status, d.inEngland, d.eligibleType, d.section41Approved, d.primaryContactEmail, d.secondaryContactEmail, sit?.name ?? null, sit?.email ?? null, sit?.contractPeriod ?? null],
  );
}

/** A teacher's rows are rewritten from their folded state: registrations change in place (leaving dates move). */
async function onTeacherEvent(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const key = streamId(stored);
  const state = await foldInto<TeacherState, TeacherEvent>(ctx, 'teacher_states', key, teacherEventCodec.decode(stored), initialTeacherState, evolveTeacher);
  const trn = state.trn ?? '';
  for (const table of ['ects', 'mentors']) await ctx.query(`delete from ${ctx.table(table)} where teacher_key = $1`, [key]);
  await ctx.query(`delete from ${ctx.table('mentorships')} where ect_key = $1`, [key]);
  for (const [seq, r] of state.ectRegistrations.entries()) {
    await ctx.query(`insert into ${ctx.table('ects')} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, [
      key, seq, r.schoolUrn, trn, r.firstName, r.lastName, r.email, r.startDate, r.leavingOn, r.leavingReason,
      r.workingPattern, r.trainingProgramme, r.leadProviderId, r.appropriateBodyId, JSON.stringify(r.registeredBy),
    ]);
  }
  for (const [seq, r] of state.mentorRegistrations.entries()) {
    await ctx.query(`insert into ${ctx.table('mentors')} values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
      key, seq, r.schoolUrn, trn, r.firstName, r.lastName, r.email, r.startDate, r.leavingOn, r.leavingReason, JSON.stringify(r.registeredBy),
    ]);
  }
  for (const [seq, m] of state.mentorships.entries()) {
    await ctx.query(`insert into ${ctx.table('mentorships')} values ($1, $2, $3, $4, $5, $6)`, [key, seq, m.schoolUrn, m.mentorTrn, m.startDate, m.endedOn]);
  }
}
