import { fold } from '@ect/command-runner';
import { ContractPeriodCalendar } from '@ect/contract-periods';
import { teacherDecider } from './teacher.decider';
import { teacherEventCodec, type TeacherEvent } from './teacher.events';
import {
  earliestEctStartDate,
  ectEmail,
  ectEmailReleases,
  isOngoingMentorAt,
  mentorFactsAt,
  mentorStartAt,
  ongoingEctSchool,
} from './teacher.queries';
import { MENTOR_TRN, SCHOOL_A, SCHOOL_B, SIT, TRN, ectLeftSchool, ectRegistered, mentorAssigned, mentorRegistered, mentorshipEnded } from './teacher.spec-support';
import { toTeacherView } from './teacher.view';

const stateOf = (events: TeacherEvent[]) => fold(teacherDecider, events);
const mentorLeft = (schoolUrn: string, leavingOn: string): TeacherEvent => ({ type: 'MentorLeftSchool', data: { schoolUrn, leavingOn, reason: 'reported' } });

describe('the status of a registration', () => {
  const state = stateOf([ectRegistered(), ectLeftSchool(SCHOOL_A, '2026-03-31')]);

  it('is leaving while the leaving date is today or later', () => {
    expect(toTeacherView(state, '2026-03-01').ectRegistrations[0].status).toBe('leaving');
    expect(toTeacherView(state, '2026-03-31').ectRegistrations[0].status).toBe('leaving');
  });

  it('is left once the leaving date has passed', () => {
    expect(toTeacherView(state, '2026-04-01').ectRegistrations[0].status).toBe('left');
  });

  it('is ongoing with no leaving date', () => {
    expect(toTeacherView(stateOf([ectRegistered()]), '2030-01-01').ectRegistrations[0].status).toBe('ongoing');
  });
});

describe('the stream-state view of a teacher', () => {
  it('is plain JSON of the registrations and mentorships, with statuses as of today', () => {
    const state = stateOf([
      ectRegistered(),
      mentorAssigned('1111111', '2025-09-01'),
      mentorshipEnded('2025-12-31', 'replaced', '1111111'),
      mentorAssigned(MENTOR_TRN, '2026-01-01'),
      { type: 'ECTLeadProviderChanged', data: { schoolUrn: SCHOOL_A, leadProviderId: 'lp-2', previousLeadProviderId: 'lp-1' } },
    ]);
    const view = toTeacherView(state, '2026-01-15');
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    expect(view).toEqual({
      trn: TRN,
      ectRegistrations: [
        {
          schoolUrn: SCHOOL_A,
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: 'ada@example.com',
          startDate: '2025-09-01',
          workingPattern: 'full_time',
          trainingProgramme: 'provider_led',
          leadProviderId: 'lp-2',
          appropriateBodyId: 'ab-1',
          registeredBy: SIT,
          leavingOn: null,
          leavingReason: null,
          status: 'ongoing',
        },
      ],
      mentorRegistrations: [],
      mentorships: [
        { schoolUrn: SCHOOL_A, mentorTrn: '1111111', startDate: '2025-09-01', endedOn: '2025-12-31', endReason: 'replaced', status: 'ended' },
        { schoolUrn: SCHOOL_A, mentorTrn: MENTOR_TRN, startDate: '2026-01-01', endedOn: null, endReason: null, status: 'ongoing' },
      ],
    });
  });

  it('shows mentor registrations at several schools', () => {
    const view = toTeacherView(stateOf([mentorRegistered(), mentorRegistered({ schoolUrn: SCHOOL_B }), mentorLeft(SCHOOL_A, '2026-01-10')]), '2026-01-15');
    expect(view.trn).toBe(MENTOR_TRN);
    expect(view.mentorRegistrations.map((r) => [r.schoolUrn, r.status, r.trainingProgramme])).toEqual([
      [SCHOOL_A, 'left', 'provider_led'],
      [SCHOOL_B, 'ongoing', 'provider_led'],
    ]);
  });
});

