const PARTS: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };

/**
 * `04/12/2026 10:47:03 UTC-03:00` (pt-BR) or `12/04/2026 10:47:03 UTC-03:00`
 * (en): the machine's time zone, the day written the language's way, a
 * four-digit year and a 24-hour clock (no AM/PM, whose spacing differs
 * between ICU versions).
 */
export function formatLocalTime(date: Date, language: string): string {
  const text = new Intl.DateTimeFormat(language, PARTS).format(date).replace(',', '');
  return `${text} ${utcOffset(date)}`;
}

/** The machine's offset from UTC at `date`, as `UTC-03:00` (`UTC` when there is none). */
export function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * ISO 8601 in the machine's time zone, with its offset (`2026-12-04T10:47:03.120-03:00`;
 * `Z` where the offset is zero): sortable like UTC, and read at a glance.
 */
export function localIsoTime(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const shifted = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, -1);
  if (minutes === 0) return `${shifted}Z`;
  return `${shifted}${utcOffset(date).slice('UTC'.length)}`;
}
