import type { UserRole } from '../snapshot/records.js';
import type { LicenseType } from '../domain/license-type.js';
import type { Operation, OperationKind } from '../plan/operation.js';
import type { UpsertBody } from '../domain/upsert-body.js';
import { licenseKey, userKey } from '../plan/operation.js';
import { splitDrift } from '../plan/expected-differences.js';
import { welcomeEmailsByServer } from '../plan/welcome-emails.js';
import { overGrants, type ConflictKind, type ConflictResolution, type DriftItem, type DriftKind, type SkipReason } from '../plan/plan-types.js';
import type { SyncMode } from '../config/sync-config.js';
import type { GuardName, GuardRefusal } from '../plan/guards.js';
import type { Outcome, RunResult, ServerName, ServerSummary, TargetResult } from '../outcome/run-result.js';
import { countApplied, totalOf } from './apply-summary.js';
import { runVerdict, targetVerdict } from './verdict.js';
import { summariseDrift } from './drift-summary.js';
import { countVerbs, type VerbCounts } from './plan-summary.js';
import { summariseSkipped } from './skipped-summary.js';
import { conflictDetailText } from './wording/conflict-words.js';
import { driftDetailText } from './wording/drift-words.js';
import { guardMessage } from './wording/guard-words.js';
import { skippedDetailText } from './wording/skipped-words.js';
import { operationReasonText, thenBlockText } from './wording/operation-reason-words.js';

// The run as one JSON document, for scripts and monitoring (`--json`).
//
// Every value is copied field by field from the RunResult: nothing reaches the
// document unless it is named here, so a credential riding along on some
// object at run time cannot leak. Operations, failures and rejected records
// are listed in full; drift and skipped records are aggregated (a
// 100,000-license backup may have 100,000 drift items). Bump the format's
// version when a key changes meaning or goes away; adding keys is compatible.

export const JSON_REPORT_FORMAT = 'sync-dbs-report/1';

/** Skipped keys kept per reason, and drift examples per kind. */
export const JSON_SKIPPED_KEYS = 20;
export const JSON_DRIFT_EXAMPLES = 5;

export interface JsonUpsertBody {
  readonly device_id: string;
  readonly license_type: LicenseType;
  readonly owner_name: string | null;
  readonly cpf: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly created_by: string;
}

interface JsonOperationBase<K extends OperationKind> {
  /** The server written to: `backup` (or the backup's name), or `primary` in a two-way run. */
  readonly server: string;
  readonly kind: K;
  /** `user:<username>` or `license:<device_id>`. */
  readonly key: string;
  readonly reason: string;
}

export type JsonOperation =
  | (JsonOperationBase<'create-user'> & { readonly username: string; readonly email: string | null; readonly role: UserRole })
  | (JsonOperationBase<'create-license'> & { readonly body: JsonUpsertBody; readonly thenBlock: string | null })
  | (JsonOperationBase<'update-license'> & { readonly body: JsonUpsertBody })
  | (JsonOperationBase<'update-created-by'> & { readonly deviceId: string; readonly createdBy: string })
  | (JsonOperationBase<'block' | 'activate' | 'delete-license'> & { readonly deviceId: string });

export interface JsonRejectedRecord {
  readonly kind: 'user' | 'license';
  readonly key: string | null;
  readonly index: number;
  readonly reason: string;
}

export interface JsonServer {
  readonly name: ServerName;
  readonly url: string;
  readonly username: string;
  readonly role: UserRole | null;
  readonly mustChangePassword: boolean | null;
  readonly users: number | null;
  readonly licenses: number | null;
  readonly rejected: readonly JsonRejectedRecord[];
  readonly requests: number;
  /** Null when no write was sent to the server. */
  readonly writes: JsonWriteTraffic | null;
}

/** A server's writes: requests sent (retries included), how many were in flight at once, the rate. */
export interface JsonWriteTraffic {
  readonly requests: number;
  readonly concurrency: { readonly median: number; readonly max: number };
  /** Write requests per second, from the first sent to the last answered. */
  readonly perSecond: number;
  readonly maxLatencyMs: number;
}

