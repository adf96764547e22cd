import { formatDuration } from '../state/duration-text.js';
import type { JournalEntry, RunSummary, StatusReport } from '../state/run-records.js';
import { t } from '../i18n/i18n.js';
import { printable } from './printable.js';

/** How many unfinished operations the text lists before "… and N more". */
export const STATUS_UNFINISHED_SHOWN = 10;

/** `sync-dbs status` as text: the health first, then what it rests on. */
export function renderStatusText(status: StatusReport, stateDir: string): string {
  const now = Date.parse(status.now);
  const ago = (iso: string) => t('state:ago', { duration: formatDuration(now - Date.parse(iso)) });
  const labels = {
    lastRun: t('status:label.lastRun'),
    lastSuccess: t('status:label.lastSuccess'),
    runningNow: t('status:label.runningNow'),
    killedRun: t('status:label.killedRun'),
  };
  const width = Math.max(...Object.values(labels).map((label) => label.length)) + 2;
  const fact = (label: keyof typeof labels, text: string) => `  ${labels[label].padEnd(width)}${text}`;

  const lines = [
    t('status:title', { health: t(`status:health.${status.health}`) }),
    `  ${printable(status.summary)}`,
    `  ${t('status:state', { dir: printable(stateDir) })}`,
  ];
  if (status.lastRun !== null) lines.push(fact('lastRun', runLine(status.lastRun, ago)));
  if (status.lastSuccess !== null && status.lastSuccess.id !== status.lastRun?.id) lines.push(fact('lastSuccess', runLine(status.lastSuccess, ago)));
  if (status.lastSuccess === null && status.lastRun !== null) lines.push(fact('lastSuccess', t('status:lastSuccess.none')));
  lines.push(`  ${t('status:consecutiveFailures', { count: status.consecutiveFailures })}`);
  lines.push(`  ${t('status:expected', { interval: formatDuration(status.expectEveryMs), staleAfter: formatDuration(2 * status.expectEveryMs) })}`);
  if (status.running !== null) {
    const holder = status.running;
    const startedAt = new Date(holder.startedAt);
    lines.push(fact('runningNow', t('status:runningNow', { pid: holder.pid, host: printable(holder.hostname), at: startedAt, ago: ago(holder.startedAt) })));
  }
  if (status.interruptedRun !== null) lines.push(fact('killedRun', t('status:killedRun', { run: runLine(status.interruptedRun, ago) })));
  const unfinishedRun = status.interruptedRun ?? status.lastRun;
  const total = Math.max(status.unfinishedCount, status.unfinished.length);
  if (total > 0 && unfinishedRun !== null) {
    lines.push(`  ${t('status:unfinished.heading', { id: unfinishedRun.id, count: total })}`);
    const shown = status.unfinished.slice(0, STATUS_UNFINISHED_SHOWN);
    lines.push(...shown.map((entry) => `    ${unfinishedLine(entry)}`));
    if (total > shown.length) lines.push(`    ${t('status:unfinished.more', { count: total - shown.length })}`);
  }
  return `${lines.join('\n')}\n`;
}

function runLine(run: RunSummary, ago: (iso: string) => string): string {
  const when = run.endedAt ?? run.startedAt;
  const values = { id: run.id, outcome: t(`status:outcome.${run.outcome}`), ago: ago(when), at: new Date(when) };
  const line = run.durationMs === null ? t('status:run', values) : t('status:run.took', { ...values, duration: formatDuration(run.durationMs) });
  return run.verdict === null ? line : `${line}: ${printable(run.verdict)}`;
}

/** One operation a run left unfinished, in words: `create-license license:A-1: sent, answer unknown (why)`. */
export function unfinishedLine(entry: JournalEntry): string {
  return `${entry.kind} ${printable(entry.key)}: ${t(`status:journal.${entry.status}`)}${entry.detail === null ? '' : ` (${printable(entry.detail)})`}`;
}
