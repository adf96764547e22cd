import { describe, expect, it } from 'vitest';
import {
  CHART_MAX_RUNS,
  DEFAULT_CHART_LAYOUT,
  chartGeometry,
  chartedRuns,
  labelledIndexes,
} from '../../../src/report/html/history-chart-geometry.js';
import { aHistory, aRun } from '../support/run-history-builders.js';

const plotBottom = DEFAULT_CHART_LAYOUT.height - DEFAULT_CHART_LAYOUT.margin.bottom;
const plotTop = DEFAULT_CHART_LAYOUT.margin.top;

describe('chartedRuns', () => {
  it('turns a newest-first history into oldest → newest', () => {
    expect(chartedRuns(aHistory(3)).map((run) => run.id)).toEqual([1, 2, 3]);
  });

  it('keeps only the newest runs when there are too many', () => {
    const ids = chartedRuns(aHistory(130)).map((run) => run.id);
    expect(ids).toHaveLength(CHART_MAX_RUNS);
    expect(ids[0]).toBe(31);
    expect(ids.at(-1)).toBe(130);
  });
});

describe('chartGeometry', () => {
  it('has nothing to draw for no runs', () => {
    const geometry = chartGeometry([]);
    expect(geometry.runs).toEqual([]);
    expect(geometry.xLabels).toEqual([]);
    expect(geometry.durationSegments).toEqual([]);
    expect(geometry.operationsAxis.top).toBe(1);
  });

  it('centres a single run and scales its bar and dot to the full height', () => {
    const geometry = chartGeometry([aRun(7, { operations: { planned: 4, done: 3, failed: 1, notSent: 0 }, durationMs: 2_000 })]);
    expect(geometry.runs).toHaveLength(1);
    const [only] = geometry.runs;
    expect(only?.x).toBeCloseTo(DEFAULT_CHART_LAYOUT.width / 2 + (DEFAULT_CHART_LAYOUT.margin.left - DEFAULT_CHART_LAYOUT.margin.right) / 2);
    expect(only?.operations).toBe(4);
    expect(geometry.operationsAxis.top).toBe(4);
    expect(only?.bar.y).toBeCloseTo(plotTop);
    expect((only?.bar.y ?? 0) + (only?.bar.height ?? 0)).toBeCloseTo(plotBottom);
    expect(geometry.durationAxis.unit.label).toBe('s');
    expect(only?.duration?.y).toBeCloseTo(plotTop);
    expect(geometry.xLabels).toEqual([{ x: only?.x, text: '#7' }]);
  });

  it('scales bars to operations (done + failed) and dots to duration', () => {
    const runs = [
      aRun(3, { operations: { planned: 10, done: 10, failed: 0, notSent: 0 }, durationMs: 20_000 }),
      aRun(2, { operations: { planned: 5, done: 4, failed: 1, notSent: 0 }, durationMs: 10_000 }),
      aRun(1, { operations: { planned: 0, done: 0, failed: 0, notSent: 0 }, durationMs: 0 }),
    ];
    const geometry = chartGeometry(runs);
    const height = plotBottom - plotTop;
    expect(geometry.runs.map((run) => run.run.id)).toEqual([1, 2, 3]);
    expect(geometry.runs.map((run) => run.bar.height / height)).toEqual([0, 0.5, 1]);
    expect(geometry.runs.map((run) => (plotBottom - run.duration!.y) / height)).toEqual([0, 0.5, 1]);
    const xs = geometry.runs.map((run) => run.x);
    expect(xs[1]! - xs[0]!).toBeCloseTo(xs[2]! - xs[1]!);
  });

  it('marks failed, refused, unreachable and interrupted runs, and only those', () => {
    const runs = [
      aRun(7, { outcome: 'running' }),
      aRun(6, { outcome: 'interrupted' }),
      aRun(5, { outcome: 'unreachable' }),
      aRun(4, { outcome: 'refused' }),
      aRun(3, { outcome: 'failed' }),
      aRun(2, { outcome: 'changes-pending' }),
      aRun(1, { outcome: 'in-sync' }),
    ];
    const geometry = chartGeometry(runs);
    const marked = geometry.runs.filter((run) => run.marker !== null).map((run) => run.run.id);
    expect(marked).toEqual([3, 4, 5, 6]);
    expect(geometry.runs.filter((run) => run.failure).map((run) => run.run.id)).toEqual([3, 4, 5, 6]);
    for (const run of geometry.runs) if (run.marker !== null) expect(run.marker.y).toBeLessThan(plotTop);
  });

  it('breaks the duration line at runs without a duration', () => {
    const runs = [aRun(5), aRun(4), aRun(3, { outcome: 'interrupted' }), aRun(2), aRun(1)];
    const geometry = chartGeometry(runs);
    expect(geometry.runs.find((run) => run.run.id === 3)?.duration).toBeNull();
    expect(geometry.durationSegments.map((segment) => segment.length)).toEqual([2, 2]);
  });

  it('draws at most 100 runs, all inside the plot, and labels about a dozen of them', () => {
    const geometry = chartGeometry(aHistory(250));
    expect(geometry.runs).toHaveLength(CHART_MAX_RUNS);
    expect(geometry.totalRuns).toBe(250);
    const plotRight = DEFAULT_CHART_LAYOUT.width - DEFAULT_CHART_LAYOUT.margin.right;
    for (const run of geometry.runs) {
      expect(run.bar.x).toBeGreaterThanOrEqual(DEFAULT_CHART_LAYOUT.margin.left);
      expect(run.bar.x + run.bar.width).toBeLessThanOrEqual(plotRight);
    }
    expect(geometry.xLabels.length).toBeLessThanOrEqual(12);
    expect(geometry.xLabels.at(-1)?.text).toBe('#250');
  });
});

describe('labelledIndexes', () => {
  it('labels every run when there are few', () => {
    expect(labelledIndexes(3)).toEqual([0, 1, 2]);
  });

  it('steps back from the newest run when there are many', () => {
    expect(labelledIndexes(25, 12)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
    expect(labelledIndexes(0)).toEqual([]);
  });
});
