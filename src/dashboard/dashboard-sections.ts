import type { DashboardStatus } from './dashboard-status.js';
import { lastReportSection, unfinishedSection } from './report-sections.js';
import { runsSection } from './run-history-section.js';
import { serversSection } from './server-cards.js';
import { summarySection } from './summary-section.js';

// The page's live parts: each is the inner HTML of the element with that id,
// rendered on the server for the first page and again for every pushed update.

export const SECTION_IDS = ['summary', 'servers', 'runs', 'last-report', 'unfinished'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export function renderSections(status: DashboardStatus): Record<SectionId, string> {
  return {
    summary: summarySection(status),
    servers: serversSection(status.servers, status.generatedAt),
    runs: runsSection(status.runs, status.generatedAt),
    'last-report': lastReportSection(status.lastReport),
    unfinished: unfinishedSection(status.unfinished),
  };
}
