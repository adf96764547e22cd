import type { JournalEntry, JournalStatus, OperationCounts, RunOutcome, RunSummary, ServerCounts } from './run-records.js';

// Rows as better-sqlite3 returns them, and their mapping to the shared records.

export interface RunRow {
  readonly id: number;
  readonly command: string;
  readonly outcome: string;
  readonly exit_code: number | null;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly duration_ms: number | null;
  readonly pid: number;
  readonly hostname: string;
  readonly verdict: string | null;
  readonly planned: number;
  readonly done: number;
  readonly failed: number;
  readonly not_sent: number;
}

export interface RunServerRow {
  readonly server: string;
  readonly url: string;
  readonly users: number | null;
  readonly licenses: number | null;
}

export interface JournalRow {
  readonly run_id: number;
  readonly seq: number;
  readonly server: string;
  readonly kind: string;
  readonly key: string;
  readonly status: string;
  readonly detail: string | null;
}

/** Journal tallies of one run; `sent` is sent and not answered. */
export interface JournalCountsRow {
  readonly planned: number;
  readonly done: number;
  readonly failed: number;
  readonly sent: number;
  readonly not_sent: number;
}

/** The runs columns RunRow reads, for SELECTs. */
export const RUN_COLUMNS = 'id, command, outcome, exit_code, started_at, ended_at, duration_ms, pid, hostname, verdict, planned, done, failed, not_sent';

export function toRunSummary(row: RunRow, servers: readonly RunServerRow[], operations: OperationCounts): RunSummary {
  return {
    id: row.id,
    command: row.command,
    outcome: row.outcome as RunOutcome,
    exitCode: row.exit_code,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    pid: row.pid,
    hostname: row.hostname,
    verdict: row.verdict,
    servers: servers.map(toServerCounts),
    operations,
  };
}

export function storedOperationCounts(row: RunRow): OperationCounts {
  return { planned: row.planned, done: row.done, failed: row.failed, notSent: row.not_sent };
}

export function toOperationCounts(row: JournalCountsRow): OperationCounts {
  return { planned: row.planned, done: row.done, failed: row.failed, notSent: row.not_sent };
}

function toServerCounts(row: RunServerRow): ServerCounts {
  return { server: row.server, url: row.url, users: row.users, licenses: row.licenses };
}

export function toJournalEntry(row: JournalRow): JournalEntry {
  return {
    runId: row.run_id,
    seq: row.seq,
    server: row.server,
    kind: row.kind,
    key: row.key,
    status: row.status as JournalStatus,
    detail: row.detail,
  };
}
