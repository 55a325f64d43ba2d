/**
 * Dates are ISO `YYYY-MM-DD` strings, which order correctly as strings. A leaving or end date is the last day
 * (inclusive) of the period.
 */

/** The day after an ISO date. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The latest of some ISO dates. */
export function latestDate(first: string, ...rest: string[]): string {
  return rest.reduce((latest, date) => (date > latest ? date : latest), first);
}

/**
 * Where a person stands in a period on `today`: no end date is 'ongoing'; an end date today or later is 'leaving'
 * (today is still their last day); an end date before today is 'left'. Derived, never stored: it changes with the clock.
 */
export type PeriodStatus = 'ongoing' | 'leaving' | 'left';

export function periodStatus(endDate: string | null, today: string): PeriodStatus {
  if (endDate === null) return 'ongoing';
  return endDate >= today ? 'leaving' : 'left';
}

/** True while the period has not ended by `today` (ongoing or leaving). */
export function isCurrent(endDate: string | null, today: string): boolean {
  return periodStatus(endDate, today) !== 'left';
}

/** True when the period still runs on `date` or later, i.e. it must be cut short for something starting on `date`. */
export function runsOnOrAfter(endDate: string | null, date: string): boolean {
  return endDate === null || endDate >= date;
}
