import type { RunSummary } from '../../state/run-records.js';
import { type Axis, type DurationUnit, durationUnit, niceAxis } from './chart-axis.js';
import { isFailureOutcome } from './run-outcome.js';

// Where everything in the history chart goes, in SVG user units. Pure: the
// SVG writer only turns these numbers into elements.

/** The chart shows at most this many runs, the newest ones. */
export const CHART_MAX_RUNS = 100;

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };
}

export const DEFAULT_CHART_LAYOUT: ChartLayout = { width: 960, height: 340, margin: { top: 32, right: 72, bottom: 60, left: 72 } };

export interface PlotArea {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export interface ChartRun {
  readonly run: RunSummary;
  /** Done + failed. */
  readonly operations: number;
  readonly failure: boolean;
  /** The centre of the run's slot. */
  readonly x: number;
  readonly slotLeft: number;
  readonly slotWidth: number;
  readonly bar: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Null when the run has no duration (running or interrupted). */
  readonly duration: { readonly y: number; readonly radius: number } | null;
  /** The failure marker (a cross above the plot), only for failures. */
  readonly marker: { readonly y: number; readonly halfSize: number } | null;
}

export interface AxisTick {
  readonly value: number;
  readonly y: number;
}

export interface ChartGeometry {
  readonly layout: ChartLayout;
  readonly plot: PlotArea;
  /** Oldest → newest. */
  readonly runs: readonly ChartRun[];
  readonly totalRuns: number;
  readonly operationsAxis: Axis & { readonly tickPositions: readonly AxisTick[] };
  readonly durationAxis: Axis & { readonly unit: DurationUnit; readonly tickPositions: readonly AxisTick[] };
  /** Run labels under the x axis: never more than about a dozen, the newest run always labelled. */
  readonly xLabels: readonly { readonly x: number; readonly text: string }[];
  /** The duration line: one list of points per stretch of runs that have a duration. */
  readonly durationSegments: readonly (readonly { readonly x: number; readonly y: number }[])[];
}

const MAX_X_LABELS = 12;
const BAR_SHARE_OF_SLOT = 0.6;
const MAX_BAR_WIDTH = 36;

/** The runs the chart shows, oldest → newest, from a history listed newest first. */
export function chartedRuns(newestFirst: readonly RunSummary[], max = CHART_MAX_RUNS): RunSummary[] {
  return newestFirst.slice(0, max).reverse();
}

export function operationsOf(run: RunSummary): number {
  return run.operations.done + run.operations.failed;
}

export function chartGeometry(newestFirst: readonly RunSummary[], layout: ChartLayout = DEFAULT_CHART_LAYOUT): ChartGeometry {
  const plot: PlotArea = {
    left: layout.margin.left,
    right: layout.width - layout.margin.right,
    top: layout.margin.top,
    bottom: layout.height - layout.margin.bottom,
  };
  const plotHeight = plot.bottom - plot.top;
  const runs = chartedRuns(newestFirst);
  const operationsAxis = niceAxis(Math.max(0, ...runs.map(operationsOf)), 5, 1);
  const maxDurationMs = Math.max(0, ...runs.map((run) => run.durationMs ?? 0));
  const unit = durationUnit(maxDurationMs);
  const durationAxis = niceAxis(maxDurationMs / unit.ms, 5);
  const yOf = (value: number, top: number): number => plot.bottom - (value / top) * plotHeight;

  const slotWidth = runs.length === 0 ? 0 : (plot.right - plot.left) / runs.length;
  const barWidth = Math.min(slotWidth * BAR_SHARE_OF_SLOT, MAX_BAR_WIDTH);
  const dotRadius = Math.min(4, Math.max(1.5, slotWidth * 0.25));
  const markerHalfSize = Math.min(6, Math.max(2.5, slotWidth * 0.3));

  const chartRuns = runs.map((run, index): ChartRun => {
    const slotLeft = plot.left + index * slotWidth;
    const x = slotLeft + slotWidth / 2;
    const operations = operationsOf(run);
    const barTop = yOf(operations, operationsAxis.top);
    const failure = isFailureOutcome(run.outcome);
    return {
      run,
      operations,
      failure,
      x,
      slotLeft,
      slotWidth,
      bar: { x: x - barWidth / 2, y: barTop, width: barWidth, height: plot.bottom - barTop },
      duration: run.durationMs === null ? null : { y: yOf(run.durationMs / unit.ms, durationAxis.top), radius: dotRadius },
      marker: failure ? { y: plot.top - markerHalfSize - 6, halfSize: markerHalfSize } : null,
    };
  });

  return {
    layout,
    plot,
    runs: chartRuns,
    totalRuns: newestFirst.length,
    operationsAxis: { ...operationsAxis, tickPositions: operationsAxis.ticks.map((value) => ({ value, y: yOf(value, operationsAxis.top) })) },
    durationAxis: { ...durationAxis, unit, tickPositions: durationAxis.ticks.map((value) => ({ value, y: yOf(value, durationAxis.top) })) },
    xLabels: labelledIndexes(chartRuns.length).map((index) => {
      const chartRun = chartRuns[index] as ChartRun;
      return { x: chartRun.x, text: `#${chartRun.run.id}` };
    }),
    durationSegments: durationSegments(chartRuns),
  };
}

/** Indexes of the runs labelled under the x axis, counted back from the newest. */
export function labelledIndexes(count: number, maxLabels = MAX_X_LABELS): number[] {
  if (count === 0) return [];
  const step = Math.ceil(count / maxLabels);
  const indexes: number[] = [];
  for (let index = count - 1; index >= 0; index -= step) indexes.unshift(index);
  return indexes;
}

function durationSegments(runs: readonly ChartRun[]): { x: number; y: number }[][] {
  const segments: { x: number; y: number }[][] = [];
  let current: { x: number; y: number }[] = [];
  for (const chartRun of runs) {
    if (chartRun.duration === null) {
      if (current.length > 0) segments.push(current);
      current = [];
    } else {
      current.push({ x: chartRun.x, y: chartRun.duration.y });
    }
  }
  if (current.length > 0) segments.push(current);
  return segments;
}
