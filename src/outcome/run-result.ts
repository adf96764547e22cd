import type { UserRole } from '../snapshot/records.js';
import type { GuardRefusal } from '../plan/guards.js';
import type { Operation } from '../plan/operation.js';
import type { Plan } from '../plan/plan-types.js';
import type { ServerName, SyncMode } from '../config/sync-config.js';
import type { InterruptedRun } from '../state/run-records.js';

export type { ServerName };

/**
 * How a run ended. `in-sync`: the backup matches (after writing, verified);
 * `changes-pending`: a `plan` run found writes to make; `failed`: some writes
 * failed or verification still found differences; `refused`: a guard stopped
 * the run before its first write; `unreachable`: a server could not be reached,
 * logged into or read; `interrupted`: a signal stopped the run (operations in
 * flight finished, the rest were not sent).
 */
export type Outcome = 'in-sync' | 'changes-pending' | 'failed' | 'refused' | 'unreachable' | 'interrupted';

export interface ServerSummary {
  readonly name: ServerName;
  /** Origin and path only: never credentials. */
  readonly url: string;
  readonly username: string;
  readonly role: UserRole | null;
  readonly mustChangePassword: boolean | null;
  /** Records read (null when the listing was not read). */
  readonly users: number | null;
  readonly licenses: number | null;
  /** Records the listing held that could not be used. */
  readonly rejected: readonly { readonly kind: 'user' | 'license'; readonly key: string | null; readonly index: number; readonly reason: string }[];
  /** HTTP requests this run sent to the server, retries included. */
  readonly requests: number;
  /** How the writes to it went; null when none was sent (or nothing measured them). */
  readonly writes: WriteTraffic | null;
}

/** A server's writes: how many were in flight at once and how fast they went. */
export interface WriteTraffic {
  /** Write requests sent, retries included. */
  readonly requests: number;
  /** Writes in flight as each was sent: the median and the most. */
  readonly medianInFlight: number;
  readonly maxInFlight: number;
  /** Write requests per second, from the first sent to the last answered. */
  readonly perSecond: number;
  /** The longest a write took to be answered. */
  readonly maxLatencyMs: number;
}

/** A request that failed for good, in words an operator can act on. */
export interface Failure {
  readonly server: ServerName;
  /** e.g. `POST /admin/devices/create`. */
  readonly endpoint: string;
  /** The username or device_id concerned, when there is one. */
  readonly key: string | null;
  readonly reason: string;
}

export interface AppliedOperation {
  readonly operation: Operation;
  /**
   * `not-sent`: the run was interrupted before sending it. `unknown`: sent,
   * but every answer was lost, and no verification has settled it yet (one
   * that finds the wanted state makes it `done`, else `failed`).
   */
  readonly status: 'done' | 'failed' | 'unknown' | 'not-sent';
  /** Anything the operator should know about how it went (compensations, retries). */
  readonly note: string | null;
}

export interface Verification {
  /** True when re-listing the backup and planning again gave no operation. */
  readonly inSync: boolean;
  /** False when nothing was written, so the first listing already proved the state. */
  readonly relisted: boolean;
  readonly remaining: readonly Operation[];
}

/** The base a two-way run merged against: what both sides held after the pair's last successful run. */
export interface BaseUsed {
  readonly recordedAt: string;
  readonly runId: number | null;
  /** The kind of run that recorded it (a successful one-way run records one too). */
  readonly mode: SyncMode;
}

/**
 * What the run did for one backup (one-way) or for the peer (two-way). A
 * two-way target's operations go to both servers, each naming its own.
 */
export interface TargetResult {
  /** The backup's or peer's configured name. */
  readonly server: ServerName;
  readonly url: string;
  readonly outcome: Outcome;
  readonly exitCode: number;
  /** Null when this target stopped before it could plan. */
  readonly plan: Plan | null;
  readonly applied: readonly AppliedOperation[];
  readonly failures: readonly Failure[];
  readonly guards: readonly GuardRefusal[];
  readonly forcedGuards: readonly GuardRefusal[];
  readonly verified: Verification | null;
  /** Two-way: the base merged against; null for one-way runs and --resync. */
  readonly base: BaseUsed | null;
  /** True when this run recorded the pair's state as the next base. */
  readonly baseRecorded: boolean;
}

/**
 * One run. `targets` holds each backup's (or the peer's) result; the fields
 * `plan`, `applied`, `failures`, `guards`, `forcedGuards` and `verified` sum
 * them up over all targets, with failures of the primary itself included.
 */
export interface RunResult {
  readonly command: 'sync' | 'plan';
  readonly mode: SyncMode;
  /** --resync: a two-way run that started from the union instead of a base. */
  readonly resync: boolean;
  readonly outcome: Outcome;
  readonly exitCode: number;
  /**
   * True when the run stopped before its targets went their own ways (the
   * primary could not be reached or read, a two-way pair could not connect):
   * every target then has the run's outcome and nothing else.
   */
  readonly stoppedBeforeTargets: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly today: string;
  readonly servers: readonly ServerSummary[];
  readonly targets: readonly TargetResult[];
  /** Null when no target got as far as planning. */
  readonly plan: Plan | null;
  readonly applied: readonly AppliedOperation[];
  readonly failures: readonly Failure[];
  readonly guards: readonly GuardRefusal[];
  /** Guards that would have refused but were overridden with --force. */
  readonly forcedGuards: readonly GuardRefusal[];
  /** Earlier runs found interrupted (killed, crashed) when this one started. */
  readonly interruptedRuns: readonly InterruptedRun[];
  /** The run's number in the state database; null when it is not recorded (plan). */
  readonly runId: number | null;
  /** Null when nothing was applied (plan runs, refusals) or the run stopped early. */
  readonly verified: Verification | null;
  /** Where the new users' passwords were written, when users were created. */
  readonly newUserPasswordsFile: string | null;
}
