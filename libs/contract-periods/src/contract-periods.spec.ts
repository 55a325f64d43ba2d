import { ContractPeriodCalendar, dayBefore, isIsoDate } from './contract-periods';

describe('the standard contract period calendar', () => {
  const calendar = ContractPeriodCalendar.standard(2026);

  it('runs period Y from 1 June Y to 31 May Y+1, from 2021', () => {
    expect(calendar.find(2021)).toEqual({ year: 2021, startDate: '2021-06-01', endDate: '2022-05-31' });
    expect(calendar.find(2020)).toBeUndefined();
    expect(calendar.find(2027)).toBeUndefined();
  });

  it('finds the period containing a date, and the one before it', () => {
    expect(calendar.containing('2026-05-31')?.year).toBe(2025);
    expect(calendar.containing('2026-06-01')?.year).toBe(2026);
    expect(calendar.previous('2026-09-01')?.year).toBe(2025);
    expect(calendar.previous('2021-09-01')).toBeUndefined();
  });

  it('refuses overlapping or malformed periods', () => {
    expect(() => new ContractPeriodCalendar([{ year: 2021, startDate: '2021-06-01', endDate: '2022-06-30' }, { year: 2022, startDate: '2022-06-01', endDate: '2023-05-31' }])).toThrow(/overlap/);
    expect(() => new ContractPeriodCalendar([{ year: 2019, startDate: '2019-06-01', endDate: '2020-05-31' }])).toThrow(/2021/);
  });
});

describe('dates', () => {
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-2-1')).toBe(false);
  });

  it('gives the day before, across months and years', () => {
    expect(dayBefore('2026-01-01')).toBe('2025-12-31');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
  });
});
