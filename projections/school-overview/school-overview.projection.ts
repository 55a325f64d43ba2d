import type { StoredEvent } from '@ect/event-store';
import { defineProjection, type ProjectionContext } from '@ect/projection-runtime';
import { evolveSchool, initialSchoolState, schoolEventCodec, SCHOOL_EVENT_TYPES, type SchoolEvent, type SchoolState } from '@ect/schools';
import { teacherEventCodec, TEACHER_EVENT_TYPES, type TeacherEvent } from '@ect/teachers';
import { ERASURE_STREAMS, PERSONAL_DATA_ERASED, subjectAt } from '../shared/erasure';
import { foldInto, latestAt, nextSeq, streamId } from '../shared/folded-state';
import { onPersonalDataErased } from './school-overview.erasure';
import { schoolOverviewMigrations } from './school-overview.sql';

export const SCHOOL_OVERVIEW = 'school-overview';

/** Per school: details, linked users, induction tutor, partnerships, ECTs and mentors (with who registered them). */
export const schoolOverviewProjection = defineProjection({
  name: SCHOOL_OVERVIEW,
  streamPrefixes: ['school-', 'teacher-', ERASURE_STREAMS],
  handlers: {
    ...Object.fromEntries(SCHOOL_EVENT_TYPES.map((type) => [type, onSchoolEvent])),
    ...Object.fromEntries(TEACHER_EVENT_TYPES.map((type) => [type, onTeacherEvent])),
    [PERSONAL_DATA_ERASED]: onPersonalDataErased,
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
      `insert into ${ctx.table('school_users')} values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (urn, user_id) do update set email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name, subject = excluded.subject`,
      [urn, u.userId, u.email, u.firstName, u.lastName, stored.recordedAt, subjectAt(stored, 'email')],
    );
  } else if (event.type === 'SchoolUserDetailsChanged') {
    const u = event.data;
    await ctx.query(`update ${ctx.table('school_users')} set email = $3, first_name = $4, last_name = $5, subject = $6 where urn = $1 and user_id = $2`, [
      urn,
      u.userId,
      u.email,
      u.firstName,
      u.lastName,
      subjectAt(stored, 'email'),
    ]);
  } else if (event.type === 'UserUnlinkedFromSchool') {
    await ctx.query(`delete from ${ctx.table('school_users')} where urn = $1 and user_id = $2`, [urn, event.data.userId]);
  } else if (event.type === 'InductionTutorNominated') {
    await ctx.query(`update ${ctx.table('schools')} set induction_tutor_subject = $2 where urn = $1`, [urn, subjectAt(stored, 'email')]);
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

/**
 * Teacher events as one SQL statement each, with the meaning of the domain's `evolveTeacher`: a registration is
 * appended; a leaving or lead provider change applies to the teacher's latest registration at that school; a
 * mentorship end to the latest mentorship with that school and mentor.
 */
type TeacherHandler = (ctx: ProjectionContext, key: string, event: TeacherEvent, stored: StoredEvent) => Promise<unknown>;
const teacherHandlers: Record<TeacherEvent['type'], TeacherHandler> = {
  ECTRegistered: (ctx, key, e, stored) => {
    const d = (e as Extract<TeacherEvent, { type: 'ECTRegistered' }>).data;
    return ctx.query(`insert into ${ctx.table('ects')} values ($1, ${nextSeq(ctx.table('ects'))}, $2, $3, $4, $5, $6, $7, null, null, $8, $9, $10, $11, $12, $13)`, [
      key, d.schoolUrn, d.trn, d.firstName, d.lastName, d.email, d.startDate, d.workingPattern, d.trainingProgramme, d.leadProviderId, d.appropriateBodyId, JSON.stringify(d.registeredBy),
      subjectAt(stored, 'registeredBy.email'),
    ]);
  },
  MentorRegistered: (ctx, key, e, stored) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorRegistered' }>).data;
    return ctx.query(`insert into ${ctx.table('mentors')} values ($1, ${nextSeq(ctx.table('mentors'))}, $2, $3, $4, $5, $6, $7, null, null, $8, $9)`, [
      key, d.schoolUrn, d.trn, d.firstName, d.lastName, d.email, d.startDate, JSON.stringify(d.registeredBy), subjectAt(stored, 'registeredBy.email'),
    ]);
  },
  ECTLeftSchool: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'ECTLeftSchool' }>).data;
    return ctx.query(`update ${ctx.table('ects')} set leaving_on = $3, leaving_reason = $4 where ${latestAt(ctx.table('ects'))}`, [key, d.schoolUrn, d.leavingOn, d.reason]);
  },
  MentorLeftSchool: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorLeftSchool' }>).data;
    return ctx.query(`update ${ctx.table('mentors')} set leaving_on = $3, leaving_reason = $4 where ${latestAt(ctx.table('mentors'))}`, [key, d.schoolUrn, d.leavingOn, d.reason]);
  },
  ECTLeadProviderChanged: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'ECTLeadProviderChanged' }>).data;
    return ctx.query(`update ${ctx.table('ects')} set lead_provider_id = $3 where ${latestAt(ctx.table('ects'))}`, [key, d.schoolUrn, d.leadProviderId]);
  },
  MentorAssignedToECT: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorAssignedToECT' }>).data;
    const table = ctx.table('mentorships');
    return ctx.query(`insert into ${table} values ($1, ${nextSeq(table, 'ect_key')}, $2, $3, $4, null)`, [key, d.schoolUrn, d.mentorTrn, d.startDate]);
  },
  MentorshipEnded: (ctx, key, e) => {
    const d = (e as Extract<TeacherEvent, { type: 'MentorshipEnded' }>).data;
    const table = ctx.table('mentorships');
    return ctx.query(
      `update ${table} set ended_on = $4 where ect_key = $1 and seq = (select max(seq) from ${table} where ect_key = $1 and urn = $2 and mentor_trn = $3)`,
      [key, d.schoolUrn, d.mentorTrn, d.endedOn],
    );
  },
};

async function onTeacherEvent(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const event = teacherEventCodec.decode(stored);
  await teacherHandlers[event.type](ctx, streamId(stored), event, stored);
}
