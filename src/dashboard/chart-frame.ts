import { formatNumber } from '../i18n/i18n.js';
import { escapeHtml } from '../report/html/escape-html.js';
import { n } from './svg-number.js';
import { tickAnchor } from './time-axis.js';

// The frame both dashboard charts draw around their marks: horizontal grid
// lines with their values on the left, ticks and labels of the time axis
// below, and the two axis lines.

export interface PlotArea {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export interface ChartFrame {
  readonly plot: PlotArea;
  /** Each grid line: the value it shows and its y. */
  readonly grid: readonly { readonly value: number; readonly y: number }[];
  /** Each time tick: its label and its x. */
  readonly timeTicks: readonly { readonly label: string; readonly x: number }[];
  /** Room between the plot's left edge and the grid values. */
  readonly valueGap: number;
  /** Length of a time tick below the plot. */
  readonly tickLength: number;
  /** Distance from the plot's bottom to the time labels' baseline. */
  readonly labelDrop: number;
}

export function chartFrame(frame: ChartFrame): string {
  const { plot } = frame;
  const grid = frame.grid.map(
    ({ value, y }) =>
      `<line class="grid" x1="${plot.left}" x2="${plot.right}" y1="${n(y)}" y2="${n(y)}"/>` +
      `<text x="${plot.left - frame.valueGap}" y="${n(y)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatNumber(value))}</text>`,
  );
  const ticks = frame.timeTicks.map(
    ({ label, x }) =>
      `<line class="axis" x1="${n(x)}" x2="${n(x)}" y1="${plot.bottom}" y2="${plot.bottom + frame.tickLength}"/>` +
      `<text x="${n(x)}" y="${plot.bottom + frame.labelDrop}" text-anchor="${tickAnchor(x, plot.left, plot.right)}">${escapeHtml(label)}</text>`,
  );
  return [
    ...grid,
    ...ticks,
    `<line class="axis" x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}"/>`,
    `<line class="axis" x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}"/>`,
  ].join('\n');
}
