// A real time axis for the dashboard's charts: ticks at round local times
// (every 5 minutes, every hour, every day at midnight...), labelled in the
// machine's time zone the page's language's way.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick spacings tried from the finest up; the first that gives at most `maxTicks` ticks is used. */
const STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

export interface TimeTick {
  readonly at: number;
  readonly label: string;
}

export interface TimeAxis {
  readonly start: number;
  readonly end: number;
  readonly ticks: readonly TimeTick[];
}

/**
 * The ticks between `start` and `end` (epoch ms). A range shorter than a
 * minute is widened to one, so one point still sits on a usable axis.
 */
export function timeAxis(start: number, end: number, language: string, maxTicks = 6): TimeAxis {
  const from = Math.min(start, end);
  const to = Math.max(end, from + MINUTE);
  const span = to - from;
  const step = STEPS.find((candidate) => span / candidate <= maxTicks) ?? Math.ceil(span / maxTicks / DAY) * DAY;
  const offset = localOffsetMs(from);
  const first = Math.ceil((from + offset) / step) * step - offset;
  const label = labelFormat(step, span, language);
  const ticks: TimeTick[] = [];
  for (let at = first; at <= to; at += step) ticks.push({ at, label: label.format(new Date(at)).replace(',', '') });
  return { start: from, end: to, ticks };
}

/** Where `at` falls between `left` and `right`. */
export function timeToX(axis: TimeAxis, at: number, left: number, right: number): number {
  return left + ((at - axis.start) / (axis.end - axis.start)) * (right - left);
}

/** Milliseconds to add to a UTC instant to read the machine's wall clock (tick alignment only). */
function localOffsetMs(at: number): number {
  return -new Date(at).getTimezoneOffset() * MINUTE;
}

function labelFormat(step: number, span: number, language: string): Intl.DateTimeFormat {
  if (step >= DAY) return new Intl.DateTimeFormat(language, { day: '2-digit', month: '2-digit' });
  if (span > DAY) return new Intl.DateTimeFormat(language, { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** How a tick's label is anchored: kept inside the chart at either end. */
export function tickAnchor(x: number, left: number, right: number, margin = 24): 'start' | 'middle' | 'end' {
  if (x > right - margin) return 'end';
  if (x < left + margin) return 'start';
  return 'middle';
}
