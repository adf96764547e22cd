import { t } from '../i18n/i18n.js';
import type Database from 'better-sqlite3';
import { readLockHolder, type ReadLockOptions } from './run-lock.js';
import { sanitiseDetail } from './journal-detail.js';
import {
  RUN_COLUMNS,
  storedOperationCounts,
  toJournalEntry,
  toOperationCounts,
  toRunSummary,
  type JournalCountsRow,
  type JournalRow,
  type RunRow,
  type RunServerRow,
} from './run-rows.js';
import { SUCCESS_OUTCOMES, type InterruptedRun, type JournalEntry, type LockHolder, type RunOutcome, type RunSummary, type ServerCounts, type StatusReport } from './run-records.js';
import { openStateDatabase, openStateDatabaseIfExists } from './state-database.js';
import { computeStatus } from './status.js';

export interface RunStart {
  readonly command: string;
  readonly startedAt: Date;
  readonly pid: number;
  readonly hostname: string;
}

export interface PlannedOperation {
  readonly server: string;
  readonly kind: string;
  readonly key: string;
}

export interface RunEnd {
  /** Anything but `running`. */
  readonly outcome: RunOutcome;
  readonly exitCode: number;
  readonly endedAt: Date;
  readonly durationMs: number;
  readonly verdict: string;
  readonly servers: readonly ServerCounts[];
  readonly reportText: string | null;
  readonly reportJson: string | null;
}

export interface LastGoodCounts {
  readonly users: number;
  readonly licenses: number;
  readonly runId: number;
  readonly recordedAt: string;
}

export interface StoredReport {
  readonly runId: number;
  readonly text: string | null;
  readonly json: string | null;
}

/** How many of the unfinished operations `status` lists (it counts them all). */
export const STATUS_UNFINISHED_LISTED = 50;

const SUCCESS_LIST = SUCCESS_OUTCOMES.map((outcome) => `'${outcome}'`).join(', ');

const JOURNAL_COLUMNS = 'run_id, seq, server, kind, key, status, detail';

const JOURNAL_COUNTS = `
  SELECT count(*) AS planned,
         coalesce(sum(status = 'done'), 0) AS done,
         coalesce(sum(status = 'failed'), 0) AS failed,
         coalesce(sum(status = 'sent'), 0) AS sent,
         coalesce(sum(status = 'not-sent'), 0) AS not_sent
  FROM journal WHERE run_id = ?`;

/**
 * The runs, their journal and the last good counts, in the state database.
 * All calls are synchronous and short; other processes may read while a run
 * writes. Whoever writes runs must hold the run lock (run-lock.ts): acquire
 * it, call recoverInterrupted(), then startRun().
 */
export class StateStore {
  private readonly statements;

