import { t } from '../i18n/i18n.js';
import { escapeHtml, htmlLine } from '../report/html/escape-html.js';
import type { DecisionAgreement, ServerStatus } from './dashboard-status.js';
import { latencyChart } from './latency-chart.js';
import { WATCH_STATE_SYMBOLS, WATCH_STATE_TONES, latencyText, timeOrNever, watchStateLabel } from './status-words.js';

// The `servers` section: one card per server.

/** Differences listed under a backup's agreement, at most. */
const DIFFERENCES_SHOWN = 5;

export function serversSection(servers: readonly ServerStatus[], now: string): string {
  if (servers.length === 0) return `<h2>${escapeHtml(t('dashboard:servers.title'))}</h2><p class="empty">${escapeHtml(t('dashboard:servers.none'))}</p>`;
  return `<h2>${escapeHtml(t('dashboard:servers.title'))}</h2>
<div class="cards">
${servers.map((server) => serverCard(server, now)).join('\n')}
</div>`;
}

function serverCard(server: ServerStatus, now: string): string {
  const tone = WATCH_STATE_TONES[server.state];
  const role = server.role === 'primary' ? t('dashboard:role.primary') : t('dashboard:role.backup');
  const facts: [string, string][] = [
    // `latencyMs` is the last answered check's: after a failed check there is no latency now.
    [t('dashboard:server.latency'), escapeHtml(latencyText(server.consecutiveFailures > 0 ? null : server.latencyMs))],
    [t('dashboard:server.streak'), escapeHtml(t('dashboard:server.streakValue', { failures: server.consecutiveFailures, successes: server.consecutiveSuccesses }))],
    [t('dashboard:server.lastCheck'), escapeHtml(timeOrNever(server.lastCheckAt))],
    [t('dashboard:server.lastChange'), escapeHtml(timeOrNever(server.lastChangeAt))],
  ];
  if (server.lastFailure !== null) {
    facts.push([t('dashboard:server.lastFailure'), `<span class="failure-detail">${htmlLine(t(`dashboard:failure.${server.lastFailure.kind}`, { detail: server.lastFailure.detail }))}</span>`]);
  }
  facts.push([t('dashboard:server.lastSync'), escapeHtml(lastSyncText(server.lastSync))]);
  facts.push([t('dashboard:server.records'), escapeHtml(recordsText(server.records))]);
  return `<article class="server-card tone-${tone}" data-server="${escapeHtml(server.name)}" data-role="${server.role}" data-state="${server.state}">
<h3><span class="server-name">${htmlLine(server.name)}</span> <span class="role">${escapeHtml(role)}</span></h3>
<p class="state"><span class="badge tone-${tone}">${WATCH_STATE_SYMBOLS[server.state]} ${escapeHtml(watchStateLabel(server.state))}</span></p>
<p class="url"><code>${htmlLine(shownUrl(server.url))}</code></p>
<dl class="facts">
${facts.map(([term, value]) => `<div class="fact"><dt>${escapeHtml(term)}</dt><dd>${value}</dd></div>`).join('\n')}
</dl>
${latencyChart(server.samples, now, server.name)}
${server.role === 'backup' ? agreementBlock(server.agreement) : ''}
</article>`;
}

/** The address without any user name, password or query it may have been configured with. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
  }
}

function lastSyncText(lastSync: ServerStatus['lastSync']): string {
  if (lastSync === null) return t('dashboard:never');
  const state = lastSync.inSync ? t('dashboard:server.inSync') : t('dashboard:server.notInSync', { code: lastSync.exitCode });
  const run = lastSync.runId === null ? '' : t('dashboard:server.runRef', { id: lastSync.runId });
  return `${timeOrNever(lastSync.at)} ${run}— ${state}`;
}

function recordsText(records: ServerStatus['records']): string {
  if (records === null) return t('dashboard:server.recordsUnknown');
  return t('dashboard:server.recordsValue', { users: records.users, licenses: records.licenses, at: timeOrNever(records.at) });
}

function agreementBlock(agreement: DecisionAgreement | null): string {
  if (agreement === null) return `<p class="agreement empty">${escapeHtml(t('dashboard:agreement.notChecked'))}</p>`;
  const all = agreement.agreeing === agreement.licenses;
  const summary = t('dashboard:agreement.summary', { agreeing: agreement.agreeing, count: agreement.licenses });
  const head = `<p class="agreement-summary"><span class="badge tone-${all ? 'ok' : 'bad'}">${all ? '✓' : '✕'} ${escapeHtml(summary)}</span> <span class="meta">${escapeHtml(t('dashboard:agreement.checkedAt', { at: timeOrNever(agreement.at) }))}</span></p>`;
  if (agreement.differing.length === 0) return `<div class="agreement" data-agreeing="${agreement.agreeing}" data-licenses="${agreement.licenses}">${head}</div>`;
  const rows = agreement.differing
    .slice(0, DIFFERENCES_SHOWN)
    .map((difference) => `<tr><td class="verdict"><code>${htmlLine(difference.deviceId)}</code></td><td>${escapeHtml(t(`dashboard:decision.${difference.primary}`))}</td><td>${escapeHtml(t(`dashboard:decision.${difference.backup}`))}</td></tr>`)
    .join('');
  return `<div class="agreement" data-agreeing="${agreement.agreeing}" data-licenses="${agreement.licenses}">${head}
<table class="differences"><caption>${escapeHtml(t('dashboard:agreement.firstDifferences'))}</caption>
<thead><tr><th>${escapeHtml(t('dashboard:agreement.device'))}</th><th>${escapeHtml(t('dashboard:agreement.primary'))}</th><th>${escapeHtml(t('dashboard:agreement.backup'))}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}