export interface JsonFailure {
  readonly server: ServerName;
  readonly endpoint: string;
  readonly key: string | null;
  readonly reason: string;
}

export interface JsonAppliedOperation {
  readonly server: string;
  readonly kind: OperationKind;
  readonly key: string;
  readonly status: 'done' | 'failed' | 'unknown' | 'not-sent';
  readonly note: string | null;
}

export interface JsonInterruptedRun {
  readonly runId: number;
  readonly startedAt: string;
  readonly pid: number;
  readonly hostname: string;
  readonly done: number;
  readonly failed: number;
  readonly unknown: number;
  readonly notSent: number;
}

/** A guard's refusal: its name and, in words, why. */
export interface JsonGuardRefusal {
  readonly guard: GuardName;
  readonly message: string;
}

export interface JsonConflict {
  readonly kind: ConflictKind;
  readonly key: string;
  readonly resolution: ConflictResolution;
  readonly detail: string;
}

/** One backup (one-way) or the peer (two-way): its own outcome and counts. */
export interface JsonTarget {
  readonly server: ServerName;
  readonly url: string;
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly verdict: string;
  readonly plan: { readonly summary: VerbCounts; readonly operations: number; readonly conflicts: number } | null;
  readonly applied: { readonly done: number; readonly failed: number; readonly notSent: number };
  readonly failures: number;
  readonly guards: readonly JsonGuardRefusal[];
  readonly forcedGuards: readonly JsonGuardRefusal[];
  readonly verified: { readonly inSync: boolean; readonly relisted: boolean; readonly remaining: number } | null;
  /** Two-way: the base merged against; null for one-way runs and --resync. */
  readonly base: { readonly recordedAt: string; readonly runId: number | null; readonly mode: SyncMode } | null;
  /** True when this run recorded the pair's state as its next base. */
  readonly baseRecorded: boolean;
}

export interface JsonDriftGroups {
  readonly total: number;
  readonly byKind: Partial<Record<DriftKind, { readonly count: number; readonly examples: readonly { readonly key: string; readonly detail: string }[] }>>;
}

export interface JsonServerCounts {
  readonly total: number;
  readonly byServer: Readonly<Record<string, number>>;
}

export interface JsonReport {
  readonly format: typeof JSON_REPORT_FORMAT;
  readonly command: 'sync' | 'plan';
  readonly mode: SyncMode;
  /** Two-way --resync: merged from the union instead of a base. */
  readonly resync: boolean;
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly verdict: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly today: string;
  readonly servers: readonly JsonServer[];
  /** Per backup (or the peer); the other keys sum them up. */
  readonly targets: readonly JsonTarget[];
  /** Null when the run stopped before it could plan. Each operation names the server it writes to. */
  readonly plan: { readonly summary: VerbCounts; readonly operations: readonly JsonOperation[]; readonly conflicts: readonly JsonConflict[] } | null;
  readonly applied: {
    /** `done` and `failed` are totals; the `ByVerb` counts split them as in the plan's summary. */
    readonly summary: {
      readonly done: number;
      readonly failed: number;
      readonly notSent: number;
      /** Sent, every answer lost, and no verification settled them (it could not re-read the server). */
      readonly unknown: number;
      readonly doneByVerb: VerbCounts;
      readonly failedByVerb: VerbCounts;
    };
    readonly operations: readonly JsonAppliedOperation[];
  };
  readonly failures: readonly JsonFailure[];
  /** Keys are `user:<username>` / `license:<device_id>`, the first 20 per reason; only reasons that occur. */
  readonly skipped: {
    readonly total: number;
    readonly byReason: Partial<Record<SkipReason, { readonly count: number; readonly keys: readonly string[] }>>;
  };
  /**
   * Differences worth attention that the API cannot repair. Examples keep the planner's key (a username
   * for `user-*` kinds, a device_id otherwise), the first 5 per kind; only kinds that occur.
   */
  readonly drift: JsonDriftGroups;
  /** The sync's own, unavoidable differences (docs/expected-differences.md), kept out of `drift`: same shape. */
  readonly expectedDifferences: JsonDriftGroups;
  /**
   * Welcome e-mails the servers may send to customers (every create/upsert with an e-mail, where a
   * server has e-mail configured): `planned` by the plan's writes, `sent` by the writes sent (done or
   * unknown; zero for `plan`). `byServer` leaves out servers with none.
   */
  readonly welcomeEmails: { readonly planned: JsonServerCounts; readonly sent: JsonServerCounts };
  readonly guards: readonly JsonGuardRefusal[];
  /** Guards that would have refused, overridden with --force. */
  readonly forcedGuards: readonly JsonGuardRefusal[];
  /** Earlier runs this one found interrupted (killed or crashed); `unknown`: sent, answer never read. */
  readonly interruptedRuns: readonly JsonInterruptedRun[];
  /** The run's number in the state database (`sync-dbs history`); null for plan runs. */
  readonly runId: number | null;
  /** Null when nothing was applied or the run stopped before verifying. */
  readonly verified: { readonly inSync: boolean; readonly relisted: boolean; readonly remaining: readonly JsonOperation[] } | null;
  readonly newUserPasswordsFile: string | null;
  /** Licenses a person must act on (over-grants no call can close), each with what to do; plan order, every target. */
  readonly needsPerson: readonly { readonly key: string; readonly detail: string }[];
}

