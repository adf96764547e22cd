import { t } from '../i18n/i18n.js';
import { escapeHtml } from '../report/html/escape-html.js';
import { formatTimestamp } from '../report/html/format-time.js';
import { formatDuration } from '../state/duration-text.js';
import type { RunStatus } from './dashboard-status.js';
import { runHistoryChart } from './run-history-chart.js';
import { isFailedRun, runOutcomeLabel, runTone, triggerLabel } from './status-words.js';

// The `runs` section: the chart over every run the status lists, and a short
// table of the newest.

const TABLE_ROWS = 10;

export function runsSection(newestFirst: readonly RunStatus[], now: string): string {
  const title = `<h2>${escapeHtml(t('dashboard:runs.title'))}</h2>`;
  if (newestFirst.length === 0) return `${title}<p class="empty">${escapeHtml(t('dashboard:runs.none'))}</p>`;
  const failures = newestFirst.filter(isFailedRun).length;
  const caption = `${t('dashboard:runs.caption', { count: newestFirst.length })} ${failures === 0 ? t('dashboard:runs.noFailures') : t('dashboard:runs.failures', { count: failures })}`;
  return `${title}
<p class="caption">${escapeHtml(caption)}</p>
<div class="chart-frame">${runHistoryChart(newestFirst, now)}</div>
<div class="table-frame"><table class="runs-table">
<thead><tr><th>${escapeHtml(t('dashboard:runs.column.run'))}</th><th>${escapeHtml(t('dashboard:runs.column.started'))}</th><th>${escapeHtml(t('dashboard:runs.column.duration'))}</th><th>${escapeHtml(t('dashboard:runs.column.outcome'))}</th><th>${escapeHtml(t('dashboard:runs.column.trigger'))}</th></tr></thead>
<tbody>
${newestFirst.slice(0, TABLE_ROWS).map((run) => runRow(run, now)).join('\n')}
</tbody>
</table></div>`;
}

function runRow(run: RunStatus, now: string): string {
  const end = Date.parse(run.finishedAt ?? now);
  const start = Date.parse(run.startedAt);
  const duration = Number.isNaN(end) || Number.isNaN(start) ? '—' : formatDuration(Math.max(0, end - start));
  return `<tr data-run-id="${run.id}" data-outcome="${escapeHtml(run.outcome ?? 'running')}">
<td class="num">#${run.id}</td><td class="time">${escapeHtml(formatTimestamp(run.startedAt))}</td><td class="num">${escapeHtml(duration)}</td><td class="outcome tone-${runTone(run)}">${escapeHtml(runOutcomeLabel(run))}</td><td>${escapeHtml(triggerLabel(run.trigger))}</td>
</tr>`;
}
