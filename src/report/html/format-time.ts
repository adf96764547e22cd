import { formatTime } from '../../i18n/i18n.js';

// Times are stored as ISO 8601 in UTC; the page shows them in the machine's
// time zone, each with its offset, written the page's language's way.

/** `6/1/25, 7:00:05 AM UTC-03:00` (`01/06/2025, 07:00:05 UTC-03:00` in pt-BR), or the stored text itself when it is not a time. */
export function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return formatTime(new Date(time));
}

/** Milliseconds from `from` to `to`, or null when either is not a time. */
export function millisecondsBetween(from: string, to: string): number | null {
  const start = Date.parse(from);
  const end = Date.parse(to);
  return Number.isNaN(start) || Number.isNaN(end) ? null : end - start;
}
