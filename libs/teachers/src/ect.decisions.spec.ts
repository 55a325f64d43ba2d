import type { ChangeECTLeadProvider, ReportECTLeaving } from './teacher.commands';
import type { TeacherEvent } from './teacher.events';
import { SCHOOL_A, SCHOOL_B, ectLeftSchool, ectRegistered, given, mentorAssigned, mentorshipEnded, on } from './teacher.spec-support';

function reportEctLeaving(leavingOn: string, schoolUrn = SCHOOL_A): ReportECTLeaving {
  return on<ReportECTLeaving>({ type: 'ReportECTLeaving', data: { schoolUrn, leavingOn } });
}

function changeLeadProvider(leadProviderId: string, schoolUrn = SCHOOL_A): ChangeECTLeadProvider {
  return on<ChangeECTLeadProvider>({ type: 'ChangeECTLeadProvider', data: { schoolUrn, leadProviderId } });
}

function leadProviderChanged(leadProviderId: string, previousLeadProviderId: string): TeacherEvent {
  return { type: 'ECTLeadProviderChanged', data: { schoolUrn: SCHOOL_A, leadProviderId, previousLeadProviderId } };
}

describe('reporting that an ongoing ECT leaves', () => {
  it('records their last day at the school and ends their mentorship on it', () => {
    given([ectRegistered(), mentorAssigned()])
      .when(reportEctLeaving('2026-03-31'))
      .then([ectLeftSchool(SCHOOL_A, '2026-03-31', 'reported'), mentorshipEnded('2026-03-31', 'ect_left')]);
  });

  it('accepts a date in the past (the ECT has left)', () => {
    given([ectRegistered()]).when(reportEctLeaving('2025-12-31')).then([ectLeftSchool(SCHOOL_A, '2025-12-31')]);
  });

  it('leaves alone a mentorship that already ended by then', () => {
    given([ectRegistered(), mentorAssigned(), mentorshipEnded('2026-01-31', 'mentor_left')])
      .when(reportEctLeaving('2026-03-31'))
      .then([ectLeftSchool(SCHOOL_A, '2026-03-31')]);
  });

  it('moves an earlier reported date, and the mentorship end with it when it is brought forward', () => {
    given([ectRegistered(), mentorAssigned(), ectLeftSchool(SCHOOL_A, '2026-03-31'), mentorshipEnded('2026-03-31', 'ect_left')])
      .when(reportEctLeaving('2026-02-28'))
      .then([ectLeftSchool(SCHOOL_A, '2026-02-28'), mentorshipEnded('2026-02-28', 'ect_left')]);
  });

  it('changes nothing when the same date is reported again', () => {
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2026-03-31')]).when(reportEctLeaving('2026-03-31')).then([]);
  });
});

describe('reporting a leaving date that is not after the start', () => {
  it('refuses it as LEAVING_DATE_BEFORE_START', () => {
    given([ectRegistered({ startDate: '2025-09-01' })]).when(reportEctLeaving('2025-09-01')).then('LEAVING_DATE_BEFORE_START');
    given([ectRegistered({ startDate: '2025-09-01' })]).when(reportEctLeaving('2025-08-31')).then('LEAVING_DATE_BEFORE_START');
    expect(given([ectRegistered()]).when(reportEctLeaving('2025-08-31')).error().kind).toBe('unprocessable');
  });

  it('refuses a date that is not a real date, on the leavingOn field', () => {
    expect(given([ectRegistered()]).when(reportEctLeaving('31/03/2026')).error()).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'leavingOn' }] });
  });
});

describe('reporting the leaving of a teacher who is not an ongoing ECT at the school', () => {
  it('refuses as ECT_NOT_FOUND', () => {
    given([]).when(reportEctLeaving('2026-03-31')).then('ECT_NOT_FOUND');
    given([ectRegistered({ schoolUrn: SCHOOL_B })]).when(reportEctLeaving('2026-03-31')).then('ECT_NOT_FOUND');
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2025-12-31')]).when(reportEctLeaving('2026-03-31')).then('ECT_NOT_FOUND');
    expect(given([]).when(reportEctLeaving('2026-03-31')).error().kind).toBe('not-found');
  });
});

describe('changing the lead provider of a provider-led ECT', () => {
  it('records the new lead provider and the one it replaces', () => {
    given([ectRegistered({ leadProviderId: 'lp-1' })]).when(changeLeadProvider('lp-2')).then([leadProviderChanged('lp-2', 'lp-1')]);
  });

  it('compares with the lead provider after earlier changes', () => {
    given([ectRegistered({ leadProviderId: 'lp-1' }), leadProviderChanged('lp-2', 'lp-1')]).when(changeLeadProvider('lp-1')).then([leadProviderChanged('lp-1', 'lp-2')]);
  });

  it('refuses the lead provider the ECT already has as LEAD_PROVIDER_UNCHANGED', () => {
    given([ectRegistered({ leadProviderId: 'lp-1' })]).when(changeLeadProvider('lp-1')).then('LEAD_PROVIDER_UNCHANGED');
  });
});

describe('changing the lead provider of a school-led ECT', () => {
  it('refuses as SCHOOL_LED_NO_LEAD_PROVIDER', () => {
    given([ectRegistered({ trainingProgramme: 'school_led', leadProviderId: null })]).when(changeLeadProvider('lp-2')).then('SCHOOL_LED_NO_LEAD_PROVIDER');
  });
});

describe('changing the lead provider of a teacher who is not an ongoing ECT at the school', () => {
  it('refuses as ECT_NOT_FOUND', () => {
    given([ectRegistered({ schoolUrn: SCHOOL_B })]).when(changeLeadProvider('lp-2')).then('ECT_NOT_FOUND');
  });

  it('refuses an empty lead provider id as VALIDATION_FAILED', () => {
    given([ectRegistered()]).when(changeLeadProvider(' ')).then('VALIDATION_FAILED');
  });
});
