import { DomainError } from '@ect/command-runner';
import { normaliseTrn } from './teacher.trn';

describe('a TRN as typed by a person', () => {
  it('keeps a 7-digit TRN as it is', () => {
    expect(normaliseTrn('1234567')).toBe('1234567');
  });

  it('left-pads 5 or 6 digits with zeros to 7', () => {
    expect(normaliseTrn('12345')).toBe('0012345');
    expect(normaliseTrn('123456')).toBe('0123456');
  });

  it('removes everything that is not a digit first', () => {
    expect(normaliseTrn(' 12-34 5 ')).toBe('0012345');
    expect(normaliseTrn('RP99/12345')).toBe('9912345');
  });

  it('returns a normalised TRN unchanged', () => {
    expect(normaliseTrn(normaliseTrn('12345'))).toBe('0012345');
  });
});

describe('a TRN with too few or too many digits', () => {
  it.each(['', 'abc', '1234', '12345678', '00012345678'])('refuses %p as VALIDATION_FAILED naming the trn field', (input) => {
    let error: unknown;
    try {
      normaliseTrn(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', kind: 'invalid', fields: [{ field: 'trn' }] });
  });

  it('names the field it was given', () => {
    expect(() => normaliseTrn('12', 'mentorTrn')).toThrow(expect.objectContaining({ fields: [expect.objectContaining({ field: 'mentorTrn' })] }));
  });
});
