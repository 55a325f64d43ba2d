import { createHmac } from 'node:crypto';
import { emailReservationStreamName, normaliseEmail, teacherKey, teacherStreamName } from './teacher.keys';

const SECRET = 'test-secret-not-for-production';
const STREAM_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*-[A-Za-z0-9._-]+$/;

describe('the key of a teacher', () => {
  it('is the HMAC-SHA256 (hex) of the normalised TRN under the secret', () => {
    expect(teacherKey('1234567', SECRET)).toBe(createHmac('sha256', SECRET).update('1234567').digest('hex'));
  });

  it('is the same for any spelling of one TRN', () => {
    expect(teacherKey('12345', SECRET)).toBe(teacherKey('001-2345', SECRET));
  });

  it('differs with another secret or another TRN', () => {
    expect(teacherKey('1234567', 'another-secret')).not.toBe(teacherKey('1234567', SECRET));
    expect(teacherKey('1234568', SECRET)).not.toBe(teacherKey('1234567', SECRET));
  });

  it('needs a configured secret', () => {
    expect(() => teacherKey('1234567', '')).toThrow(/secret/);
  });
});

describe('stream names', () => {
  it('names a teacher stream teacher-<key>, holding no TRN', () => {
    const name = teacherStreamName('1234567', SECRET);
    expect(name).toBe(`teacher-${teacherKey('1234567', SECRET)}`);
    expect(name).toMatch(STREAM_NAME);
    expect(name).not.toContain('1234567');
  });

  it('names an email reservation stream ect_email-<hmac of the normalised email>, holding no email', () => {
    const name = emailReservationStreamName(' Ada@Example.COM ', SECRET);
    expect(name).toBe(emailReservationStreamName('ada@example.com', SECRET));
    expect(name).toBe(`ect_email-${createHmac('sha256', SECRET).update('ada@example.com').digest('hex')}`);
    expect(name).toMatch(STREAM_NAME);
    expect(name).not.toContain('ada');
  });
});

describe('an email as typed', () => {
  it('is compared trimmed and lower-cased', () => {
    expect(normaliseEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});
