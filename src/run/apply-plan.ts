import type { LicenseServer } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import { noProgress, type ProgressListener } from '../progress/progress-listener.js';
import { operationApplier } from '../execute/apply-operation.js';
import { executeOperations, type OperationOutcome } from '../execute/executor.js';
import type { PasswordFile } from '../execute/password-file.js';
import { closesAccess, type Operation } from '../plan/operation.js';
import { toFailure } from './failure.js';
import { operationReasonText, thenBlockText } from '../report/wording/operation-reason-words.js';
import type { AppliedOperation, Failure } from '../outcome/run-result.js';
import { t } from '../i18n/i18n.js';

/** Where a run records its operations: each plan is journaled before its first write. */
export interface RunJournal {
  planned(operations: readonly Operation[]): PlanJournal;
}

/** One plan's operations by index, in plan order. */
export interface PlanJournal {
  sent(index: number): void;
  done(index: number, note: string | null): void;
  failed(index: number, reason: string): void;
}

export interface ApplyPlanInput {
  readonly operations: readonly Operation[];
  /** Every server an operation names. */
  readonly servers: readonly LicenseServer[];
  readonly passwords: PasswordFile;
  /** Operations in flight at most where a server has no write limit of its own (--concurrency, else --max-concurrency). */
  readonly concurrency: number;
  readonly log: LogSink;
  /** Hears each server's count of settled writes. */
  readonly progress?: ProgressListener;
  readonly journal?: RunJournal;
  readonly signal?: AbortSignal;
}

export interface AppliedPlan {
  /** In plan order. */
  readonly applied: readonly AppliedOperation[];
  /** In plan order, whatever order they failed in; operations whose answers were all lost (`unknown`) are not among them. */
  readonly failures: readonly Failure[];
  readonly notSent: number;
  /**
   * Settles the `unknown` operations by the verification: one whose key the
   * verification plan (`stillNeeded`, from listing the server again) needs no
   * write for was applied after all (`done`); the others failed. Journals
   * them; returns every operation and the failures of those that did not.
   */
  settleUnknown(stillNeeded: readonly Operation[]): { readonly applied: readonly AppliedOperation[]; readonly failures: readonly Failure[] };
}

/** Sends each operation to the server it names, journaling as it goes. */
export async function applyPlan(input: ApplyPlanInput): Promise<AppliedPlan> {
  const { operations, log } = input;
  const appliers = new Map(input.servers.map((server) => [server.server, operationApplier({ server, passwords: input.passwords, log, thenBlockText })]));
  const journal = input.journal?.planned(operations);
  const counts = writeCounter(operations, input.progress ?? noProgress);
  const outcomes = await executeOperations(
    operations,
    async (operation) => {
      const apply = appliers.get(operation.server);
      if (apply === undefined) throw new Error(t('run:apply.noClient', { server: operation.server }));
      log.debug(`${operation.server}: ${operation.kind} ${operation.key} (${operationReasonText(operation.reason)})`);
      return apply(operation);
    },
    {
      // Journaled as sent only when their server's limit lets them go, not while they wait their turn.
      concurrency: () => writeLimitOf(input.servers, input.concurrency),
      // A block waiting behind thousands of creates would leave a client let in all that time.
      first: closesAccess,
      ...(input.signal ? { signal: input.signal } : {}),
      onStart: (index) => journal?.sent(index),
      onSettled: (index, outcome) => {
        counts.settled(outcome);
        if (outcome.status === 'failed') {
          const failure = toFailure(outcome.error, { server: outcome.operation.server, operation: outcome.operation });
          log.error(describeFailure(failure));
          journal?.failed(index, failure.reason);
        } else if (outcome.status === 'unknown') {
          // The journal keeps it `sent` (no answer) until the verification settles it.
          const failure = toFailure(outcome.error, { server: outcome.operation.server, operation: outcome.operation });
          log.warn(t('run:apply.unknown', { failure: describeFailure(failure) }));
        } else if (outcome.status === 'done') journal?.done(index, outcome.note);
      },
    },
  ).finally(() => counts.end());
  const applied = outcomes.map(({ operation, status, note }): AppliedOperation => ({ operation, status, note }));
  return {
    applied,
    failures: outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [toFailure(outcome.error, { server: outcome.operation.server, operation: outcome.operation })] : [])),
    notSent: outcomes.filter((outcome) => outcome.status === 'not-sent').length,
    settleUnknown(stillNeeded) {
      const needed = new Set(stillNeeded.map((operation) => `${operation.server}\u0000${operation.key}`));
      const failures: Failure[] = [];
      const settled = outcomes.map((outcome, index): AppliedOperation => {
        const entry = applied[index] as AppliedOperation;
        if (outcome.status !== 'unknown') return entry;
        const { operation } = outcome;
        if (!needed.has(`${operation.server}\u0000${operation.key}`)) {
          const note = t('run:apply.settledDone');
          log.info(t('run:apply.settledLine', { server: operation.server, kind: operation.kind, key: operation.key, note }));
          journal?.done(index, note);
          return { ...entry, status: 'done', note };
        }
        const failure = toFailure(outcome.error, { server: operation.server, operation });
        const reason = t('run:apply.settledFailed', { reason: failure.reason });
        log.error(describeFailure({ ...failure, reason }));
        journal?.failed(index, reason);
        failures.push({ ...failure, reason });
        return { ...entry, status: 'failed' };
      });
      return { applied: settled, failures };
    },
  };
}

/** Tells `progress` each server's settled writes: at the start, after each one, and when the plan ends. */
function writeCounter(operations: readonly Operation[], progress: ProgressListener): { settled(outcome: OperationOutcome): void; end(): void } {
  const counts = new Map<string, { done: number; total: number; failed: number }>();
  for (const { server } of operations) {
    const entry = counts.get(server) ?? { done: 0, total: 0, failed: 0 };
    entry.total += 1;
    counts.set(server, entry);
  }
  for (const [server, entry] of counts) progress.writing(server, { ...entry });
  return {
    settled: ({ operation, status }) => {
      // One never sent (the run was stopped) is not progress.
      if (status === 'not-sent') return;
      const entry = counts.get(operation.server);
      if (entry === undefined) return;
      entry.done += 1;
      if (status === 'failed') entry.failed += 1;
      progress.writing(operation.server, { ...entry });
    },
    end: () => {
      for (const server of counts.keys()) progress.finished(server);
    },
  };
}

/** The servers' write limits together; `otherwise` when none has one. */
function writeLimitOf(servers: readonly LicenseServer[], otherwise: number): number {
  if (servers.every((server) => server.writeLimit === undefined)) return otherwise;
  return servers.reduce((total, server) => total + (server.writeLimit ?? otherwise), 0);
}

export function describeFailure(failure: Failure): string {
  return `${failure.server} ${failure.endpoint}${failure.key === null ? '' : ` [${failure.key}]`}: ${failure.reason}`;
}
