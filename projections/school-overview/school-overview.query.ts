import type { Pool } from 'pg';
import { liveSchema } from '@ect/projection-runtime';

export interface Page {
  page: number;
  pageSize: number;
}

const S = liveSchema('school-overview');
const STATUS = (leavingOn: string) =>
  `case when ${leavingOn} is null then 'ongoing' when ${leavingOn} >= $2::date then 'leaving' else 'left' end`;
const STATUS_ORDER = (leavingOn: string) => `case when ${leavingOn} is null then 0 when ${leavingOn} >= $2::date then 1 else 2 end`;

/**
 * The school overview as the school-facing UI shows it, statuses as of `today`. ECTs and mentors are paged
 * (ongoing first, then leaving, then left; by name). Null when the school is unknown to the read model.
 */
export async function schoolOverview(pool: Pool, urn: string, today: string, ects: Page, mentors: Page) {
  const school = await pool.query(`select * from ${S}.schools where urn = $1`, [urn]);
  if (school.rows.length === 0) return null;
  const s = school.rows[0];
  const [users, partnerships, ectRows, ectCount, mentorRows, mentorCount] = await Promise.all([
    pool.query(`select user_id, email, first_name, last_name, linked_since from ${S}.school_users where urn = $1 order by linked_since, user_id`, [urn]),
    pool.query(`select contract_period, lead_provider_id, delivery_partner_id from ${S}.partnerships where urn = $1 order by contract_period`, [urn]),
    pool.query(
      `select e.trn, e.first_name, e.last_name, e.email, to_char(e.start_date, 'YYYY-MM-DD') as start_date,
              to_char(e.leaving_on, 'YYYY-MM-DD') as leaving_on, e.leaving_reason, e.working_pattern, e.training_programme,
              e.lead_provider_id, e.appropriate_body_id, e.registered_by, ${STATUS('e.leaving_on')} as status,
              m.mentor_trn, m.mentor_name
       from ${S}.ects e
       left join lateral (
         select ms.mentor_trn, (select mt.first_name || ' ' || mt.last_name from ${S}.mentors mt
                                where mt.urn = ms.urn and mt.trn = ms.mentor_trn order by mt.seq desc limit 1) as mentor_name
         from ${S}.mentorships ms
         where ms.ect_key = e.teacher_key and ms.urn = e.urn and ms.start_date >= e.start_date
           and (ms.ended_on is null or ms.ended_on >= $2::date)
         order by ms.seq desc limit 1
       ) m on true
       where e.urn = $1
       order by ${STATUS_ORDER('e.leaving_on')}, e.last_name, e.first_name, e.trn, e.start_date desc
       limit $3 offset $4`,
      [urn, today, ects.pageSize, (ects.page - 1) * ects.pageSize],
    ),
    pool.query(`select count(*)::int as n from ${S}.ects where urn = $1`, [urn]),
    pool.query(
      `select mt.trn, mt.first_name, mt.last_name, mt.email, to_char(mt.start_date, 'YYYY-MM-DD') as start_date,
              to_char(mt.leaving_on, 'YYYY-MM-DD') as leaving_on, mt.registered_by, ${STATUS('mt.leaving_on')} as status,
              coalesce((select json_agg(json_build_object('trn', e.trn, 'name', e.first_name || ' ' || e.last_name) order by e.last_name, e.first_name)
                        from ${S}.mentorships ms
                        join lateral (select * from ${S}.ects x where x.teacher_key = ms.ect_key and x.urn = ms.urn order by x.seq desc limit 1) e on true
                        where ms.urn = mt.urn and ms.mentor_trn = mt.trn and (ms.ended_on is null or ms.ended_on >= $2::date)), '[]') as ects
       from ${S}.mentors mt
       where mt.urn = $1
       order by ${STATUS_ORDER('mt.leaving_on')}, mt.last_name, mt.first_name, mt.trn, mt.start_date desc
       limit $3 offset $4`,
      [urn, today, mentors.pageSize, (mentors.page - 1) * mentors.pageSize],
    ),
    pool.query(`select count(*)::int as n from ${S}.mentors where urn = $1`, [urn]),
  ]);
  return {
    urn,
    name: s.name,
    status: s.status,
    inEngland: s.in_england,
    eligibleType: s.eligible_type,
    section41Approved: s.section41_approved,
    eligible: s.status === 'open' && s.in_england && (s.eligible_type || s.section41_approved),
    contacts: { primaryEmail: s.primary_contact_email, secondaryEmail: s.secondary_contact_email },
    inductionTutor: s.induction_tutor_email
      ? { name: s.induction_tutor_name, email: s.induction_tutor_email, contractPeriod: s.induction_tutor_contract_period }
      : null,
    users: users.rows.map((u) => ({ userId: u.user_id, email: u.email, firstName: u.first_name, lastName: u.last_name, linkedSince: u.linked_since.toISOString() })),
    partnerships: partnerships.rows.map((p) => ({ contractPeriod: p.contract_period, leadProviderId: p.lead_provider_id, deliveryPartnerId: p.delivery_partner_id })),
    ects: {
      page: ects.page,
      pageSize: ects.pageSize,
      total: ectCount.rows[0].n,
      items: ectRows.rows.map((e) => ({
        trn: e.trn,
        firstName: e.first_name,
        lastName: e.last_name,
        email: e.email,
        status: e.status,
        startDate: e.start_date,
        leavingOn: e.leaving_on,
        leavingReason: e.leaving_reason,
        workingPattern: e.working_pattern,
        trainingProgramme: e.training_programme,
        leadProviderId: e.lead_provider_id,
        appropriateBodyId: e.appropriate_body_id,
        mentor: e.mentor_trn ? { trn: e.mentor_trn, name: e.mentor_name } : null,
        registeredBy: e.registered_by,
      })),
    },
    mentors: {
      page: mentors.page,
      pageSize: mentors.pageSize,
      total: mentorCount.rows[0].n,
      items: mentorRows.rows.map((m) => ({
        trn: m.trn,
        firstName: m.first_name,
        lastName: m.last_name,
        email: m.email,
        status: m.status,
        startDate: m.start_date,
        leavingOn: m.leaving_on,
        registeredBy: m.registered_by,
        ects: m.ects,
      })),
    },
  };
}

/** Whether the user is linked to the school according to the read model. */
export async function isLinkedInOverview(pool: Pool, urn: string, userId: string): Promise<boolean> {
  const { rows } = await pool.query(`select 1 from ${S}.school_users where urn = $1 and user_id = $2`, [urn, userId.toLowerCase()]);
  return rows.length > 0;
}
