import { fold } from '@ect/command-runner';
import { isoDate, type ContractPeriodCalendar } from '@ect/contract-periods';
import type { EventStore, StoredEvent } from '@ect/event-store';
import { createSchoolDecider, schoolEventCodec, schoolStreamName, toSchoolView, type SchoolView } from '@ect/schools';
import { normaliseTrn, teacherDecider, teacherEventCodec, teacherStreamName, toTeacherView, type TeacherView } from '@ect/teachers';
import { AuditInputError } from './audit-event';

/** A stream's state as it stood at `asOf`: folded from the events recorded up to then, with the real deciders. */
export interface StateAsOf<View> {
  asOf: string;
  stream: string;
  /** Version and global position of the last event recorded by `asOf` (what `stream-state` served then). */
  streamVersion: number;
  position: string;
  /** When that last event was recorded. */
  lastRecordedAt: string;
  state: View;
}

/**
 * The events recorded at or before `asOf`: a prefix of the stream, since recorded times never decrease along a
 * stream's versions (see the event store port).
 */
async function eventsAsOf(store: EventStore, stream: string, asOf: Date): Promise<StoredEvent[]> {
  const events = await store.readStream(stream);
  const cut = events.findIndex((e) => e.recordedAt.getTime() > asOf.getTime());
  return cut < 0 ? events : events.slice(0, cut);
}

function stamp<View>(asOf: Date, stream: string, events: StoredEvent[], state: View): StateAsOf<View> {
  const last = events[events.length - 1];
  return {
    asOf: asOf.toISOString(),
    stream,
    streamVersion: last.streamVersion,
    position: last.globalPosition.toString(),
    lastRecordedAt: last.recordedAt.toISOString(),
    state,
  };
}

/** The school as `GET /v1/schools/{urn}/stream-state` showed it at `asOf`; SCHOOL_NOT_FOUND if it was not known then. */
export async function schoolStateAsOf(store: EventStore, calendar: ContractPeriodCalendar, urn: string, asOf: Date): Promise<StateAsOf<SchoolView>> {
  const stream = schoolStreamFor(urn);
  const events = await eventsAsOf(store, stream, asOf);
  const state = fold(createSchoolDecider(calendar), events.map((e) => schoolEventCodec.decode(e)));
  const view = events.length > 0 ? toSchoolView(state) : null;
  if (!view) throw new AuditInputError('SCHOOL_NOT_FOUND', `School ${urn} was not known at ${asOf.toISOString()}`);
  return stamp(asOf, stream, events, view);
}

/**
 * The teacher as `GET /v1/teachers/{trn}/stream-state` showed it at `asOf`. Statuses (ongoing, leaving, left) depend
 * on the day; `today` defaults to the UTC date of `asOf`, which is what the live service used at that instant.
 */
export async function teacherStateAsOf(
  store: EventStore,
  streamKeySecret: string,
  trn: string,
  asOf: Date,
  today: string = isoDate(asOf),
): Promise<StateAsOf<TeacherView>> {
  const stream = teacherStreamFor(trn, streamKeySecret);
  const events = await eventsAsOf(store, stream, asOf);
  if (events.length === 0) throw new AuditInputError('TEACHER_NOT_FOUND', `No ECT or mentor registration was recorded for this TRN by ${asOf.toISOString()}`);
  const state = fold(teacherDecider, events.map((e) => teacherEventCodec.decode(e)));
  return stamp(asOf, stream, events, toTeacherView(state, today));
}

/** The stream of a teacher: keyed by an HMAC of the normalised TRN, so it needs the service's stream key secret. */
export function teacherStreamFor(trn: string, streamKeySecret: string): string {
  let normalised: string;
  try {
    normalised = normaliseTrn(trn);
  } catch {
    throw new AuditInputError('VALIDATION_FAILED', 'A TRN has 5 to 7 digits', 'trn');
  }
  return teacherStreamName(normalised, streamKeySecret);
}

export function schoolStreamFor(urn: string): string {
  if (!/^\d{6}$/.test(urn)) throw new AuditInputError('VALIDATION_FAILED', 'A URN has 6 digits', 'urn');
  return schoolStreamName(urn);
}
