import { t } from '../../i18n/i18n.js';
import { escapeHtml, htmlBlock } from './escape-html.js';

// The `#last-report` section: the last run's text report as it was printed.

export function lastReportSection(lastReport: { readonly runId: number; readonly text: string | null } | null): string {
  if (lastReport === null) {
    return `<section id="last-report">
<h2>${escapeHtml(t('html:lastReport.title'))}</h2>
<p class="empty">${escapeHtml(t('html:lastReport.noRuns'))}</p>
</section>`;
  }
  const body =
    lastReport.text === null
      ? `<p class="empty">${escapeHtml(t('html:lastReport.notKept', { id: lastReport.runId }))}</p>`
      : `<pre id="last-report-text">${htmlBlock(lastReport.text)}</pre>`;
  return `<section id="last-report" data-run-id="${lastReport.runId}">
<h2>${escapeHtml(t('html:lastReport.ofRun', { id: lastReport.runId }))}</h2>
${body}
</section>`;
}
