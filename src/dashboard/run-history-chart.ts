import { currentLanguage, t } from '../i18n/i18n.js';
import { durationUnit, niceAxis } from '../report/html/chart-axis.js';
import { escapeHtml, htmlLine } from '../report/html/escape-html.js';
import { formatTimestamp } from '../report/html/format-time.js';
import { formatDuration } from '../state/duration-text.js';
import { chartFrame } from './chart-frame.js';
import type { RunStatus } from './dashboard-status.js';
import { isFailedRun, runOutcomeLabel, runTone, triggerLabel } from './status-words.js';
import { n } from './svg-number.js';
import { timeAxis, timeToX } from './time-axis.js';

// The runs on a real time axis: x is when each run started, y how long it
// took; a failed run is a red cross instead of a dot, a running one a hollow
// dot; each mark's `<title>` is its tooltip (outcome, trigger, duration).

const WIDTH = 960;
const HEIGHT = 240;
const PLOT = { left: 64, right: WIDTH - 20, top: 20, bottom: HEIGHT - 44 };

interface PlottedRun {
  readonly run: RunStatus;
  readonly at: number;
  readonly durationMs: number;
}

export function runHistoryChart(newestFirst: readonly RunStatus[], now: string): string {
  const nowMs = Date.parse(now);
  const runs = newestFirst
    .map((run): PlottedRun | null => {
      const at = Date.parse(run.startedAt);
      if (Number.isNaN(at)) return null;
      const end = run.finishedAt === null ? nowMs : Date.parse(run.finishedAt);
      return { run, at, durationMs: Number.isNaN(end) ? 0 : Math.max(0, end - at) };
    })
    .filter((run): run is PlottedRun => run !== null)
    .reverse();
  if (runs.length === 0) return '';
  const axis = timeAxis(runs[0]?.at ?? nowMs, Math.max(nowMs || 0, ...runs.map((run) => run.at)), currentLanguage(), 8);
  const unit = durationUnit(Math.max(0, ...runs.map((run) => run.durationMs)));
  const yAxis = niceAxis(Math.max(0, ...runs.map((run) => run.durationMs)) / unit.ms, 4);
  const xOf = (at: number): number => timeToX(axis, at, PLOT.left, PLOT.right);
  const yOf = (ms: number): number => PLOT.bottom - (ms / unit.ms / yAxis.top) * (PLOT.bottom - PLOT.top);

  const marks = runs.map(({ run, at, durationMs }) => runMark(run, xOf(at), yOf(durationMs), durationMs)).join('\n');
  return `<svg class="chart run-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(t('dashboard:runs.chartTitle'))}">
<g class="axes">
${chartFrame({
  plot: PLOT,
  grid: yAxis.ticks.map((tick) => ({ value: tick, y: yOf(tick * unit.ms) })),
  timeTicks: axis.ticks.map((tick) => ({ label: tick.label, x: xOf(tick.at) })),
  valueGap: 8,
  tickLength: 5,
  labelDrop: 18,
})}
<text class="axis-title" transform="translate(16 ${n((PLOT.top + PLOT.bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(t('dashboard:runs.axisDuration', { unit: unit.label }))}</text>
<text class="axis-title" x="${n((PLOT.left + PLOT.right) / 2)}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(t('dashboard:runs.axisTime'))}</text>
</g>
<g class="runs">
${marks}
</g>
</svg>
<ul class="legend">
<li><svg class="swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle class="run-dot tone-ok" cx="8" cy="8" r="5"/></svg> ${escapeHtml(t('dashboard:runs.legendRun'))}</li>
<li><svg class="swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path class="failure-marker" d="M3 3L13 13M13 3L3 13"/></svg> ${escapeHtml(t('dashboard:runs.legendFailed'))}</li>
<li><svg class="swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle class="run-dot running" cx="8" cy="8" r="5"/></svg> ${escapeHtml(t('dashboard:runs.legendRunning'))}</li>
</ul>`;
}

export function runTooltip(run: RunStatus, durationMs: number): string {
  const parts = [
    t('dashboard:runs.tooltipRun', { id: run.id, command: run.command, outcome: runOutcomeLabel(run) }),
    t('dashboard:runs.tooltipStarted', { at: formatTimestamp(run.startedAt) }),
    run.finishedAt === null ? t('dashboard:runs.tooltipRunningFor', { duration: formatDuration(durationMs) }) : t('dashboard:runs.tooltipTook', { duration: formatDuration(durationMs) }),
    t('dashboard:runs.tooltipTrigger', { trigger: triggerLabel(run.trigger) }),
  ];
  return htmlLine(parts.join(' · '));
}

function runMark(run: RunStatus, x: number, y: number, durationMs: number): string {
  const failed = isFailedRun(run);
  const title = `<title>${runTooltip(run, durationMs)}</title>`;
  const attributes = `class="run" data-run-id="${run.id}" data-outcome="${escapeHtml(run.outcome ?? 'running')}" data-failure="${failed}" data-trigger="${escapeHtml(run.trigger ?? 'one-shot')}"`;
  if (failed) {
    const size = 5;
    return `<g ${attributes}>${title}<path class="failure-marker" d="M${n(x - size)} ${n(y - size)}L${n(x + size)} ${n(y + size)}M${n(x + size)} ${n(y - size)}L${n(x - size)} ${n(y + size)}"/><circle class="hit" cx="${n(x)}" cy="${n(y)}" r="8"/></g>`;
  }
  const running = run.finishedAt === null ? ' running' : '';
  return `<g ${attributes}>${title}<circle class="run-dot tone-${runTone(run)}${running}" cx="${n(x)}" cy="${n(y)}" r="5"/></g>`;
}
