import { t } from '../i18n/i18n.js';

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
  if (total < SECOND) return t('state:duration.ms', { n: total });
  if (total < MINUTE) return t('state:duration.s', { n: Math.floor(total / SECOND) });
  if (total < HOUR) return twoUnits(total, MINUTE, 'min', SECOND, 's');
  if (total < DAY) return twoUnits(total, HOUR, 'h', MINUTE, 'min');
  return twoUnits(total, DAY, 'd', HOUR, 'h');
}

type Unit = 'd' | 'h' | 'min' | 's';

function twoUnits(ms: number, major: number, majorUnit: Unit, minor: number, minorUnit: Unit): string {
  const majors = t(`state:duration.${majorUnit}`, { n: Math.floor(ms / major) });
  const minors = Math.floor((ms % major) / minor);
  return minors === 0 ? majors : `${majors} ${t(`state:duration.${minorUnit}`, { n: minors })}`;
}
