import type { LogSink } from '../log/log-sink.js';
import type { SyncConfig } from '../config/sync-config.js';
import type { CalendarDate } from '../domain/calendar-date.js';
import type { PasswordFile } from '../execute/password-file.js';
import type { GuardRefusal } from '../plan/guards.js';
import type { PairBases } from './pair-bases.js';
import { applyPlan, type RunJournal } from './apply-plan.js';
import type { LicenseServer } from '../api/license-server.js';
import type { Operation } from '../plan/operation.js';
import type { AppliedOperation, BaseUsed, Failure, Outcome, ServerSummary, TargetResult, Verification } from '../outcome/run-result.js';
import type { Plan } from '../plan/plan-types.js';
import { exitCodeFor } from '../outcome/outcome.js';

/** What every target of a run shares. */
export interface RunContext {
  readonly command: 'sync' | 'plan';
  readonly config: SyncConfig;
  readonly log: LogSink;
  readonly today: CalendarDate;
  readonly now: () => Date;
  readonly passwords: PasswordFile;
  readonly journal: RunJournal | undefined;
  readonly signal: AbortSignal | undefined;
  readonly force: boolean;
  /** Where pair bases are read (plan, sync) and written (sync only). Null: none are kept. */
  readonly bases: PairBases | null;
  readonly runId: number | null;
  /** Each server's counts once read, for the report. */
  readonly listed: Map<string, Pick<ServerSummary, 'users' | 'licenses' | 'rejected'>>;
}

/** A target's result under construction. */
export interface TargetDraft {
  outcome: Outcome;
  plan: Plan | null;
  applied: AppliedOperation[];
  failures: Failure[];
  guards: GuardRefusal[];
  forcedGuards: GuardRefusal[];
  verified: Verification | null;
  base: BaseUsed | null;
  baseRecorded: boolean;
}

export function emptyDraft(): TargetDraft {
  return { outcome: 'in-sync', plan: null, applied: [], failures: [], guards: [], forcedGuards: [], verified: null, base: null, baseRecorded: false };
}

/**
 * Applies a target's plan through these clients, adding what was done and what
 * failed to the draft; false when a signal stopped it before every operation was sent.
 */
export async function applyIntoDraft(context: RunContext, operations: readonly Operation[], servers: readonly LicenseServer[], draft: TargetDraft, who: string): Promise<boolean> {
  const { config, log, journal, signal } = context;
  const result = await applyPlan({
    operations,
    servers,
    passwords: context.passwords,
    concurrency: config.concurrency,
    log,
    ...(journal ? { journal } : {}),
    ...(signal ? { signal } : {}),
  });
  draft.applied.push(...result.applied);
  draft.failures.push(...result.failures);
  if (result.notSent === 0) return true;
  log.warn(`${who}: interrupted: ${result.notSent} of ${result.applied.length} operations were not sent; the next run plans them again`);
  return false;
}

export function finishTarget(server: string, url: string, draft: TargetDraft): TargetResult {
  return { server, url, exitCode: exitCodeFor(draft.outcome), ...draft };
}
