import { formatDuration } from '../state/duration-text.js';
import type { JournalEntry, RunSummary, StatusReport } from '../state/run-records.js';
import { capLines } from './capped-list.js';
import { printable } from './printable.js';

const HEALTH_TITLES: Readonly<Record<StatusReport['health'], string>> = {
  healthy: 'healthy',
  failing: 'FAILING',
  interrupted: 'INTERRUPTED (the last run was killed before it finished)',
  stale: 'STALE',
  'never-run': 'NEVER RUN',
};

/** `sync-dbs status` as text: the health first, then what it rests on. */
export function renderStatusText(status: StatusReport, stateDir: string): string {
  const now = Date.parse(status.now);
  const ago = (iso: string) => `${formatDuration(now - Date.parse(iso))} ago`;
  const lines = [`sync-dbs status: ${HEALTH_TITLES[status.health]}`, `  ${printable(status.summary)}`, `  state: ${printable(stateDir)}`];
  if (status.lastRun !== null) lines.push(`  last run:      ${runLine(status.lastRun, ago)}`);
  if (status.lastSuccess !== null && status.lastSuccess.id !== status.lastRun?.id) lines.push(`  last success:  ${runLine(status.lastSuccess, ago)}`);
  if (status.lastSuccess === null && status.lastRun !== null) lines.push('  last success:  none recorded');
  lines.push(`  consecutive failures: ${status.consecutiveFailures}`);
  lines.push(`  expected every ${formatDuration(status.expectEveryMs)} (--expect-every); stale after ${formatDuration(2 * status.expectEveryMs)} without a success`);
  if (status.running !== null) {
    const holder = status.running;
    lines.push(`  running now:   pid ${holder.pid} on ${printable(holder.hostname)}, started ${printable(holder.startedAt)} (${ago(holder.startedAt)})`);
  }
  if (status.interruptedRun !== null) lines.push(`  killed run:    ${runLine(status.interruptedRun, ago)}, no process holds the lock`);
  const unfinishedRun = status.interruptedRun ?? status.lastRun;
  if (status.unfinished.length > 0 && unfinishedRun !== null) {
    lines.push(`  operations of run #${unfinishedRun.id} not done (${status.unfinished.length}):`);
    lines.push(...capLines(status.unfinished.map(unfinishedLine), 10).map((line) => `    ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

function runLine(run: RunSummary, ago: (iso: string) => string): string {
  const when = run.endedAt ?? run.startedAt;
  const took = run.durationMs === null ? '' : `, took ${formatDuration(run.durationMs)}`;
  const verdict = run.verdict === null ? '' : `: ${printable(run.verdict)}`;
  return `#${run.id} ${run.outcome} ${ago(when)} (${printable(when)}${took})${verdict}`;
}

const STATUS_WORDS: Readonly<Record<JournalEntry['status'], string>> = {
  pending: 'not sent',
  'not-sent': 'not sent',
  sent: 'sent, no answer (may or may not be applied)',
  failed: 'failed',
  done: 'done',
};

function unfinishedLine(entry: JournalEntry): string {
  return `${entry.kind} ${printable(entry.key)}: ${STATUS_WORDS[entry.status]}${entry.detail === null ? '' : ` (${printable(entry.detail)})`}`;
}
