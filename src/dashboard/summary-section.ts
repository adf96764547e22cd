import { formatNumber, t } from '../i18n/i18n.js';
import { escapeHtml } from '../report/html/escape-html.js';
import type { DashboardStatus } from './dashboard-status.js';
import { timeOrNever, triggerLabel } from './status-words.js';

// The `summary` section at the top: the mode, the next run, the run in
// progress and the "sync now" button (disabled while a run is running).

export function summarySection(status: DashboardStatus): string {
  const failover = status.mode === 'failover';
  const mode = failover
    ? `<span class="badge tone-bad">✕ ${escapeHtml(t('dashboard:mode.failover'))}</span> <span class="mode-detail">${escapeHtml(t('dashboard:mode.failoverDetail'))}</span>`
    : `<span class="badge tone-ok">✓ ${escapeHtml(t('dashboard:mode.primary'))}</span> <span class="mode-detail">${escapeHtml(t('dashboard:mode.primaryDetail'))}</span>`;
  const running = status.running === null ? t('dashboard:summary.notRunning') : t('dashboard:summary.runningValue', { trigger: triggerLabel(status.running.trigger), at: timeOrNever(status.running.startedAt) });
  const { settings } = status;
  const watchdog = t('dashboard:summary.watchdogValue', { seconds: formatNumber(settings.healthIntervalMs / 1000), downAfter: settings.downAfter, upAfter: settings.upAfter });
  const facts: [string, string][] = [
    [t('dashboard:summary.nextRun'), escapeHtml(status.nextScheduledAt === null ? t('dashboard:summary.noNextRun') : timeOrNever(status.nextScheduledAt))],
    [t('dashboard:summary.running'), escapeHtml(running)],
    [t('dashboard:summary.schedule'), `<code>${escapeHtml(settings.schedule)}</code>`],
    [t('dashboard:summary.watchdog'), escapeHtml(watchdog)],
  ];
  const button =
    status.running === null
      ? `<button id="sync-now" type="button" data-running="false">${escapeHtml(t('dashboard:sync.button'))}</button>`
      : `<button id="sync-now" type="button" data-running="true" disabled>${escapeHtml(t('dashboard:sync.running'))}</button>`;
  return `<p class="mode" data-mode="${status.mode}">${mode}</p>
<dl class="facts">
${facts.map(([term, value]) => `<div class="fact"><dt>${escapeHtml(term)}</dt><dd>${value}</dd></div>`).join('\n')}
</dl>
<div class="actions">${button}</div>
<p class="meta updated">${escapeHtml(t('dashboard:summary.updated', { at: timeOrNever(status.generatedAt) }))}</p>`;
}
