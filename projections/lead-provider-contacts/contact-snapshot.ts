import { ContractPeriodCalendar } from '@ect/contract-periods';
import type { SchoolState } from '@ect/schools';
import { dayAfter, isCurrent, type RegisteredBy } from '@ect/teachers';

/**
 * The contact snapshot a lead provider gets for a school: a pure function of the school's folded state, the
 * teachers registered there and a date. The shape is the feed's value, version 1
 * (docs/feeds/contact-snapshot.v1.schema.json): a change to it is a new version and a new topic.
 */
export const CONTACT_SNAPSHOT_VERSION = 1;

/**
 * Which contract period contains a date follows the standard rule (1 June to 31 May) for every year, whatever
 * LAST_CONTRACT_PERIOD says: that setting limits what commands accept, while this must give a rebuild the same
 * answer as the live run.
 */
const CALENDAR = ContractPeriodCalendar.standard(2100);
const FIRST_PERIOD_START = CALENDAR.all()[0].startDate;

/** A teacher's latest registration at the school, in one role. */
export interface TeacherAtSchool {
  role: 'ect' | 'mentor';
  trn: string;
  firstName: string;
  lastName: string;
  startDate: string;
  leavingOn: string | null;
  registeredBy: RegisteredBy;
}

export type ContactSource = 'induction_tutor' | 'gias_primary' | 'gias_secondary' | 'none';
export interface Person {
  name: string;
  email: string;
}
export interface TeacherContact {
  trn: string;
  name: string;
  startDate: string;
  /** The last day at the school when a leaving is reported (today or later: still ongoing). */
  leavingOn: string | null;
  registeredBy: Person;
}

export interface ContactSnapshot {
  schemaVersion: 1;
  leadProviderId: string;
  contractPeriod: number;
  deliveryPartnerId: string;
  school: { urn: string; name: string };
  /** The induction tutor, else the GIAS primary contact, else the secondary (GIAS contacts carry no name). */
  contact: { source: ContactSource; name: string | null; email: string | null };
  schoolUsers: Person[];
  ects: TeacherContact[];
  mentors: TeacherContact[];
}

export interface ContactView {
  /** The lead provider that sees the school on `date`: its partner for the period containing `date`. */
  leadProviderId: string | null;
  snapshot: ContactSnapshot | null;
  /**
   * The first date after `date` on which the view may change with no new event (a period starts; a teacher's last
   * day has passed), or null when it cannot. A review re-evaluates the school on that date.
   */
  reviewOn: string | null;
}

const byNameThenEmail = (a: Person, b: Person) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.email < b.email ? -1 : a.email > b.email ? 1 : 0);
const byNameThenTrn = (a: TeacherContact, b: TeacherContact) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.trn < b.trn ? -1 : a.trn > b.trn ? 1 : 0);

export function contactView(urn: string, school: SchoolState, teachers: TeacherAtSchool[], date: string): ContactView {
  const hasPartnerships = Object.keys(school.partnerships).length > 0;
  const period = CALENDAR.containing(date);
  const nextPeriodStart = period ? dayAfter(period.endDate) : date < FIRST_PERIOD_START ? FIRST_PERIOD_START : null;
  const ongoing = teachers.filter((t) => isCurrent(t.leavingOn, date));
  const lastDays = ongoing.flatMap((t) => (t.leavingOn === null ? [] : [dayAfter(t.leavingOn)]));
  const reviewOn = hasPartnerships ? [nextPeriodStart, ...lastDays].filter((d): d is string => d !== null).sort()[0] ?? null : null;

  const partnership = period ? school.partnerships[period.year] : undefined;
  if (!partnership || !school.details || !period) return { leadProviderId: null, snapshot: null, reviewOn };

  const teacher = (t: TeacherAtSchool): TeacherContact => ({
    trn: t.trn,
    name: `${t.firstName} ${t.lastName}`,
    startDate: t.startDate,
    leavingOn: t.leavingOn,
    registeredBy: { name: t.registeredBy.name, email: t.registeredBy.email },
  });
  const snapshot: ContactSnapshot = {
    schemaVersion: CONTACT_SNAPSHOT_VERSION,
    leadProviderId: partnership.leadProviderId,
    contractPeriod: period.year,
    deliveryPartnerId: partnership.deliveryPartnerId,
    school: { urn, name: school.details.name },
    contact: contactOf(school),
    schoolUsers: Object.values(school.users).map((u) => ({ name: `${u.firstName} ${u.lastName}`, email: u.email })).sort(byNameThenEmail),
    ects: ongoing.filter((t) => t.role === 'ect').map(teacher).sort(byNameThenTrn),
    mentors: ongoing.filter((t) => t.role === 'mentor').map(teacher).sort(byNameThenTrn),
  };
  return { leadProviderId: partnership.leadProviderId, snapshot, reviewOn };
}

function contactOf(school: SchoolState): ContactSnapshot['contact'] {
  const sit = school.inductionTutor;
  if (sit) return { source: 'induction_tutor', name: sit.name, email: sit.email };
  const primary = school.details?.primaryContactEmail;
  if (primary) return { source: 'gias_primary', name: null, email: primary };
  const secondary = school.details?.secondaryContactEmail;
  if (secondary) return { source: 'gias_secondary', name: null, email: secondary };
  return { source: 'none', name: null, email: null };
}
