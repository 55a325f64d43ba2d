import { SCHOOL_EVENT_TYPES } from '@ect/schools';
import { teacherKey, TEACHER_EVENT_TYPES } from '@ect/teachers';
import { PERSONAL_DATA_ERASED } from './erasure.events';
import { getPath, PERSONAL_FIELDS, personalFieldsOf } from './personal-fields';
import { subjectHash } from './subjects';

const EMAIL_RESERVATION_EVENT_TYPES = ['EmailClaimed', 'EmailReleased'];

describe('the personal-data map', () => {
  it('covers exactly the event types of every codec (and the erasure event), so a new type cannot be forgotten', () => {
    const codecTypes = [...SCHOOL_EVENT_TYPES, ...TEACHER_EVENT_TYPES, ...EMAIL_RESERVATION_EVENT_TYPES, PERSONAL_DATA_ERASED].sort();
    expect(Object.keys(PERSONAL_FIELDS).sort()).toEqual(codecTypes);
  });

  it('lists names, emails and TRNs, each with the field that names their subject', () => {
    expect(personalFieldsOf('ECTRegistered')).toEqual([
      { path: 'trn', subject: 'teacher', idFrom: 'trn' },
      { path: 'firstName', subject: 'teacher', idFrom: 'trn' },
      { path: 'lastName', subject: 'teacher', idFrom: 'trn' },
      { path: 'email', subject: 'teacher', idFrom: 'trn' },
      { path: 'registeredBy.email', subject: 'user', idFrom: 'registeredBy.userId' },
      { path: 'registeredBy.name', subject: 'user', idFrom: 'registeredBy.userId' },
    ]);
    expect(personalFieldsOf('InductionTutorNominated')!.map((f) => [f.path, f.subject])).toEqual([['name', 'induction-tutor'], ['email', 'induction-tutor']]);
    expect(personalFieldsOf('MentorshipEnded')!.map((f) => [f.path, f.subject])).toEqual([['mentorTrn', 'teacher']]);
    expect(personalFieldsOf('SchoolDetailsRecorded')).toEqual([]);
    expect(personalFieldsOf('SomethingElse')).toBeNull();
  });

  it('names teachers and induction tutors by a field that is itself sealed, and users by their pseudonymous user id', () => {
    for (const fields of Object.values(PERSONAL_FIELDS)) {
      for (const field of fields) {
        if (field.subject === 'user') expect(field.idFrom).toMatch(/(^|\.)userId$/);
        else expect(fields.map((f) => f.path)).toContain(field.idFrom);
      }
    }
  });
});

describe('subject hashes', () => {
  it('are the teacher key for a teacher (the stream name already holds it) and prefixed by type otherwise', () => {
    const secret = 'a-stream-key-secret-of-enough-length-0123';
    expect(subjectHash('teacher', '0012345', secret)).toBe(teacherKey('12345', secret));
    expect(subjectHash('user', 'abc', secret)).not.toBe(subjectHash('induction-tutor', 'abc', secret));
    expect(getPath({ a: { b: 'x' } }, 'a.b')).toBe('x');
    expect(getPath({ a: null }, 'a.b')).toBeUndefined();
  });
});
