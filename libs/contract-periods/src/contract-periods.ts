/**
 * Contract periods (cohorts): a year from 2021 with start and end dates. Dates are ISO `YYYY-MM-DD` strings in
 * England's calendar; no time zones are involved.
 */
export interface ContractPeriod {
  year: number;
  startDate: string; // inclusive
  endDate: string; // inclusive
}

export const FIRST_CONTRACT_PERIOD = 2021;

/** The configured contract periods, ordered by year, with no overlaps. */
export class ContractPeriodCalendar {
  private readonly periods: ContractPeriod[];

  constructor(periods: ContractPeriod[]) {
    this.periods = [...periods].sort((a, b) => a.year - b.year);
    for (const p of this.periods) {
      if (!Number.isInteger(p.year) || p.year < FIRST_CONTRACT_PERIOD) throw new Error(`Contract period ${p.year}: years start at ${FIRST_CONTRACT_PERIOD}`);
      if (!isIsoDate(p.startDate) || !isIsoDate(p.endDate) || p.startDate > p.endDate) {
        throw new Error(`Contract period ${p.year}: start and end must be dates (YYYY-MM-DD), start first`);
      }
    }
    for (let i = 1; i < this.periods.length; i++) {
      if (this.periods[i].startDate <= this.periods[i - 1].endDate) throw new Error(`Contract periods ${this.periods[i - 1].year} and ${this.periods[i].year} overlap`);
    }
  }

  /** Default: period Y runs 1 June Y to 31 May Y+1, for every year from 2021 to `lastYear`. */
  static standard(lastYear: number): ContractPeriodCalendar {
    const periods: ContractPeriod[] = [];
    for (let year = FIRST_CONTRACT_PERIOD; year <= lastYear; year++) {
      periods.push({ year, startDate: `${year}-06-01`, endDate: `${year + 1}-05-31` });
    }
    return new ContractPeriodCalendar(periods);
  }

  all(): ContractPeriod[] {
    return [...this.periods];
  }

  find(year: number): ContractPeriod | undefined {
    return this.periods.find((p) => p.year === year);
  }

  /** The period containing the date, if one is configured. */
  containing(date: string): ContractPeriod | undefined {
    return this.periods.find((p) => p.startDate <= date && date <= p.endDate);
  }

  /** The period before the one containing the date (the earliest an ECT's start date may be). */
  previous(date: string): ContractPeriod | undefined {
    const current = this.containing(date);
    if (!current) return undefined;
    return this.periods.filter((p) => p.year < current.year).pop();
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** `YYYY-MM-DD` of the given instant in UTC (the service's "today"). */
export function isoDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The day before an ISO date. */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