describe('where a teacher is an ECT', () => {
  it('is the school of the registration not left by today', () => {
    const transferred = stateOf([ectRegistered(), ectLeftSchool(SCHOOL_A, '2026-01-04', 'transfer'), ectRegistered({ schoolUrn: SCHOOL_B, startDate: '2026-01-05' })]);
    expect(ongoingEctSchool(transferred, '2026-01-15')).toBe(SCHOOL_B);
    expect(ongoingEctSchool(stateOf([ectRegistered(), ectLeftSchool(SCHOOL_A, '2025-12-31')]), '2026-01-15')).toBeNull();
    expect(ongoingEctSchool(stateOf([]), '2026-01-15')).toBeNull();
  });

  it('gives the email of the latest ECT registration', () => {
    expect(ectEmail(stateOf([ectRegistered(), ectRegistered({ schoolUrn: SCHOOL_B, email: 'ada@new.example' })]))).toBe('ada@new.example');
    expect(ectEmail(stateOf([mentorRegistered()]))).toBeNull();
  });
});

describe('where a teacher is a mentor', () => {
  const state = stateOf([mentorRegistered({ startDate: '2025-09-01' }), mentorLeft(SCHOOL_A, '2026-03-31')]);

  it('is ongoing at a school until the leaving date has passed', () => {
    expect(isOngoingMentorAt(state, SCHOOL_A, '2026-03-31')).toBe(true);
    expect(isOngoingMentorAt(state, SCHOOL_A, '2026-04-01')).toBe(false);
    expect(isOngoingMentorAt(state, SCHOOL_B, '2026-01-15')).toBe(false);
  });

  it('gives the start at a school, and the facts an ECT stream needs to assign them', () => {
    expect(mentorStartAt(state, SCHOOL_A)).toBe('2025-09-01');
    expect(mentorStartAt(state, SCHOOL_B)).toBeNull();
    expect(mentorFactsAt(state, MENTOR_TRN, SCHOOL_A, '2026-01-15')).toEqual({ trn: MENTOR_TRN, ongoingAtSchool: true, startDate: '2025-09-01', leavingOn: '2026-03-31' });
    expect(mentorFactsAt(stateOf([]), MENTOR_TRN, SCHOOL_A, '2026-01-15')).toEqual({ trn: MENTOR_TRN, ongoingAtSchool: false, startDate: null, leavingOn: null });
  });
});

describe('the email reservations a decision frees', () => {
  it('frees an ECT\'s email from the day after they leave', () => {
    const events = [ectLeftSchool(SCHOOL_A, '2026-03-31')];
    expect(ectEmailReleases(stateOf([ectRegistered(), ...events]), events)).toEqual([{ email: 'ada@example.com', freeFrom: '2026-04-01' }]);
  });

  it('keeps the email a transfer goes on using, and frees one it replaces', () => {
    const same = [ectLeftSchool(SCHOOL_A, '2026-01-04', 'transfer'), ectRegistered({ schoolUrn: SCHOOL_B, email: 'ADA@example.com' })];
    expect(ectEmailReleases(stateOf([ectRegistered(), ...same]), same)).toEqual([]);
    const changed = [ectLeftSchool(SCHOOL_A, '2026-01-04', 'transfer'), ectRegistered({ schoolUrn: SCHOOL_B, email: 'ada@new.example' })];
    expect(ectEmailReleases(stateOf([ectRegistered(), ...changed]), changed)).toEqual([{ email: 'ada@example.com', freeFrom: '2026-01-05' }]);
  });
});

describe('the earliest start date of an ECT', () => {
  const calendar = ContractPeriodCalendar.standard(2026);

  it('is the start of the previous contract period', () => {
    expect(earliestEctStartDate(calendar, '2026-01-15')).toBe('2024-06-01');
  });

  it('is the start of the current period when there is no previous one, and none outside the calendar', () => {
    expect(earliestEctStartDate(calendar, '2021-09-01')).toBe('2021-06-01');
    expect(earliestEctStartDate(calendar, '2030-01-01')).toBeNull();
  });
});

describe('the teacher event codec', () => {
  it('decodes every version 1 event and refuses an unknown type or version', () => {
    const event = ectRegistered();
    expect(teacherEventCodec.schemaVersion('ECTRegistered')).toBe(1);
    expect(teacherEventCodec.decode({ type: event.type, schemaVersion: 1, data: event.data })).toEqual(event);
    expect(() => teacherEventCodec.decode({ type: 'ECTVanished', schemaVersion: 1, data: {} })).toThrow(/Unknown/);
    expect(() => teacherEventCodec.decode({ type: 'ECTRegistered', schemaVersion: 2, data: event.data })).toThrow(/version/);
  });
});
