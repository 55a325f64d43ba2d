import { teacherDecider } from './teacher.decider';
import {
  SCHOOL_A,
  SCHOOL_B,
  SIT,
  ectLeftSchool,
  ectRegistered,
  given,
  mentorAssigned,
  mentorshipEnded,
  registerECT,
} from './teacher.spec-support';

describe('registering a teacher who is not yet an ECT', () => {
  it('records the registration with the TRN padded to 7 digits and the acting user from the school stream', () => {
    given([])
      .when(registerECT({ trn: '12345', firstName: ' Ada ', email: ' ada@example.com ' }))
      .then([ectRegistered({ trn: '0012345', registeredBy: SIT })]);
  });

  it('records no lead provider for school-led training', () => {
    given([]).when(registerECT({ trainingProgramme: 'school_led', leadProviderId: undefined })).then([
      ectRegistered({ trainingProgramme: 'school_led', leadProviderId: null }),
    ]);
  });
});

describe('registering with invalid input', () => {
  it('refuses a TRN that is not 5 to 7 digits, naming the field', () => {
    given([]).when(registerECT({ trn: '1234' })).then('VALIDATION_FAILED');
    expect(given([]).when(registerECT({ trn: '1234' })).error().fields.map((f) => f.field)).toEqual(['trn']);
  });

  it('names every offending field at once', () => {
    const error = given([])
      .when(registerECT({ firstName: '', email: 'not-an-email', startDate: '2025-02-30', workingPattern: 'weekends', trainingProgramme: 'self_taught' }))
      .error();
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', kind: 'invalid' });
    expect(error.fields.map((f) => f.field)).toEqual(['firstName', 'email', 'startDate', 'workingPattern', 'trainingProgramme']);
  });

  it('refuses provider-led training without a lead provider, on the leadProviderId field', () => {
    const error = given([]).when(registerECT({ trainingProgramme: 'provider_led', leadProviderId: null })).error();
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'leadProviderId' }] });
  });

  it('refuses school-led training with a lead provider, on the leadProviderId field', () => {
    const error = given([]).when(registerECT({ trainingProgramme: 'school_led', leadProviderId: 'lp-1' })).error();
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'leadProviderId' }] });
  });
});

describe('registering a teacher whose induction is over', () => {
  it.each(['Passed', 'Failed', 'Exempt'])('refuses induction status %s as INDUCTION_COMPLETED', (inductionStatus) => {
    given([]).when(registerECT({ inductionStatus })).then('INDUCTION_COMPLETED');
    expect(given([]).when(registerECT({ inductionStatus })).error().kind).toBe('unprocessable');
  });

  it('accepts an induction still to do or in progress', () => {
    given([]).when(registerECT({ inductionStatus: 'RequiredToComplete' })).then([ectRegistered()]);
  });
});

describe('registering with a start date before the previous contract period', () => {
  it('refuses it as START_DATE_TOO_EARLY', () => {
    given([]).when(registerECT({ startDate: '2024-05-31', earliestStartDate: '2024-06-01' })).then('START_DATE_TOO_EARLY');
  });

  it('accepts the first day of the previous contract period', () => {
    given([]).when(registerECT({ startDate: '2024-06-01', earliestStartDate: '2024-06-01' })).then([ectRegistered({ startDate: '2024-06-01' })]);
  });
});

describe('when the ECT is already ongoing at this school', () => {
  it('refuses as ECT_ALREADY_REGISTERED', () => {
    given([ectRegistered()]).when(registerECT({ startDate: '2026-01-05' })).then('ECT_ALREADY_REGISTERED');
    expect(given([ectRegistered()]).when(registerECT()).error().kind).toBe('conflict');
  });

  it('refuses too while they are leaving on a future date', () => {
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2026-03-31')]).when(registerECT({ startDate: '2026-04-01' })).then('ECT_ALREADY_REGISTERED');
  });
});

describe('when the ECT has left this school', () => {
  it('registers them again from after their leaving date', () => {
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2025-12-31')]).when(registerECT({ startDate: '2026-01-05' })).then([ectRegistered({ startDate: '2026-01-05' })]);
  });

  it('refuses a start date within their earlier registration there', () => {
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2025-12-31')]).when(registerECT({ startDate: '2025-12-01' })).then('START_DATE_OVERLAPS_PREVIOUS_REGISTRATION');
  });
});

describe('when the ECT is already ongoing at another school', () => {
  it('finishes the old registration the day before the new start, with its mentorships, in one decision', () => {
    given([ectRegistered({ schoolUrn: SCHOOL_A }), mentorAssigned()])
      .when(registerECT({ schoolUrn: SCHOOL_B, startDate: '2026-01-05' }))
      .then([
        ectLeftSchool(SCHOOL_A, '2026-01-04', 'transfer'),
        mentorshipEnded('2026-01-04', 'ect_left'),
        ectRegistered({ schoolUrn: SCHOOL_B, startDate: '2026-01-05' }),
      ]);
  });

  it('brings forward a leaving date that falls after the new start', () => {
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2026-03-31')])
      .when(registerECT({ schoolUrn: SCHOOL_B, startDate: '2026-02-01' }))
      .then([ectLeftSchool(SCHOOL_A, '2026-01-31', 'transfer'), ectRegistered({ schoolUrn: SCHOOL_B, startDate: '2026-02-01' })]);
  });

  it('leaves alone a registration that ends before the new start', () => {
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2026-01-31')])
      .when(registerECT({ schoolUrn: SCHOOL_B, startDate: '2026-02-01' }))
      .then([ectRegistered({ schoolUrn: SCHOOL_B, startDate: '2026-02-01' })]);
  });

  it('refuses a new start that leaves the old registration no day after its start', () => {
    given([ectRegistered({ startDate: '2026-01-10' })])
      .when(registerECT({ schoolUrn: SCHOOL_B, startDate: '2026-01-11' }))
      .then('START_DATE_OVERLAPS_PREVIOUS_REGISTRATION');
  });
});

describe('a command sent to another teacher\'s stream', () => {
  it('is a wiring fault, not a refusal', () => {
    expect(() => teacherDecider.decide(registerECT({ trn: '7654321', schoolUrn: SCHOOL_B }), teacherDecider.evolve(teacherDecider.initialState(), ectRegistered()))).toThrow(
      /another teacher/,
    );
  });
});
