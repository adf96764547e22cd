import { ApiError } from '../api/api-error.js';
import type { LicenseApiClient } from '../api/license-api-client.js';
import type { LogSink } from '../api/log-sink.js';
import type { SyncConfig } from '../config/sync-config.js';
import { utcCalendarDate } from '../domain/calendar-date.js';
import { operationApplier } from '../execute/apply-operation.js';
import { executeOperations } from '../execute/executor.js';
import { PasswordFile } from '../execute/password-file.js';
import { deletionLimitGuard, lastGoodRunGuard, roleGuard, shrunkenPrimaryGuard, type GuardRefusal, type LastGoodRun } from '../plan/guards.js';
import type { Operation } from '../plan/operation.js';
import type { InterruptedRun } from '../state/run-records.js';
import { plan as makePlan } from '../plan/plan.js';
import type { Plan, PlanOptions } from '../plan/plan-types.js';
import type { SecretRedactor } from '../log/secret-redactor.js';
import type { Snapshot } from '../snapshot/records.js';
import { closeClients, createClients } from './clients.js';

interface PairClients {
  readonly primary: LicenseApiClient;
  readonly backup: LicenseApiClient;
}
import { EXIT_CODES } from './exit-codes.js';
import { toFailure } from './failure.js';
import { readSnapshot } from './read-snapshot.js';
import type { AppliedOperation, Failure, Outcome, RunResult, ServerName, ServerSummary, Verification } from './run-result.js';
import { verdictFor } from './verdict.js';

export interface SyncRunInput {
  readonly command: 'sync' | 'plan';
  readonly config: SyncConfig;
  readonly log: LogSink;
  readonly redactor: SecretRedactor;
  readonly now?: () => Date;
  /** Records each operation before it is sent and after it is answered. */
  readonly journal?: RunJournal;
  /** The primary's counts at the last good run, for the --max-shrink guard. */
  readonly lastGood?: LastGoodRun | null;
  /** --force: override the guards against a shrunken primary. */
  readonly force?: boolean;
  /** Aborted on SIGINT/SIGTERM: no new step or operation starts. */
  readonly signal?: AbortSignal;
  readonly interruptedRuns?: readonly InterruptedRun[];
  readonly runId?: number | null;
}

/** Where a run records its operations; indexes are plan order. */
export interface RunJournal {
  planned(operations: readonly Operation[]): void;
  sent(index: number): void;
  done(index: number, note: string | null): void;
  failed(index: number, reason: string): void;
}

/** Thrown inside the run to stop it with an outcome; everything read so far stays in the result. */
class RunStop extends Error {
  constructor(
    readonly outcome: Outcome,
    readonly failures: readonly Failure[] = [],
    readonly guards: readonly GuardRefusal[] = [],
  ) {
    super(outcome);
  }
}

/**
 * One run: wake and log into both servers, read them, plan, and (for `sync`)
 * apply, re-read the backup and plan again to verify.
 */
export async function runSync(input: SyncRunInput): Promise<RunResult> {
  const now = input.now ?? (() => new Date());
  const started = now();
  const today = utcCalendarDate(started);
  const { config, log } = input;
  const allClients = createClients(config, log, input.redactor, input.signal);
  const clients = { primary: allClients.primary, backup: allClients.backups[0] as LicenseApiClient };
  const state: RunState = { snapshots: {}, plan: null, applied: [], failures: [], verified: null, passwordFile: null };
  let outcome: Outcome;
  let guards: readonly GuardRefusal[] = [];
  const forcedGuards: GuardRefusal[] = [];
  try {
    outcome = await runSteps(input, clients, today, state, forcedGuards);
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    outcome = error.outcome;
    guards = error.guards;
    state.failures.push(...error.failures);
    for (const failure of error.failures) log.error(describeFailure(failure));
    for (const guard of error.guards) log.error(`refused (${guard.guard}): ${guard.message}`);
  } finally {
    closeClients(allClients);
  }
  const result: Omit<RunResult, 'verdict'> = {
    command: input.command,
    outcome,
    exitCode: exitCodeFor(outcome),
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    today,
    servers: [summary(config, clients.primary, state.snapshots.primary), summary(config, clients.backup, state.snapshots.backup)],
    plan: state.plan,
    applied: state.applied,
    failures: state.failures,
    guards,
    forcedGuards,
    interruptedRuns: input.interruptedRuns ?? [],
    runId: input.runId ?? null,
    verified: state.verified,
    newUserPasswordsFile: state.passwordFile,
  };
  return { ...result, verdict: verdictFor(result) };
}

