import { t } from '../../i18n/i18n.js';
import { OPERATION_KINDS, type OperationKind } from '../../plan/operation.js';
import { formatDuration } from '../../state/duration-text.js';
import type { JournalEntry, LockHolder, RunSummary, StatusReport } from '../../state/run-records.js';
import { OPERATION_KIND_WORDS } from '../wording/operation-kind-words.js';
import { escapeHtml, htmlLine } from './escape-html.js';
import { formatCount } from './format-count.js';
import { formatTimestamp, millisecondsBetween } from './format-time.js';
import { HEALTH_LABELS, HEALTH_TONES, journalStatusLabel, outcomeLabel, outcomeTone } from './run-outcome.js';

// The `#status` section: what `sync-dbs status` says, laid out for a page.

/** Unfinished operations listed before "… and N more". */
export const UNFINISHED_ROWS_SHOWN = 200;

export function statusSection(status: StatusReport): string {
  const health = status.health;
  return `<section id="status" data-health="${escapeHtml(health)}">
<h2>${escapeHtml(t('html:status.title'))}</h2>
<p class="headline"><span class="badge tone-${HEALTH_TONES[health]}" id="health-badge" data-health="${escapeHtml(health)}">${escapeHtml(HEALTH_LABELS[health])}</span> <span id="status-summary">${htmlLine(status.summary)}</span></p>
<dl class="facts">
${fact('last-run', t('html:status.lastRun'), lastRunText(status.lastRun, status.now))}
${fact('last-success', t('html:status.lastSuccess'), lastSuccessText(status))}
${fact('consecutive-failures', t('html:status.consecutiveFailures'), formatCount(status.consecutiveFailures))}
${fact('expected-interval', t('html:status.expectedEvery'), escapeHtml(formatDuration(status.expectEveryMs)))}
${fact('running-now', t('html:status.runningNow'), runningText(status.running, status.now))}
${fact('status-time', t('html:status.asOf'), escapeHtml(formatTimestamp(status.now)))}
</dl>
${unfinishedBlock(status)}
</section>`;
}

/** `html` is already escaped. */
function fact(id: string, term: string, html: string): string {
  return `<div class="fact" id="${id}"><dt>${escapeHtml(term)}</dt><dd>${html}</dd></div>`;
}

function ago(from: string, now: string): string {
  const ms = millisecondsBetween(from, now);
  return ms === null || ms < 0 ? '' : ` ${escapeHtml(t('html:status.ago', { duration: formatDuration(ms) }))}`;
}

function lastRunText(run: RunSummary | null, now: string): string {
  if (run === null) return escapeHtml(t('html:status.noneYet'));
  const duration = run.durationMs === null ? '' : escapeHtml(t('html:status.took', { duration: formatDuration(run.durationMs) }));
  const verdict = run.verdict === null ? '' : `<br><span class="verdict">${htmlLine(run.verdict)}</span>`;
  return (
    `#${run.id} <code>${htmlLine(run.command)}</code> <span class="outcome tone-${outcomeTone(run.outcome)}">${escapeHtml(outcomeLabel(run.outcome))}</span>, ` +
    `${escapeHtml(t('html:status.started', { at: formatTimestamp(run.startedAt) }))}${ago(run.startedAt, now)}${duration}${serverCounts(run)}${verdict}`
  );
}

function serverCounts(run: RunSummary): string {
  const read = run.servers.filter((server) => server.users !== null || server.licenses !== null);
  if (read.length === 0) return '';
  const parts = read.map((server) =>
    escapeHtml(
      t('html:status.serverCounts', {
        server: server.server,
        users: server.users === null ? t('html:status.users.unknown') : t('html:status.users', { count: server.users }),
        licenses: server.licenses === null ? t('html:status.licenses.unknown') : t('html:status.licenses', { count: server.licenses }),
      }),
    ),
  );
  return `<br><span class="servers">${parts.join('; ')}</span>`;
}

function lastSuccessText(status: StatusReport): string {
  const success = status.lastSuccess;
  if (success === null) return escapeHtml(t('html:status.never'));
  const at = success.endedAt ?? success.startedAt;
  const since = status.sinceLastSuccessMs === null ? '' : ` ${escapeHtml(t('html:status.ago', { duration: formatDuration(status.sinceLastSuccessMs) }))}`;
  return `#${success.id} ${escapeHtml(t('html:status.at', { at: formatTimestamp(at) }))}${since}`;
}

function runningText(holder: LockHolder | null, now: string): string {
  if (holder === null) return escapeHtml(t('html:status.notRunning'));
  const where = t('html:status.runningWhere', { pid: holder.pid, hostname: holder.hostname, since: formatTimestamp(holder.startedAt) });
  return `<code>${htmlLine(holder.command)}</code>, ${htmlLine(where)}${ago(holder.startedAt, now)}`;
}

function unfinishedBlock(status: StatusReport): string {
  const entries = status.unfinished;
  if (status.lastRun === null && status.interruptedRun === null) return '';
  const ofRun = status.interruptedRun === null ? t('html:unfinished.ofLastRun') : t('html:unfinished.ofKilledRun', { id: status.interruptedRun.id });
  if (entries.length === 0) return `<p id="unfinished" class="note" data-count="0">${escapeHtml(t('html:unfinished.none', { ofRun }))}</p>`;
  const shown = entries.slice(0, UNFINISHED_ROWS_SHOWN);
  const total = Math.max(status.unfinishedCount, entries.length);
  const more = total - shown.length;
  const headings = ['seq', 'server', 'operation', 'key', 'status', 'detail'] as const;
  return `<div id="unfinished" data-count="${total}">
<h3>${escapeHtml(t('html:unfinished.title', { ofRun, count: total }))}</h3>
<table class="unfinished-table">
<thead><tr>${headings.map((heading) => `<th>${escapeHtml(t(`html:unfinished.column.${heading}`))}</th>`).join('')}</tr></thead>
<tbody>
${shown.map(unfinishedRow).join('\n')}
</tbody>
</table>
${more > 0 ? `<p class="note">${escapeHtml(t('html:unfinished.more', { count: more }))}</p>` : ''}
</div>`;
}

/** The kind as the plan names it (`create licenses`), or as recorded when it is none the planner knows. */
function kindText(kind: string): string {
  return (OPERATION_KINDS as readonly string[]).includes(kind) ? OPERATION_KIND_WORDS[kind as OperationKind].title : kind;
}

function unfinishedRow(entry: JournalEntry): string {
  return `<tr data-status="${escapeHtml(entry.status)}"><td class="num">${entry.seq}</td><td>${htmlLine(entry.server)}</td><td>${htmlLine(kindText(entry.kind))}</td><td><code>${htmlLine(entry.key)}</code></td><td class="journal-${escapeHtml(entry.status)}">${escapeHtml(journalStatusLabel(entry.status))}</td><td>${entry.detail === null ? '' : htmlLine(entry.detail)}</td></tr>`;
}
