import { formatDuration } from '../../state/duration-text.js';
import type { JournalEntry, LockHolder, RunSummary, StatusReport } from '../../state/run-records.js';
import { escapeHtml, htmlLine } from './escape-html.js';
import { formatCount } from './format-count.js';
import { formatTimestamp, millisecondsBetween } from './format-time.js';
import { HEALTH_LABELS, HEALTH_TONES, outcomeTone } from './run-outcome.js';

// The `#status` section: what `sync-dbs status` says, laid out for a page.

/** Unfinished operations listed before "… and N more". */
export const UNFINISHED_ROWS_SHOWN = 200;

export function statusSection(status: StatusReport): string {
  const health = status.health;
  return `<section id="status" data-health="${escapeHtml(health)}">
<h2>Current status</h2>
<p class="headline"><span class="badge tone-${HEALTH_TONES[health]}" id="health-badge" data-health="${escapeHtml(health)}">${escapeHtml(HEALTH_LABELS[health])}</span> <span id="status-summary">${htmlLine(status.summary)}</span></p>
<dl class="facts">
${fact('last-run', 'Last run', lastRunText(status.lastRun, status.now))}
${fact('last-success', 'Last success', lastSuccessText(status))}
${fact('consecutive-failures', 'Failures since the last success', formatCount(status.consecutiveFailures))}
${fact('expected-interval', 'Expected every', formatDuration(status.expectEveryMs))}
${fact('running-now', 'Running now', runningText(status.running, status.now))}
${fact('status-time', 'Status as of', escapeHtml(formatTimestamp(status.now)))}
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
  return ms === null || ms < 0 ? '' : ` (${escapeHtml(formatDuration(ms))} ago)`;
}

function lastRunText(run: RunSummary | null, now: string): string {
  if (run === null) return 'none yet';
  const duration = run.durationMs === null ? '' : `, took ${escapeHtml(formatDuration(run.durationMs))}`;
  const verdict = run.verdict === null ? '' : `<br><span class="verdict">${htmlLine(run.verdict)}</span>`;
  return (
    `#${run.id} <code>${htmlLine(run.command)}</code> <span class="outcome tone-${outcomeTone(run.outcome)}">${escapeHtml(run.outcome)}</span>, ` +
    `started ${escapeHtml(formatTimestamp(run.startedAt))}${ago(run.startedAt, now)}${duration}${serverCounts(run)}${verdict}`
  );
}

function serverCounts(run: RunSummary): string {
  const read = run.servers.filter((server) => server.users !== null || server.licenses !== null);
  if (read.length === 0) return '';
  const parts = read.map(
    (server) => `${htmlLine(server.server)}: ${server.users === null ? '?' : formatCount(server.users)} users, ${server.licenses === null ? '?' : formatCount(server.licenses)} licenses`,
  );
  return `<br><span class="servers">${parts.join('; ')}</span>`;
}

function lastSuccessText(status: StatusReport): string {
  const success = status.lastSuccess;
  if (success === null) return 'never';
  const at = success.endedAt ?? success.startedAt;
  const since = status.sinceLastSuccessMs === null ? '' : ` (${escapeHtml(formatDuration(status.sinceLastSuccessMs))} ago)`;
  return `#${success.id} at ${escapeHtml(formatTimestamp(at))}${since}`;
}

function runningText(holder: LockHolder | null, now: string): string {
  if (holder === null) return 'no';
  return `<code>${htmlLine(holder.command)}</code>, pid ${holder.pid} on ${htmlLine(holder.hostname)}, since ${escapeHtml(formatTimestamp(holder.startedAt))}${ago(holder.startedAt, now)}`;
}

function unfinishedBlock(status: StatusReport): string {
  const entries = status.unfinished;
  if (status.lastRun === null && status.interruptedRun === null) return '';
  const ofRun = status.interruptedRun === null ? 'the last finished run' : `the killed run #${status.interruptedRun.id}`;
  if (entries.length === 0) return `<p id="unfinished" class="note" data-count="0">Every operation of ${escapeHtml(ofRun)} was done.</p>`;
  const shown = entries.slice(0, UNFINISHED_ROWS_SHOWN);
  const more = entries.length - shown.length;
  return `<div id="unfinished" data-count="${entries.length}">
<h3>Unfinished operations of ${escapeHtml(ofRun)} (${formatCount(entries.length)})</h3>
<table class="unfinished-table">
<thead><tr><th>#</th><th>Server</th><th>Operation</th><th>Key</th><th>Status</th><th>Detail</th></tr></thead>
<tbody>
${shown.map(unfinishedRow).join('\n')}
</tbody>
</table>
${more > 0 ? `<p class="note">… and ${formatCount(more)} more.</p>` : ''}
</div>`;
}

function unfinishedRow(entry: JournalEntry): string {
  return `<tr data-status="${escapeHtml(entry.status)}"><td class="num">${entry.seq}</td><td>${htmlLine(entry.server)}</td><td>${htmlLine(entry.kind)}</td><td><code>${htmlLine(entry.key)}</code></td><td class="journal-${escapeHtml(entry.status)}">${escapeHtml(entry.status)}</td><td>${entry.detail === null ? '' : htmlLine(entry.detail)}</td></tr>`;
}
