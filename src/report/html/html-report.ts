import { t } from '../../i18n/i18n.js';
import { utcOffset } from '../../i18n/local-time.js';
import type { RunSummary, StatusReport } from '../../state/run-records.js';
import { escapeHtml } from './escape-html.js';
import { formatTimestamp } from './format-time.js';
import { historyChartSection } from './history-chart.js';
import { historyTableSection } from './history-table.js';
import { htmlDocument } from './html-document.js';
import { lastReportSection } from './last-report-section.js';
import { HEALTH_LABELS } from './run-outcome.js';
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
  const generated = formatTimestamp(input.generatedAt.toISOString());
  const version = input.version;
  const body = `<header>
<h1>${escapeHtml(t('html:page.title'))}</h1>
<p class="meta">${escapeHtml(t('html:page.generated', { at: generated, version }))}</p>
</header>
<main>
${input.runs.length === 0 ? `<p id="no-runs" class="empty">${escapeHtml(t('html:page.noRuns'))}</p>` : ''}
${statusSection(input.status)}
${historyChartSection(input.runs)}
${historyTableSection(input.runs)}
${lastReportSection(input.lastReport)}
</main>
<footer>${escapeHtml(t('html:page.footer', { offset: utcOffset(input.generatedAt), version }))}</footer>`;
  return htmlDocument({ title: t('html:page.documentTitle', { health: HEALTH_LABELS[input.status.health] }), body });
}
