import { LICENSE_PERIOD_MONTHS, type LicenseType } from './license-type.js';

/** A calendar date as the API writes it: `YYYY-MM-DD`. */
export type CalendarDate = string;

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = CALENDAR_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The UTC calendar date of an instant. */
export function utcCalendarDate(instant: Date): CalendarDate {
  return instant.toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Adds whole months, keeping the day of month and clamping it to the last day
 * of a shorter month (2025-01-31 + 1 month = 2025-02-28), as the server does.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const match = CALENDAR_DATE.exec(date);
  if (!match || !isCalendarDate(date)) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  const monthIndex = Number(match[1]) * 12 + (Number(match[2]) - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const day = Math.min(Number(match[3]), daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return utcCalendarDate(instant);
}

/** The `end_date` the server writes for a license of `type` starting on `start`. */
export function licenseEndDate(type: LicenseType, start: CalendarDate): CalendarDate | null {
  const months = LICENSE_PERIOD_MONTHS[type];
  return months === null ? null : addMonths(start, months);
}
