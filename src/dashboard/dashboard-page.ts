import { currentLanguage, t } from '../i18n/i18n.js';
import { utcOffset } from '../i18n/local-time.js';
import { escapeHtml } from '../report/html/escape-html.js';
import { SECTION_IDS, renderSections } from './dashboard-sections.js';
import type { DashboardStatus } from './dashboard-status.js';

// The whole page at `GET /`: the live sections as they are now, the CSRF
// token "sync now" posts with, and the texts the script shows in data attributes.

export function dashboardPage(status: DashboardStatus, csrfToken: string): string {
  const sections = renderSections(status);
  const live = `<span id="live" class="live" data-connected="false" data-connected-text="${escapeHtml(t('dashboard:live.connected'))}" data-disconnected-text="${escapeHtml(t('dashboard:live.disconnected'))}" aria-live="polite">${escapeHtml(t('dashboard:live.connecting'))}</span>`;
  const answer = `<p id="sync-answer" role="status" data-started="${escapeHtml(t('dashboard:sync.started'))}" data-queued="${escapeHtml(t('dashboard:sync.queued'))}" data-failed="${escapeHtml(t('dashboard:sync.failed'))}"></p>`;
  const body = SECTION_IDS.map((id) => {
    const element = `<section id="${id}">\n${sections[id]}\n</section>`;
    return id === 'summary' ? `${element}\n${answer}` : element;
  }).join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(currentLanguage())}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="sync-dbs-csrf" content="${escapeHtml(csrfToken)}">
<title>${escapeHtml(t('dashboard:page.title'))}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header class="page-header"><h1>${escapeHtml(t('dashboard:page.title'))}</h1>${live}</header>
${body}
<footer>${escapeHtml(t('dashboard:page.footer', { offset: utcOffset(new Date()) }))}</footer>
</body>
</html>
`;
}
