import { t } from '../i18n/i18n.js';
import { escapeHtml, htmlBlock, htmlLine } from '../report/html/escape-html.js';
import type { DashboardStatus } from './dashboard-status.js';
import { timeOrNever } from './status-words.js';

// The `last-report` and `unfinished` sections: texts the runs wrote, shown as they are.

export function lastReportSection(lastReport: DashboardStatus['lastReport']): string {
  if (lastReport === null) return `<h2>${escapeHtml(t('dashboard:report.title'))}</h2><p class="empty">${escapeHtml(t('dashboard:report.none'))}</p>`;
  const heading = lastReport.runId === null ? t('dashboard:report.title') : t('dashboard:report.ofRun', { id: lastReport.runId });
  return `<h2>${escapeHtml(heading)}</h2>
<p class="meta">${escapeHtml(t('dashboard:report.started', { at: timeOrNever(lastReport.startedAt) }))}</p>
<pre class="report-text">${htmlBlock(lastReport.text)}</pre>`;
}

export function unfinishedSection(unfinished: DashboardStatus['unfinished']): string {
  if (unfinished === null || unfinished.operations.length === 0) {
    return `<h2>${escapeHtml(t('dashboard:unfinished.title'))}</h2><p class="empty">${escapeHtml(t('dashboard:unfinished.none'))}</p>`;
  }
  return `<h2>${escapeHtml(t('dashboard:unfinished.ofRun', { id: unfinished.runId, count: unfinished.operations.length }))}</h2>
<ul class="unfinished-list">
${unfinished.operations.map((operation) => `<li>${htmlLine(operation)}</li>`).join('\n')}
</ul>`;
}
