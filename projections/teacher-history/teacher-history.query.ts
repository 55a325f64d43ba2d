import type { Pool } from 'pg';
import { liveSchema } from '@ect/projection-runtime';

const S = liveSchema('teacher-history');
const STATUS = `case when leaving_on is null then 'ongoing' when leaving_on >= $2::date then 'leaving' else 'left' end`;

/** A teacher's registrations at every school over time (oldest first), statuses as of `today`; null when unknown. */
export async function teacherHistory(pool: Pool, teacherKey: string, today: string) {
  const teacher = await pool.query(`select trn from ${S}.teachers where teacher_key = $1`, [teacherKey]);
  if (teacher.rows.length === 0) return null;
  const [registrations, mentorships] = await Promise.all([
    pool.query(
      `select kind, urn, first_name, last_name, email, to_char(start_date, 'YYYY-MM-DD') as start_date,
              to_char(leaving_on, 'YYYY-MM-DD') as leaving_on, leaving_reason, details, registered_by, ${STATUS} as status
       from ${S}.registrations where teacher_key = $1 order by start_date, seq`,
      [teacherKey, today],
    ),
    pool.query(
      `select urn, mentor_trn, to_char(start_date, 'YYYY-MM-DD') as start_date, to_char(ended_on, 'YYYY-MM-DD') as ended_on, end_reason
       from ${S}.mentorships where teacher_key = $1 order by start_date, seq`,
      [teacherKey],
    ),
  ]);
  return {
    trn: teacher.rows[0].trn,
    registrations: registrations.rows.map((r) => ({
      role: r.kind,
      schoolUrn: r.urn,
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      startDate: r.start_date,
      leavingOn: r.leaving_on,
      leavingReason: r.leaving_reason,
      status: r.status,
      ...r.details,
      registeredBy: r.registered_by,
    })),
    mentorships: mentorships.rows.map((m) => ({ schoolUrn: m.urn, mentorTrn: m.mentor_trn, startDate: m.start_date, endedOn: m.ended_on, endReason: m.end_reason })),
  };
}
