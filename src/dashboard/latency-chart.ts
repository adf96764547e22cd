import { currentLanguage, t } from '../i18n/i18n.js';
import { niceAxis } from '../report/html/chart-axis.js';
import { escapeHtml } from '../report/html/escape-html.js';
import { formatTimestamp } from '../report/html/format-time.js';
import { chartFrame } from './chart-frame.js';
import type { HealthSampleStatus } from './dashboard-status.js';
import { latencyText } from './status-words.js';
import { n } from './svg-number.js';
import { timeAxis, timeToX } from './time-axis.js';

// A server's latency over its samples: a line through the answered checks on
// a real time axis ending now, a red tick above every failed check.

const WIDTH = 360;
const HEIGHT = 130;
const PLOT = { left: 44, right: WIDTH - 10, top: 14, bottom: HEIGHT - 24 };

export function latencyChart(samples: readonly HealthSampleStatus[], now: string, serverName: string): string {
  const points = samples.map((sample) => ({ sample, at: Date.parse(sample.at) })).filter((point) => !Number.isNaN(point.at));
  if (points.length === 0) return `<p class="empty latency-empty">${escapeHtml(t('dashboard:latency.noChecks'))}</p>`;
  const end = Math.max(Date.parse(now) || 0, ...points.map((point) => point.at));
  const axis = timeAxis(points[0]?.at ?? end, end, currentLanguage(), 4);
  const yAxis = niceAxis(Math.max(0, ...points.map((point) => point.sample.latencyMs ?? 0)), 3, 1);
  const xOf = (at: number): number => timeToX(axis, at, PLOT.left, PLOT.right);
  const yOf = (ms: number): number => PLOT.bottom - (ms / yAxis.top) * (PLOT.bottom - PLOT.top);

  let path = '';
  let drawing = false;
  for (const { sample, at } of points) {
    if (!sample.ok || sample.latencyMs === null) {
      drawing = false;
      continue;
    }
    path += `${drawing ? 'L' : 'M'}${n(xOf(at))} ${n(yOf(sample.latencyMs))}`;
    drawing = true;
  }
  const answered = points.filter(({ sample }) => sample.ok && sample.latencyMs !== null);
  const dots = answered.length <= 60 ? answered.map(({ sample, at }) => `<circle class="latency-dot" cx="${n(xOf(at))}" cy="${n(yOf(sample.latencyMs ?? 0))}" r="2"><title>${escapeHtml(`${formatTimestamp(sample.at)}: ${latencyText(sample.latencyMs)}`)}</title></circle>`).join('') : '';
  const failures = points
    .filter(({ sample }) => !sample.ok)
    .map(({ sample, at }) => `<line class="failed-check" x1="${n(xOf(at))}" x2="${n(xOf(at))}" y1="${PLOT.top - 10}" y2="${PLOT.top - 2}"><title>${escapeHtml(t('dashboard:latency.failedAt', { at: formatTimestamp(sample.at) }))}</title></line>`)
    .join('');

  return `<svg class="latency-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(t('dashboard:latency.chartTitle', { server: serverName }))}" data-samples="${points.length}" data-failed="${points.length - answered.length}">
<g class="axes">${chartFrame({
    plot: PLOT,
    grid: yAxis.ticks.map((tick) => ({ value: tick, y: yOf(tick) })),
    timeTicks: axis.ticks.map((tick) => ({ label: tick.label, x: xOf(tick.at) })),
    valueGap: 6,
    tickLength: 4,
    labelDrop: 16,
  })}
<text class="axis-title" x="4" y="9">${escapeHtml(t('dashboard:latency.axis'))}</text></g>
${path === '' ? '' : `<path class="latency-line" d="${path}"/>`}${dots}${failures}
</svg>`;
}