interface RunState {
  snapshots: Partial<Record<ServerName, Snapshot>>;
  plan: Plan | null;
  applied: AppliedOperation[];
  failures: Failure[];
  verified: Verification | null;
  passwordFile: string | null;
}

async function runSteps(input: SyncRunInput, clients: PairClients, today: string, state: RunState, forcedGuards: GuardRefusal[]): Promise<Outcome> {
  const { config, log } = input;
  const both = <T>(step: (client: LicenseApiClient) => Promise<T>) => settleBoth(clients, step, input.signal);

  await both(async (client) => {
    const tookMs = await client.waitUntilAwake(config.wakeTimeoutMs);
    log.debug(`${client.server}: awake (${tookMs} ms)`);
  });
  await both(async (client) => {
    const session = await client.login();
    log.info(`${client.server}: logged in as ${accountOf(config, client.server).username} (role ${session.role})`);
    if (session.must_change_password) log.warn(`${client.server}: the server asks this account to change its password`);
  });
  const roleRefusals = roleGuard(
    (['primary', 'backup'] as const).map((server) => ({ server, role: clients[server].session?.role ?? 'user' })),
  );
  if (roleRefusals.length > 0) throw new RunStop('refused', [], roleRefusals);

  // One server after the other: two large listings in memory at once would double the peak.
  const primary = await readOrStop(clients.primary, input.signal);
  const backup = await readOrStop(clients.backup, input.signal);
  state.snapshots = { primary, backup };
  log.info(`read primary: ${primary.users.size} users, ${primary.licenses.size} licenses; backup: ${backup.users.size} users, ${backup.licenses.size} licenses`);
  for (const [server, snapshot] of [['primary', primary], ['backup', backup]] as const) {
    for (const record of snapshot.rejected) {
      log.warn(`${server}: skipped unreadable ${record.kind} record #${record.index}${record.key === null ? '' : ` (${record.key})`}: ${record.reason}`);
    }
  }

  const options: PlanOptions = { newUsers: config.newUsers, deleteBackupOnly: config.delete };
  const planned = makePlan(primary, backup, options, today);
  state.plan = planned;
  const primaryCounts = { users: primary.users.size, licenses: primary.licenses.size };
  const shrinkRefusals = [
    ...shrunkenPrimaryGuard(primaryCounts, [{ what: 'the backup', counts: { users: backup.users.size, licenses: backup.licenses.size } }], config.minPrimaryRatio),
    ...lastGoodRunGuard(primaryCounts, input.lastGood ?? null, config.maxShrink),
  ];
  if (input.force === true) {
    for (const refusal of shrinkRefusals) log.warn(`--force: going on although ${refusal.message}`);
    forcedGuards.push(...shrinkRefusals);
  }
  const refusals = [
    ...(input.force === true ? [] : shrinkRefusals),
    ...(config.delete ? deletionLimitGuard(planned, config.maxDelete) : []),
  ];
  if (refusals.length > 0) throw new RunStop('refused', [], refusals);
  log.info(`plan: ${planned.operations.length} operations`);
  if (input.command === 'plan') return planned.operations.length === 0 ? 'in-sync' : 'changes-pending';

  if (planned.operations.length === 0) {
    state.verified = { inSync: true, relisted: false, remaining: [] };
    return 'in-sync';
  }
  const passwords = new PasswordFile(config.stateDir);
  if (planned.operations.some((operation) => operation.kind === 'create-user')) state.passwordFile = passwords.path;
  const apply = operationApplier({ backup: clients.backup, passwords, log });
  const journal = input.journal;
  journal?.planned(planned.operations);
  const outcomes = await executeOperations(
    planned.operations,
    async (operation) => {
      log.debug(`backup: ${operation.kind} ${operation.key} (${operation.reason})`);
      return apply(operation);
    },
    {
      concurrency: config.concurrency,
      ...(input.signal ? { signal: input.signal } : {}),
      onStart: (index) => journal?.sent(index),
      onSettled: (index, outcome) => {
        if (outcome.status === 'failed') {
          const failure = toFailure(outcome.error, { server: 'backup', operation: outcome.operation });
          log.error(describeFailure(failure));
          journal?.failed(index, failure.reason);
        } else if (outcome.status === 'done') journal?.done(index, outcome.note);
      },
    },
  );
  for (const outcome of outcomes) {
    state.applied.push({ operation: outcome.operation, status: outcome.status, note: outcome.note });
    // In plan order, whatever order they failed in.
    if (outcome.status === 'failed') state.failures.push(toFailure(outcome.error, { server: 'backup', operation: outcome.operation }));
  }
  const notSent = outcomes.filter((outcome) => outcome.status === 'not-sent').length;
  if (notSent > 0) {
    log.warn(`interrupted: ${notSent} of ${outcomes.length} operations were not sent; the next run plans them again`);
    return 'interrupted';
  }

  const verified = await verify(clients.backup, primary, options, today, log, state, input.signal);
  if (verified === 'interrupted') return 'interrupted';
  state.verified = verified;
  return state.failures.length === 0 && verified.inSync ? 'in-sync' : 'failed';
}

