import { formatDuration } from '../../state/duration-text.js';
import type { RunSummary } from '../../state/run-records.js';
import { escapeHtml, htmlLine } from './escape-html.js';
import { formatCount } from './format-count.js';
import { formatTimestamp } from './format-time.js';
import { type ChartGeometry, type ChartRun, chartGeometry } from './history-chart-geometry.js';
import { outcomeTone } from './run-outcome.js';

// The `#history-chart` section: bars for operations per run, a line with dots
// for the duration, a red cross above every failed run; one `<title>` per run
// is the tooltip. Inline SVG only, so the page needs nothing else.

export function historyChartSection(newestFirst: readonly RunSummary[]): string {
  if (newestFirst.length === 0) {
    return `<section id="history-chart" data-runs="0">
<h2>Run history</h2>
<p class="empty">No runs yet: nothing to chart.</p>
</section>`;
  }
  const geometry = chartGeometry(newestFirst);
  const shown = geometry.runs.length;
  const failures = geometry.runs.filter((chartRun) => chartRun.failure).length;
  const caption =
    shown < geometry.totalRuns
      ? `The last ${formatCount(shown)} of ${formatCount(geometry.totalRuns)} runs, oldest on the left.`
      : `${runsText(shown)}, oldest on the left.`;
  return `<section id="history-chart" data-runs="${shown}" data-failures="${failures}">
<h2>Run history</h2>
<p class="caption">${caption} ${failures === 0 ? 'No failures.' : `${runsText(failures)} failed, marked in red.`}</p>
${chartSvg(geometry)}
${legend()}
</section>`;
}

function runsText(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'run' : 'runs'}`;
}

/** SVG coordinates with at most two decimals. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function chartSvg(geometry: ChartGeometry): string {
  const { layout } = geometry;
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-labelledby="chart-title">
<title id="chart-title">Operations and duration per run</title>
${gridAndAxes(geometry)}
<g class="runs">
${geometry.runs.map(runGroup).join('\n')}
</g>
${durationLine(geometry)}
<g class="duration-dots">
${geometry.runs.map(durationDot).join('\n')}
</g>
</svg>`;
}

function gridAndAxes(geometry: ChartGeometry): string {
  const { plot, operationsAxis, durationAxis, xLabels } = geometry;
  const middleY = (plot.top + plot.bottom) / 2;
  const leftTitleX = plot.left - 52;
  const rightTitleX = plot.right + 56;
  const grid = operationsAxis.tickPositions
    .map(
      (tick) =>
        `<line class="grid" x1="${n(plot.left)}" x2="${n(plot.right)}" y1="${n(tick.y)}" y2="${n(tick.y)}"/>` +
        `<text class="tick operations-tick" x="${n(plot.left - 8)}" y="${n(tick.y)}" text-anchor="end" dominant-baseline="middle">${formatCount(tick.value)}</text>`,
    )
    .join('\n');
  const durationTicks = durationAxis.tickPositions
    .map(
      (tick) =>
        `<line class="axis" x1="${n(plot.right)}" x2="${n(plot.right + 4)}" y1="${n(tick.y)}" y2="${n(tick.y)}"/>` +
        `<text class="tick duration-tick" x="${n(plot.right + 8)}" y="${n(tick.y)}" dominant-baseline="middle">${tick.value}</text>`,
    )
    .join('\n');
  const labels = xLabels
    .map((label) => `<text class="tick run-tick" x="${n(label.x)}" y="${n(plot.bottom + 18)}" text-anchor="middle">${escapeHtml(label.text)}</text>`)
    .join('\n');
  return `<g class="axes">
${grid}
<line class="axis" x1="${n(plot.left)}" x2="${n(plot.left)}" y1="${n(plot.top)}" y2="${n(plot.bottom)}"/>
<line class="axis" x1="${n(plot.right)}" x2="${n(plot.right)}" y1="${n(plot.top)}" y2="${n(plot.bottom)}"/>
<line class="axis" x1="${n(plot.left)}" x2="${n(plot.right)}" y1="${n(plot.bottom)}" y2="${n(plot.bottom)}"/>
${durationTicks}
${labels}
<text class="axis-title" id="operations-axis-title" transform="translate(${n(leftTitleX)} ${n(middleY)}) rotate(-90)" text-anchor="middle">Operations per run (done + failed)</text>
<text class="axis-title" id="duration-axis-title" transform="translate(${n(rightTitleX)} ${n(middleY)}) rotate(90)" text-anchor="middle">Duration (${durationAxis.unit.label})</text>
<text class="axis-title" id="run-axis-title" x="${n((plot.left + plot.right) / 2)}" y="${n(plot.bottom + 44)}" text-anchor="middle">Run (oldest → newest)</text>
</g>`;
}

