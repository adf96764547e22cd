// What the state store keeps about runs, as the rest of the program sees it.
// Times are ISO 8601 strings in UTC; durations are milliseconds.

/** How a recorded run ended; `running` while it goes on (or until a later run finds it interrupted). */
export type RunOutcome = 'running' | 'in-sync' | 'changes-pending' | 'failed' | 'refused' | 'unreachable' | 'interrupted';

/** Outcomes that count as a success for status, alerts and the last good counts. */
export const SUCCESS_OUTCOMES: readonly RunOutcome[] = ['in-sync'];

/**
 * A journal row: `pending` planned and not sent yet; `sent` handed to the
 * server, answer not yet known; `done` / `failed` answered; `not-sent` the run
 * stopped (signal or crash) before sending it.
 */
export type JournalStatus = 'pending' | 'sent' | 'done' | 'failed' | 'not-sent';

export interface ServerCounts {
  /** The role of the server in the run: `primary` or `backup`. */
  readonly server: string;
  readonly url: string;
  /** Records read; null when the listing was not read. */
  readonly users: number | null;
  readonly licenses: number | null;
}

export interface OperationCounts {
  readonly planned: number;
  readonly done: number;
  readonly failed: number;
  /** Planned but never sent (interrupted runs). */
  readonly notSent: number;
}

export interface RunSummary {
  readonly id: number;
  readonly command: string;
  readonly outcome: RunOutcome;
  /** Null while running or when interrupted. */
  readonly exitCode: number | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly pid: number;
  readonly hostname: string;
  /** The one-line verdict of the report; null while running. */
  readonly verdict: string | null;
  readonly servers: readonly ServerCounts[];
  readonly operations: OperationCounts;
}

export interface JournalEntry {
  readonly runId: number;
  readonly seq: number;
  /** The server written to (`backup`). */
  readonly server: string;
  readonly kind: string;
  /** `user:<name>` or `license:<device_id>`. */
  readonly key: string;
  readonly status: JournalStatus;
  /** Short, sanitised: why it failed, or a note on how it went. */
  readonly detail: string | null;
}

/** A run found still `running` with nobody holding the lock: the process died or was killed. */
export interface InterruptedRun {
  readonly id: number;
  readonly startedAt: string;
  readonly pid: number;
  readonly hostname: string;
  readonly done: number;
  readonly failed: number;
  /** Sent but never answered: they may or may not have been applied. */
  readonly unknown: number;
  readonly notSent: number;
}

export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  readonly command: string;
}

/** `interrupted`: the newest run is still recorded as running, but no live process holds the lock (killed, crashed, power cut). */
export type Health = 'healthy' | 'failing' | 'interrupted' | 'stale' | 'never-run';

export interface StatusReport {
  readonly now: string;
  readonly health: Health;
  /** Why, in one sentence. */
  readonly summary: string;
  readonly expectEveryMs: number;
  readonly lastRun: RunSummary | null;
  readonly lastSuccess: RunSummary | null;
  /** Null when there has never been a success. */
  readonly sinceLastSuccessMs: number | null;
  /** Finished runs since the last success that did not succeed. */
  readonly consecutiveFailures: number;
  /** True when the last success is older than twice the expected interval (or there is none). */
  readonly stale: boolean;
  /** A run holding the lock right now, if any. */
  readonly running: LockHolder | null;
  /** The newest run still recorded as `running` whose process holds no lock: it was killed or crashed (the next run marks it interrupted). */
  readonly interruptedRun: RunSummary | null;
  /** The first operations not `done` (STATUS_UNFINISHED_LISTED at most, in plan order) of the interrupted run, or else of the last finished run. */
  readonly unfinished: readonly JournalEntry[];
  /** How many operations of that run are not `done`: all of them, however many `unfinished` lists. */
  readonly unfinishedCount: number;
}
