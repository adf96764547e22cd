import { formatNumber, t } from '../../i18n/i18n.js';
import { formatDuration } from '../../state/duration-text.js';
import type { RunSummary } from '../../state/run-records.js';
import { escapeHtml, htmlLine } from './escape-html.js';
import { formatCount } from './format-count.js';
import { formatTimestamp } from './format-time.js';
import { type ChartGeometry, type ChartRun, chartGeometry } from './history-chart-geometry.js';
import { outcomeLabel, outcomeTone } from './run-outcome.js';

// The `#history-chart` section: bars for operations per run, a line with dots
// for the duration, a red cross above every failed run; one `<title>` per run
// is the tooltip. Inline SVG only, so the page needs nothing else.

export function historyChartSection(newestFirst: readonly RunSummary[]): string {
  if (newestFirst.length === 0) {
    return `<section id="history-chart" data-runs="0">
<h2>${escapeHtml(t('html:chart.title'))}</h2>
<p class="empty">${escapeHtml(t('html:chart.empty'))}</p>
</section>`;
  }
  const geometry = chartGeometry(newestFirst);
  const shown = geometry.runs.length;
  const failures = geometry.runs.filter((chartRun) => chartRun.failure).length;
  const caption = shown < geometry.totalRuns ? t('html:chart.captionLast', { count: shown, total: geometry.totalRuns }) : t('html:chart.captionAll', { count: shown });
  const failuresText = failures === 0 ? t('html:chart.noFailures') : t('html:chart.failures', { count: failures });
  return `<section id="history-chart" data-runs="${shown}" data-failures="${failures}">
<h2>${escapeHtml(t('html:chart.title'))}</h2>
<p class="caption">${escapeHtml(`${caption} ${failuresText}`)}</p>
${chartSvg(geometry)}
${legend()}
</section>`;
}

/** SVG coordinates with at most two decimals. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function chartSvg(geometry: ChartGeometry): string {
  const { layout } = geometry;
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-labelledby="chart-title">
<title id="chart-title">${escapeHtml(t('html:chart.svgTitle'))}</title>
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
        `<text class="tick duration-tick" x="${n(plot.right + 8)}" y="${n(tick.y)}" dominant-baseline="middle">${formatNumber(tick.value)}</text>`,
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
<text class="axis-title" id="operations-axis-title" transform="translate(${n(leftTitleX)} ${n(middleY)}) rotate(-90)" text-anchor="middle">${escapeHtml(t('html:chart.axis.operations'))}</text>
<text class="axis-title" id="duration-axis-title" transform="translate(${n(rightTitleX)} ${n(middleY)}) rotate(90)" text-anchor="middle">${escapeHtml(t('html:chart.axis.duration', { unit: durationAxis.unit.label }))}</text>
<text class="axis-title" id="run-axis-title" x="${n((plot.left + plot.right) / 2)}" y="${n(plot.bottom + 44)}" text-anchor="middle">${escapeHtml(t('html:chart.axis.runs'))}</text>
</g>`;
}

function runTooltip(chartRun: ChartRun): string {
  const { run } = chartRun;
  const parts = [
    t('html:tooltip.run', { id: run.id, command: run.command, outcome: outcomeLabel(run.outcome) }),
    t('html:tooltip.started', { at: formatTimestamp(run.startedAt) }),
    run.durationMs === null ? t('html:tooltip.noDuration') : t('html:tooltip.took', { duration: formatDuration(run.durationMs) }),
    t('html:tooltip.operations', { count: chartRun.operations, done: run.operations.done, failed: run.operations.failed }),
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
<li>${swatch('<rect class="ops-bar tone-ok" x="3" y="2" width="10" height="14"/>')} ${escapeHtml(t('html:legend.operations'))}</li>
<li>${swatch('<path class="duration-line" d="M0 8H16"/><circle class="duration-dot" cx="8" cy="8" r="3.5"/>')} ${escapeHtml(t('html:legend.duration'))}</li>
<li>${swatch('<path class="failure-marker" d="M3 3L13 13M13 3L3 13"/>')} ${escapeHtml(t('html:legend.failed'))}</li>
</ul>`;
}
