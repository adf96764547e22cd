import type { RunSummary, StatusReport } from '../../state/run-records.js';
import { escapeHtml } from './escape-html.js';
import { formatTimestamp } from './format-time.js';
import { historyChartSection } from './history-chart.js';
import { historyTableSection } from './history-table.js';
import { htmlDocument } from './html-document.js';
import { lastReportSection } from './last-report-section.js';
import { statusSection } from './status-section.js';

// `sync-dbs report --html FILE`: one self-contained page with the current
// status, the run history as a chart and a table, and the last run's report.

export interface HtmlReportInput {
  readonly generatedAt: Date;
  readonly status: StatusReport;
  /** Newest first, as the state store's history lists them. */
  readonly runs: readonly RunSummary[];
  readonly lastReport: { readonly runId: number; readonly text: string | null } | null;
  /** The sync-dbs version that wrote the page. */
  readonly version: string;
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const generated = escapeHtml(formatTimestamp(input.generatedAt.toISOString()));
  const body = `<header>
<h1>sync-dbs report</h1>
<p class="meta">Generated ${generated} by sync-dbs ${escapeHtml(input.version)}.</p>
</header>
<main>
${input.runs.length === 0 ? '<p id="no-runs" class="empty">There are no runs yet: nothing has been recorded.</p>' : ''}
${statusSection(input.status)}
${historyChartSection(input.runs)}
${historyTableSection(input.runs)}
${lastReportSection(input.lastReport)}
</main>
<footer>Times are in UTC. Written by sync-dbs ${escapeHtml(input.version)}; this page loads nothing from anywhere.</footer>`;
  return htmlDocument({ title: `sync-dbs report — ${input.status.health}`, body });
}
