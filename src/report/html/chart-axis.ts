// Axis scales for the history chart: a round top value and evenly spaced ticks.

export interface Axis {
  /** The value at the top of the plot. */
  readonly top: number;
  /** Tick values from 0 to `top`, ascending. */
  readonly ticks: readonly number[];
}

/**
 * The smallest axis whose top is at least `max`, stepped 1, 2 or 5 × 10^k so
 * that there are at most `targetTicks` steps; `minStep` keeps counts whole.
 */
export function niceAxis(max: number, targetTicks = 5, minStep = 0): Axis {
  if (!Number.isInteger(targetTicks) || targetTicks < 1) throw new RangeError(`targetTicks must be a whole number >= 1, got ${targetTicks}`);
  const highest = Number.isFinite(max) && max > 0 ? max : 0;
  if (highest === 0) return { top: Math.max(1, minStep), ticks: [0, Math.max(1, minStep)] };
  const step = Math.max(niceStep(highest / targetTicks), minStep);
  const steps = Math.ceil(highest / step - 1e-9);
  const ticks = Array.from({ length: steps + 1 }, (_, index) => roundToStep(index * step, step));
  return { top: ticks.at(-1) ?? step, ticks };
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

// 3 × 0.1 is 0.30000000000000004: keep tick labels clean.
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(value.toFixed(decimals));
}

export interface DurationUnit {
  /** Shown on the axis: `ms`, `s`, `min`, `h`. */
  readonly label: string;
  readonly ms: number;
}

/** The unit the duration axis is labelled in, chosen so the longest run reads as a small number. */
export function durationUnit(maxMs: number): DurationUnit {
  if (maxMs < 1000) return { label: 'ms', ms: 1 };
  if (maxMs < 2 * 60_000) return { label: 's', ms: 1000 };
  if (maxMs < 2 * 3_600_000) return { label: 'min', ms: 60_000 };
  return { label: 'h', ms: 3_600_000 };
}