  /** `database` must come from openStateDatabase (pragmas set, schema migrated). */
  constructor(readonly database: Database.Database) {
    const db = database;
    this.statements = {
      insertRun: db.prepare<[string, string, number, string]>(
        `INSERT INTO runs (command, outcome, started_at, pid, hostname) VALUES (?, 'running', ?, ?, ?)`,
      ),
      run: db.prepare<[number], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`),
      nextSeq: db.prepare<[number], number>(`SELECT coalesce(max(seq) + 1, 0) FROM journal WHERE run_id = ?`).pluck(),
      insertJournal: db.prepare<[number, number, string, string, string, string]>(
        `INSERT INTO journal (run_id, seq, server, kind, key, status, planned_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
      ),
      markSent: db.prepare<[string, number]>(`UPDATE journal SET status = 'sent', sent_at = ? WHERE id = ?`),
      markAnswered: db.prepare<[string, string | null, string, number]>(`UPDATE journal SET status = ?, detail = ?, finished_at = ? WHERE id = ?`),
      pendingToNotSent: db.prepare<[number]>(`UPDATE journal SET status = 'not-sent' WHERE run_id = ? AND status = 'pending'`),
      journalCounts: db.prepare<[number], JournalCountsRow>(JOURNAL_COUNTS),
      endRun: db.prepare(
        `UPDATE runs SET outcome = @outcome, exit_code = @exitCode, ended_at = @endedAt, duration_ms = @durationMs, verdict = @verdict,
           planned = @planned, done = @done, failed = @failed, not_sent = @notSent, report_text = @reportText, report_json = @reportJson
         WHERE id = @id`,
      ),
      interruptRun: db.prepare<[string, number, number, number, number, number]>(
        `UPDATE runs SET outcome = 'interrupted', verdict = ?, planned = ?, done = ?, failed = ?, not_sent = ? WHERE id = ?`,
      ),
      deleteServers: db.prepare<[number]>(`DELETE FROM run_servers WHERE run_id = ?`),
      insertServer: db.prepare<[number, number, string, string, number | null, number | null]>(
        `INSERT INTO run_servers (run_id, position, server, url, users, licenses) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      servers: db.prepare<[number], RunServerRow>(`SELECT server, url, users, licenses FROM run_servers WHERE run_id = ? ORDER BY position`),
      upsertLastGood: db.prepare<[string, string, number, number, number, string]>(
        `INSERT INTO last_good_counts (url, server, users, licenses, run_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (url) DO UPDATE SET server = excluded.server, users = excluded.users, licenses = excluded.licenses,
           run_id = excluded.run_id, recorded_at = excluded.recorded_at`,
      ),
      lastGood: db.prepare<[string], { users: number; licenses: number; run_id: number; recorded_at: string }>(
        `SELECT users, licenses, run_id, recorded_at FROM last_good_counts WHERE url = ?`,
      ),
      runningExcept: db.prepare<[number], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE outcome = 'running' AND id != ? ORDER BY id`),
      newest: db.prepare<[number], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT ?`),
      lastFinished: db.prepare<[], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE outcome != 'running' ORDER BY id DESC LIMIT 1`),
      lastSuccess: db.prepare<[], RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE outcome IN (${SUCCESS_LIST}) ORDER BY id DESC LIMIT 1`),
      finishedAfter: db.prepare<[number], number>(`SELECT count(*) FROM runs WHERE outcome != 'running' AND id > ?`).pluck(),
      firstStart: db.prepare<[], string | null>(`SELECT min(started_at) FROM runs`).pluck(),
      lastReport: db.prepare<[], { id: number; report_text: string | null; report_json: string | null }>(
        `SELECT id, report_text, report_json FROM runs
         WHERE outcome != 'running' AND (report_text IS NOT NULL OR report_json IS NOT NULL) ORDER BY id DESC LIMIT 1`,
      ),
      unfinished: db.prepare<[number, number], JournalRow>(
        `SELECT ${JOURNAL_COLUMNS} FROM journal WHERE run_id = ? AND status != 'done' ORDER BY seq LIMIT ?`,
      ),
      unfinishedCount: db.prepare<[number], number>(`SELECT count(*) FROM journal WHERE run_id = ? AND status != 'done'`).pluck(),
      journal: db.prepare<[number], JournalRow>(`SELECT ${JOURNAL_COLUMNS} FROM journal WHERE run_id = ? ORDER BY seq`),
      prune: db.prepare<[string]>(
        `DELETE FROM runs WHERE outcome != 'running' AND coalesce(ended_at, started_at) < ?
           AND id != coalesce((SELECT max(id) FROM runs WHERE outcome IN (${SUCCESS_LIST})), -1)`,
      ),
    };
  }

  static open(stateDir: string): StateStore {
    return new StateStore(openStateDatabase(stateDir));
  }

  /** Null, creating nothing, when the state directory has no database yet. */
  static openIfExists(stateDir: string): StateStore | null {
    const db = openStateDatabaseIfExists(stateDir);
    return db === null ? null : new StateStore(db);
  }

  close(): void {
    this.database.close();
  }

  /** Records a run as `running`; returns its id. */
  startRun(start: RunStart): number {
    const result = this.statements.insertRun.run(start.command, start.startedAt.toISOString(), start.pid, start.hostname);
    return Number(result.lastInsertRowid);
  }

  /**
   * Journals a run's planned operations as `pending`, in one transaction;
   * returns their journal ids in order. `seq` numbers them in plan order,
   * continuing after any operations journaled earlier for the run.
   */
  journalPlanned(runId: number, operations: readonly PlannedOperation[], at: Date): number[] {
    const plannedAt = at.toISOString();
    return this.database.transaction(() => {
      const firstSeq = this.statements.nextSeq.get(runId) ?? 0;
      return operations.map((operation, index) => {
        const result = this.statements.insertJournal.run(runId, firstSeq + index, operation.server, operation.kind, operation.key, plannedAt);
        return Number(result.lastInsertRowid);
      });
    })();
  }

  /** Call just before the operation goes to the server. */
  markSent(journalId: number, at: Date): void {
    expectOneRow(this.statements.markSent.run(at.toISOString(), journalId), journalId);
  }

  markDone(journalId: number, detail: string | null, at: Date): void {
    this.markAnswered(journalId, 'done', detail === null ? null : sanitiseDetail(detail), at);
  }

  markFailed(journalId: number, detail: string, at: Date): void {
    this.markAnswered(journalId, 'failed', sanitiseDetail(detail), at);
  }

  /**
   * Records how the run ended, in one transaction: its operations still
   * `pending` become `not-sent`, the operation counts come from the journal,
   * and a successful run's server counts become the last good counts.
   */
  finishRun(runId: number, end: RunEnd): void {
    if (end.outcome === 'running') throw new Error(`run ${runId} cannot finish as 'running'`);
    const s = this.statements;
    this.database.transaction(() => {
      if (s.run.get(runId) === undefined) throw new Error(`no run ${runId} in the state database`);
      s.pendingToNotSent.run(runId);
      const counts = toOperationCounts(s.journalCounts.get(runId) as JournalCountsRow);
      s.endRun.run({
        id: runId,
        outcome: end.outcome,
        exitCode: end.exitCode,
        endedAt: end.endedAt.toISOString(),
        durationMs: Math.round(end.durationMs),
        verdict: end.verdict,
        ...counts,
        reportText: end.reportText,
        reportJson: end.reportJson,
      });
      s.deleteServers.run(runId);
      end.servers.forEach((server, position) => s.insertServer.run(runId, position, server.server, server.url, server.users, server.licenses));
      if (!SUCCESS_OUTCOMES.includes(end.outcome)) return;
      for (const server of end.servers) {
        if (server.users === null || server.licenses === null) continue;
        s.upsertLastGood.run(server.url, server.server, server.users, server.licenses, runId, end.endedAt.toISOString());
      }
    }).immediate();
  }

  /** The counts the last successful run read from the server at `url`. */
  lastGoodCounts(url: string): LastGoodCounts | null {
    const row = this.statements.lastGood.get(url);
    return row === undefined ? null : { users: row.users, licenses: row.licenses, runId: row.run_id, recordedAt: row.recorded_at };
  }

  /**
   * Marks every run still `running` (but `currentRunId`) `interrupted`: its
   * process died without finishing it. Its `pending` operations become
   * `not-sent`; `sent` ones stay `sent`, as nobody knows whether the server
   * applied them. Only call while holding the run lock, or a live run would
   * be taken for dead.
   */
  recoverInterrupted(currentRunId?: number): InterruptedRun[] {
    const s = this.statements;
    return this.database
      .transaction(() =>
        s.runningExcept.all(currentRunId ?? -1).map((run): InterruptedRun => {
          s.pendingToNotSent.run(run.id);
          const counts = s.journalCounts.get(run.id) as JournalCountsRow;
          const verdict = t('state:interruptedVerdict', { done: counts.done, failed: counts.failed, sent: counts.sent, notSent: counts.not_sent });
          s.interruptRun.run(verdict, counts.planned, counts.done, counts.failed, counts.not_sent, run.id);
          return {
            id: run.id,
            startedAt: run.started_at,
            pid: run.pid,
            hostname: run.hostname,
            done: counts.done,
            failed: counts.failed,
            unknown: counts.sent,
            notSent: counts.not_sent,
          };
        }),
      )
      .immediate();
  }

  run(runId: number): RunSummary | null {
    const row = this.statements.run.get(runId);
    return row === undefined ? null : this.summarise(row);
  }

  /** The newest `limit` runs, newest first. */
  history(limit: number): RunSummary[] {
    return this.statements.newest.all(limit).map((row) => this.summarise(row));
  }

  /** The report of the most recent finished run that stored one. */
  lastRunReport(): StoredReport | null {
    const row = this.statements.lastReport.get();
    return row === undefined ? null : { runId: row.id, text: row.report_text, json: row.report_json };
  }

  /** The run's operations that are not `done`, in plan order. */
  unfinishedOperations(runId: number, limit = STATUS_UNFINISHED_LISTED): JournalEntry[] {
    return this.statements.unfinished.all(runId, limit).map(toJournalEntry);
  }

  /** How many of the run's operations are not `done`. */
  countUnfinishedOperations(runId: number): number {
    return this.statements.unfinishedCount.get(runId) ?? 0;
  }

  journal(runId: number): JournalEntry[] {
    return this.statements.journal.all(runId).map(toJournalEntry);
  }

  /** See computeStatus (status.ts); read in one transaction so a run finishing meanwhile is seen whole or not at all. */
  status(now: Date, expectEveryMs: number, lockOptions: ReadLockOptions = {}): StatusReport {
    const s = this.statements;
    const input = this.database
      .transaction(() => {
        const lastRun = s.lastFinished.get();
        const lastSuccess = s.lastSuccess.get();
        const running = readLockHolder(this.database, { now: () => now, ...lockOptions });
        const killed = newestRunWithoutLock(s.runningExcept.all(-1), running);
        const unfinishedOf = killed ?? lastRun;
        return {
          now,
          expectEveryMs,
          lastRun: lastRun === undefined ? null : this.summarise(lastRun),
          lastSuccess: lastSuccess === undefined ? null : this.summarise(lastSuccess),
          firstRunStartedAt: s.firstStart.get() ?? null,
          consecutiveFailures: s.finishedAfter.get(lastSuccess?.id ?? 0) ?? 0,
          running,
          interruptedRun: killed === undefined ? null : this.summarise(killed),
          unfinished: unfinishedOf === undefined ? [] : this.unfinishedOperations(unfinishedOf.id),
          unfinishedCount: unfinishedOf === undefined ? 0 : this.countUnfinishedOperations(unfinishedOf.id),
        };
      })
      .deferred();
    return computeStatus(input);
  }

  /**
   * Deletes finished runs that ended before `olderThan`, with their journal
   * and servers; never a running run, nor the last success. The last good
   * counts stay.
   */
  prune(olderThan: Date): { runs: number } {
    return { runs: this.statements.prune.run(olderThan.toISOString()).changes };
  }

  private markAnswered(journalId: number, status: 'done' | 'failed', detail: string | null, at: Date): void {
    expectOneRow(this.statements.markAnswered.run(status, detail, at.toISOString(), journalId), journalId);
  }

  /** A running run's counts are live from the journal; a finished one's were stored when it ended. */
  private summarise(row: RunRow): RunSummary {
    const operations =
      row.outcome === 'running' ? toOperationCounts(this.statements.journalCounts.get(row.id) as JournalCountsRow) : storedOperationCounts(row);
    return toRunSummary(row, this.statements.servers.all(row.id), operations);
  }
}

function expectOneRow(result: Database.RunResult, journalId: number): void {
  if (result.changes !== 1) throw new Error(`no journal row ${journalId} in the state database`);
}

/**
 * The newest of the runs recorded as running, unless the process holding the
 * lock is that run's: a run recorded as running with no live lock holder was
 * killed before it could record its end.
 */
function newestRunWithoutLock(running: readonly RunRow[], holder: LockHolder | null): RunRow | undefined {
  const newest = running.at(-1);
  if (newest === undefined) return undefined;
  return holder !== null && holder.pid === newest.pid && holder.hostname === newest.hostname ? undefined : newest;
}
