// Times are stored as ISO 8601 in UTC; the page shows them in UTC too, so it
// reads the same wherever it is opened.

/** `2025-06-01 10:00:05 UTC`, or the stored text itself when it is not a time. */
export function formatTimestamp(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Milliseconds from `from` to `to`, or null when either is not a time. */
export function millisecondsBetween(from: string, to: string): number | null {
  const start = Date.parse(from);
  const end = Date.parse(to);
  return Number.isNaN(start) || Number.isNaN(end) ? null : end - start;
}
