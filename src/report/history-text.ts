import { formatDuration } from '../state/duration-text.js';
import type { RunSummary } from '../state/run-records.js';
import { printable } from './printable.js';

/** `sync-dbs history` as a table, newest first. */
export function renderHistoryText(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return 'No runs recorded yet.\n';
  const header = ['run', 'started (UTC)', 'outcome', 'exit', 'took', 'done', 'failed', 'not sent', 'verdict'];
  const rows = runs.map((run) => [
    `#${run.id}`,
    run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    run.outcome,
    run.exitCode === null ? '-' : String(run.exitCode),
    run.durationMs === null ? '-' : formatDuration(run.durationMs),
    String(run.operations.done),
    String(run.operations.failed),
    String(run.operations.notSent),
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
