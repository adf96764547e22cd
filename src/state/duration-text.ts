const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in the two largest units that matter, rounded down: "350 ms",
 * "45 s", "3 min 5 s", "2 h 5 min", "3 d 4 h"; a zero second unit is left
 * out ("1 h"). Negative durations (clock skew) read as zero.
 */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms)) : 0;
  if (total < SECOND) return `${total} ms`;
  if (total < MINUTE) return `${Math.floor(total / SECOND)} s`;
  if (total < HOUR) return twoUnits(total, MINUTE, 'min', SECOND, 's');
  if (total < DAY) return twoUnits(total, HOUR, 'h', MINUTE, 'min');
  return twoUnits(total, DAY, 'd', HOUR, 'h');
}

function twoUnits(ms: number, major: number, majorName: string, minor: number, minorName: string): string {
  const majors = Math.floor(ms / major);
  const minors = Math.floor((ms % major) / minor);
  return minors === 0 ? `${majors} ${majorName}` : `${majors} ${majorName} ${minors} ${minorName}`;
}
