import { isoDate } from '@ect/contract-periods';
import type { StoredEvent } from '@ect/event-store';
import { CONTACT_TOPIC_SUFFIX, contactTopic, enqueueFeedMessage, topicsHoldingKey } from '@ect/feeds';
import { defineProjection, type ProjectionContext } from '@ect/projection-runtime';
import { evolveSchool, initialSchoolState, schoolEventCodec, SCHOOL_EVENT_TYPES, type SchoolEvent, type SchoolState } from '@ect/schools';
import { evolveTeacher, initialTeacherState, teacherEventCodec, type TeacherEvent, type TeacherState } from '@ect/teachers';
import { ERASURE_STREAMS, PERSONAL_DATA_ERASED } from '../shared/erasure';
import { foldInto, streamId } from '../shared/folded-state';
import { erasePerson, pruneSupersededMessages, rememberSubjects } from './lead-provider-contacts.erasure';
import { CONTACT_SNAPSHOT_VERSION, contactView, type TeacherAtSchool } from './contact-snapshot';
import { leadProviderContactsMigrations } from './lead-provider-contacts.sql';

export const LEAD_PROVIDER_CONTACTS = 'lead-provider-contacts';

/** Teacher events that change who is ongoing at a school; the others (mentorships, lead provider) change no contact. */
const TEACHER_EVENTS = ['ECTRegistered', 'ECTLeftSchool', 'MentorRegistered', 'MentorLeftSchool'] as const;

/**
 * Per school, the contact snapshot of the lead provider partnered with it for the current contract period, and (in
 * live mode only) the feed messages when it changes: the snapshot on that provider's topic, a tombstone on any
 * other provider's topic that still holds the school. Messages go to the outbox in the batch's transaction, so they
 * commit with the checkpoint: exactly once into the outbox per change; a rebuild writes none.
 *
 * "Current" is the period containing the event's recorded date (or a later date a review already used). Time alone
 * also changes the view (1 June starts a period; a teacher's last day passes): each row records when that happens
 * next (`review_on`), and contact-review.ts re-evaluates such rows on that date.
 */
export const leadProviderContactsProjection = defineProjection({
  name: LEAD_PROVIDER_CONTACTS,
  streamPrefixes: ['school-', 'teacher-', ERASURE_STREAMS],
  handlers: {
    ...Object.fromEntries(SCHOOL_EVENT_TYPES.map((type) => [type, onSchoolEvent])),
    ...Object.fromEntries(TEACHER_EVENTS.map((type) => [type, onTeacherEvent])),
    [PERSONAL_DATA_ERASED]: onPersonalDataErased,
  },
  migrations: leadProviderContactsMigrations,
});

/** Why a snapshot is being recomputed: an event, or a review on a date (with a generated id). */
export interface ContactCause {
  eventId: string;
  position: bigint;
  date: string;
}

const causeOf = (stored: StoredEvent): ContactCause => ({ eventId: stored.eventId, position: stored.globalPosition, date: isoDate(stored.recordedAt) });

async function onSchoolEvent(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const urn = streamId(stored);
  const state = await foldInto<SchoolState, SchoolEvent>(ctx, 'school_states', urn, schoolEventCodec.decode(stored), initialSchoolState, evolveSchool);
  await rememberSubjects(ctx, stored, urn);
  await refreshContacts(ctx, urn, causeOf(stored), state);
}

/** Blanks the person everywhere here, recomputes the schools they appeared at, and (live) drops superseded messages. */
async function onPersonalDataErased(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const urns = await erasePerson(ctx, stored);
  for (const urn of urns) await refreshContacts(ctx, urn, causeOf(stored));
  if (ctx.mode === 'live') await pruneSupersededMessages(ctx, urns);
}

async function onTeacherEvent(stored: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const key = streamId(stored);
  const event = teacherEventCodec.decode(stored);
  const state = await foldInto<TeacherState, TeacherEvent>(ctx, 'teacher_states', key, event, initialTeacherState, evolveTeacher);
  const urn = (event.data as { schoolUrn: string }).schoolUrn;
  await rememberSubjects(ctx, stored, urn);
  const role = event.type === 'ECTRegistered' || event.type === 'ECTLeftSchool' ? 'ect' : 'mentor';
  const registrations = role === 'ect' ? state.ectRegistrations : state.mentorRegistrations;
  const latest = registrations.findLast((r) => r.schoolUrn === urn);
  if (latest) {
    const row: Omit<TeacherAtSchool, 'role'> = {
      trn: state.trn ?? '',
      firstName: latest.firstName,
      lastName: latest.lastName,
      startDate: latest.startDate,
      leavingOn: latest.leavingOn,
      registeredBy: latest.registeredBy,
    };
    await ctx.query(
      `insert into ${ctx.table('school_teachers')} values ($1, $2, $3, $4) on conflict (urn, teacher_key, role) do update set registration = excluded.registration`,
      [urn, key, role, JSON.stringify(row)],
    );
  }
  await refreshContacts(ctx, urn, causeOf(stored));
}

/**
 * Recomputes the school's view as of the cause's date (never earlier than the row's), stores it and, live, queues
 * what changed for the feeds. Used by the handlers and by the date-driven review (both inside a transaction that
 * holds the projection's checkpoint row, so they never interleave).
 */
export async function refreshContacts(ctx: ProjectionContext, urn: string, cause: ContactCause, known?: SchoolState): Promise<void> {
  const school = known ?? (await ctx.query<{ state: SchoolState }>(`select state from ${ctx.table('school_states')} where id = $1`, [urn])).rows[0]?.state ?? initialSchoolState();
  const teachers = await ctx.query<{ role: 'ect' | 'mentor'; registration: Omit<TeacherAtSchool, 'role'> }>(
    `select role, registration from ${ctx.table('school_teachers')} where urn = $1`,
    [urn],
  );
  const previous = await ctx.query<{ as_of: string }>(`select to_char(as_of, 'YYYY-MM-DD') as as_of from ${ctx.table('contacts')} where urn = $1 for update`, [urn]);
  const asOf = previous.rows[0] && previous.rows[0].as_of > cause.date ? previous.rows[0].as_of : cause.date;
  const view = contactView(urn, school, teachers.rows.map((t) => ({ role: t.role, ...t.registration })), asOf);

  if (view.leadProviderId === null && view.reviewOn === null) {
    await ctx.query(`delete from ${ctx.table('contacts')} where urn = $1`, [urn]);
  } else {
    await ctx.query(
      `insert into ${ctx.table('contacts')} values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (urn) do update set lead_provider_id = excluded.lead_provider_id, snapshot = excluded.snapshot, as_of = excluded.as_of,
         review_on = excluded.review_on, event_id = excluded.event_id, position = excluded.position`,
      [urn, view.leadProviderId, view.snapshot && JSON.stringify(view.snapshot), asOf, view.reviewOn, cause.eventId, cause.position.toString()],
    );
  }
  if (ctx.mode !== 'live') return;

  // Compared with what each topic was last given (not with the rows above, which a rebuild may have replaced).
  const topic = view.leadProviderId === null ? null : contactTopic(view.leadProviderId);
  const message = { key: urn, eventId: cause.eventId, position: cause.position, schemaVersion: CONTACT_SNAPSHOT_VERSION };
  for (const holding of await topicsHoldingKey(ctx.query, urn, CONTACT_TOPIC_SUFFIX)) {
    if (holding !== topic) await enqueueFeedMessage(ctx.query, { ...message, topic: holding, value: null });
  }
  if (topic && view.snapshot) await enqueueFeedMessage(ctx.query, { ...message, topic, value: JSON.stringify(view.snapshot) });
}