async function verify(
  backup: LicenseApiClient,
  primary: Snapshot,
  options: PlanOptions,
  today: string,
  log: LogSink,
  state: RunState,
  signal: AbortSignal | undefined,
): Promise<Verification | 'interrupted'> {
  try {
    const relisted = await readSnapshot(backup);
    const remaining = makePlan(primary, relisted, options, today).operations;
    if (remaining.length > 0) log.warn(`verification: the backup still needs ${remaining.length} operations`);
    return { inSync: remaining.length === 0, relisted: true, remaining };
  } catch (error) {
    if (signal?.aborted === true) return 'interrupted';
    state.failures.push(toFailure(error, { server: 'backup' }));
    return { inSync: false, relisted: false, remaining: [] };
  }
}

/**
 * Runs a step on both servers at once. If either fails the run stops: a server
 * that cannot be reached or logged into is "unreachable", a listing that is not
 * what the contract promises is refused (writing on its strength could make the
 * backup worse).
 */
async function settleBoth<T>(clients: PairClients, step: (client: LicenseApiClient) => Promise<T>, signal: AbortSignal | undefined): Promise<[T, T]> {
  const settled = await Promise.allSettled([step(clients.primary), step(clients.backup)]);
  stopIfInterrupted(signal);
  const errors = settled.flatMap((entry, index) => (entry.status === 'rejected' ? [{ error: entry.reason as unknown, server: index === 0 ? 'primary' : 'backup' } as const] : []));
  if (errors.length === 0) return settled.map((entry) => (entry as PromiseFulfilledResult<T>).value) as [T, T];
  throw stopFor(errors);
}

async function readOrStop(client: LicenseApiClient, signal: AbortSignal | undefined): Promise<Snapshot> {
  try {
    const snapshot = await readSnapshot(client);
    stopIfInterrupted(signal);
    return snapshot;
  } catch (error) {
    stopIfInterrupted(signal);
    throw stopFor([{ error, server: client.server }]);
  }
}

function stopIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new RunStop('interrupted');
}

function stopFor(errors: readonly { readonly error: unknown; readonly server: ServerName }[]): RunStop {
  const failures = errors.map(({ error, server }) => toFailure(error, { server }));
  const malformed = errors.filter(({ error }) => error instanceof ApiError && error.kind === 'malformed');
  if (malformed.length === errors.length) {
    return new RunStop(
      'refused',
      failures,
      malformed.map(({ server }) => ({ guard: 'unreadable-listing', message: `the ${server} did not answer with the JSON the contract promises; nothing is written on the strength of a listing that could not be read` })),
    );
  }
  return new RunStop('unreachable', failures);
}

function describeFailure(failure: Failure): string {
  return `${failure.server} ${failure.endpoint}${failure.key === null ? '' : ` [${failure.key}]`}: ${failure.reason}`;
}

function accountOf(config: SyncConfig, server: ServerName) {
  return server === 'primary' ? config.primary : (config.backups[0] as SyncConfig['primary']);
}

function summary(config: SyncConfig, client: LicenseApiClient, snapshot: Snapshot | undefined): ServerSummary {
  const account = accountOf(config, client.server);
  return {
    name: client.server,
    url: account.url,
    username: account.username,
    role: client.session?.role ?? null,
    mustChangePassword: client.session?.mustChangePassword ?? null,
    users: snapshot ? snapshot.users.size : null,
    licenses: snapshot ? snapshot.licenses.size : null,
    rejected: snapshot ? snapshot.rejected : [],
    requests: client.requestCount,
  };
}

function exitCodeFor(outcome: Outcome): number {
  switch (outcome) {
    case 'in-sync':
    case 'changes-pending':
      return EXIT_CODES.inSync;
    case 'failed':
      return EXIT_CODES.failed;
    case 'refused':
      return EXIT_CODES.refused;
    case 'unreachable':
      return EXIT_CODES.unreachable;
    case 'interrupted':
      return EXIT_CODES.interrupted;
  }
}
