import type { LicenseServer } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import { operationApplier } from '../execute/apply-operation.js';
import { executeOperations } from '../execute/executor.js';
import type { PasswordFile } from '../execute/password-file.js';
import { closesAccess, type Operation } from '../plan/operation.js';
import { toFailure } from './failure.js';
import { operationReasonText, thenBlockText } from '../report/wording/operation-reason-words.js';
import type { AppliedOperation, Failure } from '../outcome/run-result.js';

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
  readonly journal?: RunJournal;
  readonly signal?: AbortSignal;
}

export interface AppliedPlan {
  /** In plan order. */
  readonly applied: readonly AppliedOperation[];
  /** In plan order, whatever order they failed in. */
  readonly failures: readonly Failure[];
  readonly notSent: number;
}

/** Sends each operation to the server it names, journaling as it goes. */
export async function applyPlan(input: ApplyPlanInput): Promise<AppliedPlan> {
  const { operations, log } = input;
  const appliers = new Map(input.servers.map((server) => [server.server, operationApplier({ server, passwords: input.passwords, log, thenBlockText })]));
  const journal = input.journal?.planned(operations);
  const outcomes = await executeOperations(
    operations,
    async (operation) => {
      const apply = appliers.get(operation.server);
      if (apply === undefined) throw new Error(`no client for server ${operation.server}`);
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
        if (outcome.status === 'failed') {
          const failure = toFailure(outcome.error, { server: outcome.operation.server, operation: outcome.operation });
          log.error(describeFailure(failure));
          journal?.failed(index, failure.reason);
        } else if (outcome.status === 'done') journal?.done(index, outcome.note);
      },
    },
  );
  return {
    applied: outcomes.map(({ operation, status, note }) => ({ operation, status, note })),
    failures: outcomes.flatMap((outcome) => (outcome.status === 'failed' ? [toFailure(outcome.error, { server: outcome.operation.server, operation: outcome.operation })] : [])),
    notSent: outcomes.filter((outcome) => outcome.status === 'not-sent').length,
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
