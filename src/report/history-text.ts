import { formatNumber, t } from '../i18n/i18n.js';
import { formatDuration } from '../state/duration-text.js';
import type { RunOutcome, RunSummary } from '../state/run-records.js';
import { momentText } from './wording/common-words.js';
import { printable } from './printable.js';

const COLUMNS = ['run', 'started', 'outcome', 'exit', 'took', 'done', 'failed', 'notSent', 'verdict'] as const;

/** `sync-dbs history` as a table, newest first; times in the machine's time zone with their offset. */
export function renderHistoryText(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return `${t('history:empty')}\n`;
  const header = COLUMNS.map((column) => t(`history:column.${column}`));
  const rows = runs.map((run) => [
    `#${run.id}`,
    momentText(run.startedAt),
    outcomeText(run.outcome),
    run.exitCode === null ? '-' : String(run.exitCode),
    run.durationMs === null ? '-' : formatDuration(run.durationMs),
    formatNumber(run.operations.done),
    formatNumber(run.operations.failed),
    formatNumber(run.operations.notSent),
    printable(run.verdict ?? ''),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function outcomeText(outcome: RunOutcome): string {
  return t(`history:outcome.${outcome}`);
}
