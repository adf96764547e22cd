import { t } from '../../i18n/i18n.js';
import { formatDuration } from '../../state/duration-text.js';
import type { RunSummary } from '../../state/run-records.js';
import { escapeHtml, htmlLine } from './escape-html.js';
import { formatCount } from './format-count.js';
import { formatTimestamp } from './format-time.js';
import { outcomeLabel, outcomeTone } from './run-outcome.js';

const COLUMNS = ['run', 'command', 'started', 'outcome', 'exitCode', 'duration', 'planned', 'done', 'failed', 'notSent', 'verdict'] as const;

// The `#history` section: one table row per run, newest first.

export function historyTableSection(newestFirst: readonly RunSummary[]): string {
  if (newestFirst.length === 0) {
    return `<section id="history" data-runs="0">
<h2>${escapeHtml(t('html:table.title'))}</h2>
<p class="empty">${escapeHtml(t('html:table.empty'))}</p>
</section>`;
  }
  return `<section id="history" data-runs="${newestFirst.length}">
<h2>${escapeHtml(t('html:table.title'))}</h2>
<table class="history-table">
<thead><tr>${COLUMNS.map((column) => `<th>${escapeHtml(t(`html:table.column.${column}`))}</th>`).join('')}</tr></thead>
<tbody>
${newestFirst.map(historyRow).join('\n')}
</tbody>
</table>
</section>`;
}

function historyRow(run: RunSummary): string {
  const { planned, done, failed, notSent } = run.operations;
  const cells = [
    `<td class="num">#${run.id}</td>`,
    `<td><code>${htmlLine(run.command)}</code></td>`,
    `<td class="time">${escapeHtml(formatTimestamp(run.startedAt))}</td>`,
    `<td class="outcome tone-${outcomeTone(run.outcome)}">${escapeHtml(outcomeLabel(run.outcome))}</td>`,
    `<td class="num">${run.exitCode === null ? '–' : run.exitCode}</td>`,
    `<td class="num">${run.durationMs === null ? '–' : escapeHtml(formatDuration(run.durationMs))}</td>`,
    `<td class="num">${formatCount(planned)}</td>`,
    `<td class="num">${formatCount(done)}</td>`,
    `<td class="num${failed > 0 ? ' tone-bad' : ''}">${formatCount(failed)}</td>`,
    `<td class="num">${formatCount(notSent)}</td>`,
    `<td class="verdict">${run.verdict === null ? '' : htmlLine(run.verdict)}</td>`,
  ];
  return `<tr data-run-id="${run.id}" data-outcome="${escapeHtml(run.outcome)}">${cells.join('')}</tr>`;
}