export function toJsonReport(result: RunResult): JsonReport {
  const plan = result.plan;
  const appliedCounts = countApplied(result.applied);
  const skipped = plan?.skipped ?? [];
  const { drift, expected } = splitDrift(plan);
  const sent = result.applied.filter(({ status }) => status === 'done' || status === 'unknown').map(({ operation }) => operation);
  return {
    format: JSON_REPORT_FORMAT,
    command: result.command,
    mode: result.mode,
    resync: result.resync,
    outcome: result.outcome,
    exitCode: result.exitCode,
    verdict: runVerdict(result),
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    today: result.today,
    servers: result.servers.map(jsonServer),
    targets: result.targets.map((target) => jsonTarget(result.command, target)),
    plan:
      plan === null
        ? null
        : {
            summary: countVerbs(plan.operations),
            operations: plan.operations.map(jsonOperation),
            conflicts: plan.conflicts.map((conflict) => ({ kind: conflict.kind, key: conflict.key, resolution: conflict.resolution, detail: conflictDetailText(conflict) })),
          },
    applied: {
      summary: {
        done: totalOf(appliedCounts.done),
        failed: totalOf(appliedCounts.failed),
        notSent: totalOf(appliedCounts.notSent),
        unknown: totalOf(appliedCounts.unknown),
        doneByVerb: appliedCounts.done,
        failedByVerb: appliedCounts.failed,
      },
      operations: result.applied.map(({ operation, status, note }) => ({ server: operation.server, kind: operation.kind, key: operation.key, status, note })),
    },
    failures: result.failures.map(({ server, endpoint, key, reason }) => ({ server, endpoint, key, reason })),
    skipped: {
      total: skipped.length,
      byReason: Object.fromEntries(
        summariseSkipped(skipped, JSON_SKIPPED_KEYS).map((group) => [
          group.reason,
          { count: group.count, keys: group.items.map((item) => (item.kind === 'user' ? userKey(item.key) : licenseKey(item.key))) },
        ]),
      ),
    },
    drift: jsonDriftGroups(drift),
    expectedDifferences: jsonDriftGroups(expected),
    welcomeEmails: { planned: jsonServerCounts(welcomeEmailsByServer(plan?.operations ?? [])), sent: jsonServerCounts(welcomeEmailsByServer(sent)) },
    guards: result.guards.map(jsonGuard),
    forcedGuards: result.forcedGuards.map(jsonGuard),
    interruptedRuns: result.interruptedRuns.map(({ id, startedAt, pid, hostname, done, failed, unknown, notSent }) => ({
      runId: id,
      startedAt,
      pid,
      hostname,
      done,
      failed,
      unknown,
      notSent,
    })),
    runId: result.runId,
    verified:
      result.verified === null
        ? null
        : { inSync: result.verified.inSync, relisted: result.verified.relisted, remaining: result.verified.remaining.map(jsonOperation) },
    newUserPasswordsFile: result.newUserPasswordsFile,
    needsPerson: overGrants(plan ?? { skipped: [] }).map((item) => ({ key: licenseKey(item.key), detail: skippedDetailText(item) })),
  };
}