function runTooltip(chartRun: ChartRun): string {
  const { run } = chartRun;
  const parts = [
    `Run #${run.id} (${run.command}): ${run.outcome}`,
    `started ${formatTimestamp(run.startedAt)}`,
    run.durationMs === null ? 'no duration' : `took ${formatDuration(run.durationMs)}`,
    `${formatCount(chartRun.operations)} operations (${formatCount(run.operations.done)} done, ${formatCount(run.operations.failed)} failed)`,
  ];
  if (run.verdict !== null) parts.push(run.verdict);
  return htmlLine(parts.join(' · '));
}

function runGroup(chartRun: ChartRun): string {
  const { run, bar, marker } = chartRun;
  const tone = outcomeTone(run.outcome);
  const crossSize = marker?.halfSize ?? 0;
  const cross =
    marker === null
      ? ''
      : `<path class="failure-marker" d="M${n(chartRun.x - crossSize)} ${n(marker.y - crossSize)}L${n(chartRun.x + crossSize)} ${n(marker.y + crossSize)}M${n(chartRun.x + crossSize)} ${n(marker.y - crossSize)}L${n(chartRun.x - crossSize)} ${n(marker.y + crossSize)}"/>`;
  return `<g class="run" data-run-id="${run.id}" data-outcome="${escapeHtml(run.outcome)}" data-failure="${chartRun.failure}">
<title>${runTooltip(chartRun)}</title>
<rect class="slot" x="${n(chartRun.slotLeft)}" y="0" width="${n(chartRun.slotWidth)}" height="${n(bar.y + bar.height + 4)}"/>
<rect class="ops-bar tone-${tone}" x="${n(bar.x)}" y="${n(bar.y)}" width="${n(bar.width)}" height="${n(bar.height)}" data-operations="${chartRun.operations}"/>${cross}
</g>`;
}

function durationLine(geometry: ChartGeometry): string {
  const d = geometry.durationSegments
    .filter((segment) => segment.length > 1)
    .map((segment) => segment.map((point, index) => `${index === 0 ? 'M' : 'L'}${n(point.x)} ${n(point.y)}`).join(''))
    .join('');
  return d === '' ? '' : `<path class="duration-line" d="${d}"/>`;
}

function durationDot(chartRun: ChartRun): string {
  if (chartRun.duration === null) return '';
  const failure = chartRun.failure ? ' failure' : '';
  return `<circle class="duration-dot${failure}" data-run-id="${chartRun.run.id}" cx="${n(chartRun.x)}" cy="${n(chartRun.duration.y)}" r="${n(chartRun.duration.radius)}"><title>${runTooltip(chartRun)}</title></circle>`;
}

function legend(): string {
  const swatch = (inner: string): string => `<svg class="swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">${inner}</svg>`;
  return `<ul class="legend">
<li>${swatch('<rect class="ops-bar tone-ok" x="3" y="2" width="10" height="14"/>')} Operations per run (done + failed), coloured by outcome</li>
<li>${swatch('<path class="duration-line" d="M0 8H16"/><circle class="duration-dot" cx="8" cy="8" r="3.5"/>')} Duration</li>
<li>${swatch('<path class="failure-marker" d="M3 3L13 13M13 3L3 13"/>')} Failed, refused, unreachable or interrupted run</li>
</ul>`;
}
