import { htmlBlock } from './escape-html.js';

// The `#last-report` section: the last run's text report as it was printed.

export function lastReportSection(lastReport: { readonly runId: number; readonly text: string | null } | null): string {
  if (lastReport === null) {
    return `<section id="last-report">
<h2>Last run's report</h2>
<p class="empty">No runs yet.</p>
</section>`;
  }
  const body =
    lastReport.text === null
      ? `<p class="empty">No report was kept for run #${lastReport.runId}.</p>`
      : `<pre id="last-report-text">${htmlBlock(lastReport.text)}</pre>`;
  return `<section id="last-report" data-run-id="${lastReport.runId}">
<h2>Report of run #${lastReport.runId}</h2>
${body}
</section>`;
}
