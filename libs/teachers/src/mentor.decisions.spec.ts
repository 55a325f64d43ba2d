import { mentorDepartures } from './teacher.queries';
import { MENTOR_TRN, SCHOOL_A, SCHOOL_B, given, mentorRegistered, on, registerMentor } from './teacher.spec-support';
import type { ReportMentorLeaving } from './teacher.commands';
import type { TeacherEvent } from './teacher.events';

const SCHOOL_C = '100003';

function mentorLeftSchool(schoolUrn: string, leavingOn: string, reason: 'reported' | 'mentoring_at_another_school_only' = 'reported'): TeacherEvent {
  return { type: 'MentorLeftSchool', data: { schoolUrn, leavingOn, reason } };
}

function reportMentorLeaving(leavingOn: string, schoolUrn = SCHOOL_A): ReportMentorLeaving {
  return on<ReportMentorLeaving>({ type: 'ReportMentorLeaving', data: { schoolUrn, leavingOn } });
}

describe('registering a teacher as a mentor', () => {
  it('records the registration, with provider-led training', () => {
    given([]).when(registerMentor({ trn: '765-4321' })).then([mentorRegistered({ trn: MENTOR_TRN, trainingProgramme: 'provider_led' })]);
  });

  it('refuses any training programme other than provider-led, on the trainingProgramme field', () => {
    const error = given([]).when(registerMentor({ trainingProgramme: 'school_led' })).error();
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'trainingProgramme' }] });
  });

  it('refuses a TRN that is not 5 to 7 digits', () => {
    given([]).when(registerMentor({ trn: '12' })).then('VALIDATION_FAILED');
  });
});

describe('when the mentor is already ongoing at this school', () => {
  it('refuses as MENTOR_ALREADY_REGISTERED', () => {
    given([mentorRegistered()]).when(registerMentor({ startDate: '2026-01-05' })).then('MENTOR_ALREADY_REGISTERED');
    expect(given([mentorRegistered()]).when(registerMentor()).error().kind).toBe('conflict');
  });
});

describe('when the mentor is ongoing at other schools', () => {
  it('registers them here too, leaving the others ongoing', () => {
    given([mentorRegistered({ schoolUrn: SCHOOL_A })])
      .when(registerMentor({ schoolUrn: SCHOOL_B, startDate: '2026-01-05' }))
      .then([mentorRegistered({ schoolUrn: SCHOOL_B, startDate: '2026-01-05' })]);
  });

  it('ends the others the day before the new start when they will mentor at this school only', () => {
    given([mentorRegistered({ schoolUrn: SCHOOL_A }), mentorRegistered({ schoolUrn: SCHOOL_C })])
      .when(registerMentor({ schoolUrn: SCHOOL_B, startDate: '2026-01-05', mentoringAtThisSchoolOnly: true }))
      .then([
        mentorLeftSchool(SCHOOL_A, '2026-01-04', 'mentoring_at_another_school_only'),
        mentorLeftSchool(SCHOOL_C, '2026-01-04', 'mentoring_at_another_school_only'),
        mentorRegistered({ schoolUrn: SCHOOL_B, startDate: '2026-01-05', mentoringAtThisSchoolOnly: true }),
      ]);
  });

  it('tells the wiring which schools the mentor left, so their mentorships there end on the ECT streams', () => {
    const events = [mentorLeftSchool(SCHOOL_A, '2026-01-04', 'mentoring_at_another_school_only'), mentorRegistered({ schoolUrn: SCHOOL_B })];
    expect(mentorDepartures(events)).toEqual([{ schoolUrn: SCHOOL_A, leavingOn: '2026-01-04' }]);
  });
});

describe('reporting that an ongoing mentor leaves', () => {
  it('records their last day at the school', () => {
    given([mentorRegistered()]).when(reportMentorLeaving('2026-03-31')).then([mentorLeftSchool(SCHOOL_A, '2026-03-31')]);
  });

  it('changes nothing when the same date is reported again', () => {
    given([mentorRegistered(), mentorLeftSchool(SCHOOL_A, '2026-03-31')]).when(reportMentorLeaving('2026-03-31')).then([]);
  });

  it('refuses a leaving date on or before the start as LEAVING_DATE_BEFORE_START', () => {
    given([mentorRegistered({ startDate: '2025-09-01' })]).when(reportMentorLeaving('2025-09-01')).then('LEAVING_DATE_BEFORE_START');
  });

  it('refuses a mentor not ongoing at that school as MENTOR_NOT_FOUND', () => {
    given([mentorRegistered({ schoolUrn: SCHOOL_B })]).when(reportMentorLeaving('2026-03-31')).then('MENTOR_NOT_FOUND');
    given([mentorRegistered(), mentorLeftSchool(SCHOOL_A, '2025-12-31')]).when(reportMentorLeaving('2026-03-31')).then('MENTOR_NOT_FOUND');
    expect(given([]).when(reportMentorLeaving('2026-03-31')).error().kind).toBe('not-found');
  });
});
