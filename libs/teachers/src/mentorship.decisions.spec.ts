import type { AssignMentorToECT, EndMentorshipBecauseMentorLeft, MentorFacts } from './teacher.commands';
import {
  MENTOR_TRN,
  SCHOOL_A,
  SCHOOL_B,
  TODAY,
  TRN,
  ectLeftSchool,
  ectRegistered,
  given,
  mentorAssigned,
  mentorshipEnded,
  on,
} from './teacher.spec-support';

const OTHER_MENTOR = '1111111';

function mentor(facts: Partial<MentorFacts> = {}): MentorFacts {
  return { trn: MENTOR_TRN, ongoingAtSchool: true, startDate: '2025-09-01', leavingOn: null, ...facts };
}

function assignMentor(facts: Partial<MentorFacts> = {}, startDate?: string, schoolUrn = SCHOOL_A): AssignMentorToECT {
  return on<AssignMentorToECT>({ type: 'AssignMentorToECT', data: { schoolUrn, mentor: mentor(facts), startDate } });
}

function mentorLeft(leavingOn: string, mentorTrn = MENTOR_TRN): EndMentorshipBecauseMentorLeft {
  return on<EndMentorshipBecauseMentorLeft>({ type: 'EndMentorshipBecauseMentorLeft', data: { schoolUrn: SCHOOL_A, mentorTrn, leavingOn } });
}

describe('assigning a mentor to an ECT at the same school', () => {
  it('starts the mentorship today when both started earlier', () => {
    given([ectRegistered()]).when(assignMentor()).then([mentorAssigned(MENTOR_TRN, TODAY)]);
  });

  it('starts it on the ECT start when that is the latest', () => {
    given([ectRegistered({ startDate: '2026-02-01' })]).when(assignMentor()).then([mentorAssigned(MENTOR_TRN, '2026-02-01')]);
  });

  it('starts it on the mentor start when that is the latest', () => {
    given([ectRegistered()]).when(assignMentor({ startDate: '2026-03-01' })).then([mentorAssigned(MENTOR_TRN, '2026-03-01')]);
  });

  it('takes a requested start date only when it is later still', () => {
    given([ectRegistered()]).when(assignMentor({}, '2026-02-10')).then([mentorAssigned(MENTOR_TRN, '2026-02-10')]);
    given([ectRegistered()]).when(assignMentor({}, '2025-10-01')).then([mentorAssigned(MENTOR_TRN, TODAY)]);
  });

  it('accepts the mentor TRN in any spelling', () => {
    given([ectRegistered()]).when(assignMentor({ trn: '765 4321' })).then([mentorAssigned(MENTOR_TRN, TODAY)]);
  });
});

describe('when the ECT already has a mentor', () => {
  it('ends the existing mentorship the day before the new one starts', () => {
    given([ectRegistered(), mentorAssigned(OTHER_MENTOR, '2025-09-01')])
      .when(assignMentor())
      .then([mentorshipEnded('2026-01-14', 'replaced', OTHER_MENTOR), mentorAssigned(MENTOR_TRN, TODAY)]);
  });

  it('changes nothing when it is the same mentor', () => {
    given([ectRegistered(), mentorAssigned(MENTOR_TRN, '2025-09-01')]).when(assignMentor()).then([]);
  });
});

describe('when the ECT is already leaving', () => {
  it('ends the new mentorship on the ECT\'s last day', () => {
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2026-03-31')])
      .when(assignMentor())
      .then([mentorAssigned(MENTOR_TRN, TODAY), mentorshipEnded('2026-03-31', 'ect_left')]);
  });
});

describe('when the mentor leaves before the mentorship could start', () => {
  it('refuses as MENTORSHIP_START_AFTER_LEAVING', () => {
    given([ectRegistered({ startDate: '2026-02-01' })]).when(assignMentor({ leavingOn: '2026-01-31' })).then('MENTORSHIP_START_AFTER_LEAVING');
  });
});

describe('assigning a mentor who cannot mentor this ECT', () => {
  it('refuses the ECT as their own mentor as SELF_MENTORING', () => {
    given([ectRegistered()]).when(assignMentor({ trn: TRN })).then('SELF_MENTORING');
  });

  it('refuses a mentor not ongoing at the ECT\'s school as MENTOR_NOT_AT_SCHOOL', () => {
    given([ectRegistered()]).when(assignMentor({ ongoingAtSchool: false })).then('MENTOR_NOT_AT_SCHOOL');
    expect(given([ectRegistered()]).when(assignMentor({ ongoingAtSchool: false, startDate: null })).error().kind).toBe('unprocessable');
  });

  it('refuses an ECT not ongoing at that school as ECT_NOT_FOUND', () => {
    given([ectRegistered({ schoolUrn: SCHOOL_B })]).when(assignMentor()).then('ECT_NOT_FOUND');
    given([ectRegistered(), ectLeftSchool(SCHOOL_A, '2025-12-31')]).when(assignMentor()).then('ECT_NOT_FOUND');
  });

  it('refuses a mentor TRN that is not 5 to 7 digits, on the mentorTrn field', () => {
    expect(given([ectRegistered()]).when(assignMentor({ trn: '12' })).error()).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'mentorTrn' }] });
  });
});

describe('when the ECT\'s mentor has left the school', () => {
  it('ends the mentorship on the mentor\'s last day', () => {
    given([ectRegistered(), mentorAssigned()]).when(mentorLeft('2026-03-31')).then([mentorshipEnded('2026-03-31', 'mentor_left')]);
  });

  it('changes nothing when the mentorship already ended by then', () => {
    given([ectRegistered(), mentorAssigned(), mentorshipEnded('2026-02-28', 'ect_left')]).when(mentorLeft('2026-03-31')).then([]);
    given([ectRegistered(), mentorAssigned(), mentorshipEnded('2026-03-31', 'mentor_left')]).when(mentorLeft('2026-03-31')).then([]);
  });

  it('changes nothing for a mentorship with another mentor', () => {
    given([ectRegistered(), mentorAssigned(OTHER_MENTOR)]).when(mentorLeft('2026-03-31')).then([]);
  });
});