function jsonDriftGroups(items: readonly DriftItem[]): JsonDriftGroups {
  return {
    total: items.length,
    byKind: Object.fromEntries(
      summariseDrift(items, JSON_DRIFT_EXAMPLES).map((group) => [
        group.kind,
        { count: group.count, examples: group.examples.map((item) => ({ key: item.key, detail: driftDetailText(item) })) },
      ]),
    ),
  };
}

function jsonServerCounts(counts: ReadonlyMap<string, number>): JsonServerCounts {
  return { total: [...counts.values()].reduce((sum, count) => sum + count, 0), byServer: Object.fromEntries(counts) };
}

function jsonTarget(command: RunResult['command'], target: TargetResult): JsonTarget {
  const applied = countApplied(target.applied);
  return {
    server: target.server,
    url: target.url,
    outcome: target.outcome,
    exitCode: target.exitCode,
    verdict: targetVerdict(command, target),
    plan:
      target.plan === null
        ? null
        : { summary: countVerbs(target.plan.operations), operations: target.plan.operations.length, conflicts: target.plan.conflicts.length },
    applied: { done: totalOf(applied.done), failed: totalOf(applied.failed), notSent: totalOf(applied.notSent) },
    failures: target.failures.length,
    guards: target.guards.map(jsonGuard),
    forcedGuards: target.forcedGuards.map(jsonGuard),
    verified:
      target.verified === null
        ? null
        : { inSync: target.verified.inSync, relisted: target.verified.relisted, remaining: target.verified.remaining.length },
    base: target.base === null ? null : { recordedAt: target.base.recordedAt, runId: target.base.runId, mode: target.base.mode },
    baseRecorded: target.baseRecorded,
  };
}

function jsonGuard(refusal: GuardRefusal): JsonGuardRefusal {
  return { guard: refusal.guard, message: guardMessage(refusal) };
}

function jsonServer(server: ServerSummary): JsonServer {
  return {
    name: server.name,
    url: server.url,
    username: server.username,
    role: server.role,
    mustChangePassword: server.mustChangePassword,
    users: server.users,
    licenses: server.licenses,
    rejected: server.rejected.map(({ kind, key, index, reason }) => ({ kind, key, index, reason })),
    requests: server.requests,
    writes:
      server.writes === null
        ? null
        : {
            requests: server.writes.requests,
            concurrency: { median: server.writes.medianInFlight, max: server.writes.maxInFlight },
            perSecond: Math.round(server.writes.perSecond * 10) / 10,
            maxLatencyMs: server.writes.maxLatencyMs,
          },
  };
}

function jsonBody(body: UpsertBody): JsonUpsertBody {
  return {
    device_id: body.device_id,
    license_type: body.license_type,
    owner_name: body.owner_name,
    cpf: body.cpf,
    email: body.email,
    address: body.address,
    created_by: body.created_by,
  };
}

export function jsonOperation(operation: Operation): JsonOperation {
  const { server, key } = operation;
  const reason = operationReasonText(operation.reason);
  switch (operation.kind) {
    case 'create-user':
      return { server, kind: operation.kind, key, reason, username: operation.username, email: operation.email, role: operation.role };
    case 'create-license':
      return { server, kind: operation.kind, key, reason, body: jsonBody(operation.body), thenBlock: operation.thenBlock === null ? null : thenBlockText(operation.thenBlock) };
    case 'update-license':
      return { server, kind: operation.kind, key, reason, body: jsonBody(operation.body) };
    case 'update-created-by':
      return { server, kind: operation.kind, key, reason, deviceId: operation.deviceId, createdBy: operation.createdBy };
    case 'block':
    case 'activate':
    case 'delete-license':
      return { server, kind: operation.kind, key, reason, deviceId: operation.deviceId };
  }
}
