import type { OpenServer } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import type { SyncConfig } from '../config/sync-config.js';
import { utcCalendarDate } from '../domain/calendar-date.js';
import { PasswordFile } from '../execute/password-file.js';
import type { LastGoodRun } from '../plan/guards.js';
import type { Plan } from '../plan/plan-types.js';
import type { InterruptedRun } from '../state/run-records.js';
import { describeFailure, type RunJournal } from './apply-plan.js';
import { closeServers, openServers, type ServerSession } from './servers.js';
import { syncBackup } from './one-way-target.js';
import { exitCodeFor, worstOutcome } from '../outcome/outcome.js';
import type { PairBases } from './pair-bases.js';
import { emptyDraft, finishTarget, type RunContext, type TargetDraft } from './run-context.js';
import type { Outcome, RunResult, ServerSummary, TargetResult, Verification } from '../outcome/run-result.js';
import { RunStop } from './run-stop.js';
import { connect, readListing } from './server-steps.js';
import { reconcilePeer } from './two-way-target.js';

export type { RunJournal };

export interface SyncRunInput {
  readonly command: 'sync' | 'plan';
  readonly config: SyncConfig;
  readonly log: LogSink;
  /** Opens a session on each configured server (over HTTP, or in memory in tests). */
  readonly open: OpenServer;
  readonly now?: () => Date;
  /** Records each operation before it is sent and after it is answered. */
  readonly journal?: RunJournal;
  /** The primary's counts at the last good run, for the --max-shrink guard. */
  readonly lastGood?: LastGoodRun | null;
  /** --force: override the guards against a shrunken listing. */
  readonly force?: boolean;
  /** --resync: a two-way run that starts from the union of both sides instead of the base. */
  readonly resync?: boolean;
  /** The pair bases two-way runs merge against and successful runs record. */
  readonly bases?: PairBases | null;
  /** Aborted on SIGINT/SIGTERM: no new step or operation starts. */
  readonly signal?: AbortSignal;
  readonly interruptedRuns?: readonly InterruptedRun[];
  readonly runId?: number | null;
}

/**
 * One run. One-way: wake and log into every server, read the primary once,
 * then bring each backup in step with it, concurrently and independently.
 * Two-way: merge the primary and its one peer against their base.
 */
export async function runSync(input: SyncRunInput): Promise<RunResult> {
  const now = input.now ?? (() => new Date());
  const started = now();
  const { config, log } = input;
  const servers = openServers(input.open, config, input.signal);
  const context: RunContext = {
    command: input.command,
    config,
    log,
    today: utcCalendarDate(started),
    now,
    passwords: new PasswordFile(config.stateDir),
    journal: input.journal,
    signal: input.signal,
    force: input.force === true,
    bases: input.bases ?? null,
    runId: input.runId ?? null,
    listed: new Map(),
  };
  const { primary, backups } = servers;
  let runStop: RunStop | null = null;
  let drafts: TargetDraft[];
  try {
    drafts =
      config.mode === 'two-way'
        ? await twoWay(context, primary, backups[0] as ServerSession, input.resync === true)
        : await oneWay(context, primary, backups, input.lastGood ?? null);
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    runStop = error;
    drafts = backups.map(() => ({ ...emptyDraft(), outcome: error.outcome }));
    for (const failure of error.failures) log.error(describeFailure(failure));
    for (const guard of error.guards) log.error(`refused (${guard.guard}): ${guard.message}`);
  } finally {
    closeServers(servers);
  }
  const targets = backups.map((backup, index) => finishTarget(backup.account.name, backup.account.url, drafts[index] ?? emptyDraft()));
  const result: RunResult = {
    command: input.command,
    mode: config.mode,
    resync: config.mode === 'two-way' && input.resync === true,
    outcome: runStop?.outcome ?? overallOutcome(targets),
    exitCode: exitCodeFor(runStop?.outcome ?? overallOutcome(targets)),
    stoppedBeforeTargets: runStop !== null,
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    today: context.today,
    servers: [primary, ...backups].map((session) => summary(session, context)),
    targets,
    plan: combinedPlan(targets),
    applied: targets.flatMap((target) => target.applied),
    failures: [...(runStop?.failures ?? []), ...targets.flatMap((target) => target.failures)],
    guards: [...(runStop?.guards ?? []), ...targets.flatMap((target) => target.guards)],
    forcedGuards: targets.flatMap((target) => target.forcedGuards),
    interruptedRuns: input.interruptedRuns ?? [],
    runId: input.runId ?? null,
    verified: combinedVerification(targets),
    newUserPasswordsFile: targets.some((target) => target.plan?.operations.some((operation) => operation.kind === 'create-user') === true && input.command === 'sync')
      ? context.passwords.path
      : null,
  };
  return result;
}

async function oneWay(context: RunContext, primary: ServerSession, backups: readonly ServerSession[], lastGood: LastGoodRun | null): Promise<TargetDraft[]> {
  const { config, log, signal } = context;
  // Every server wakes and logs in at once; the primary's failure stops the run, a backup's only that backup.
  const backupsReady = backups.map((backup) => connect([backup], config.wakeTimeoutMs, log, signal).then(() => null, (error: unknown) => stopOf(error)));
  const primaryReady = connect([primary], config.wakeTimeoutMs, log, signal);
  try {
    await primaryReady;
  } catch (error) {
    await Promise.all(backupsReady);
    throw error;
  }
  const listing = await readListing(primary.server, log, signal);
  context.listed.set(primary.account.name, { users: listing.users.size, licenses: listing.licenses.size, rejected: listing.rejected });
  const drafts = await Promise.all(
    backups.map(async (backup, index) => {
      const stop = await backupsReady[index];
      if (stop !== null && stop !== undefined) return draftOf(stop, backup.account.name, log);
      return syncBackup(context, listing, backup, lastGood);
    }),
  );
  return drafts;
}

async function twoWay(context: RunContext, primary: ServerSession, peer: ServerSession, resync: boolean): Promise<TargetDraft[]> {
  await connect([primary, peer], context.config.wakeTimeoutMs, context.log, context.signal);
  return [await reconcilePeer(context, primary, peer, resync)];
}

function stopOf(error: unknown): RunStop {
  if (error instanceof RunStop) return error;
  throw error;
}

function draftOf(stop: RunStop, server: string, log: LogSink): TargetDraft {
  for (const failure of stop.failures) log.error(describeFailure(failure));
  for (const guard of stop.guards) log.error(`${server}: refused (${guard.guard}): ${guard.message}`);
  return { ...emptyDraft(), outcome: stop.outcome, failures: [...stop.failures], guards: [...stop.guards] };
}

function overallOutcome(targets: readonly TargetResult[]): Outcome {
  return worstOutcome(targets.map((target) => target.outcome));
}

function combinedPlan(targets: readonly TargetResult[]): Plan | null {
  const plans = targets.flatMap((target) => (target.plan === null ? [] : [target.plan]));
  if (plans.length === 0) return null;
  if (plans.length === 1) return plans[0] as Plan;
  return {
    operations: plans.flatMap((plan) => plan.operations),
    skipped: plans.flatMap((plan) => plan.skipped),
    drift: plans.flatMap((plan) => plan.drift),
    conflicts: plans.flatMap((plan) => plan.conflicts),
  };
}

function combinedVerification(targets: readonly TargetResult[]): Verification | null {
  const verified = targets.flatMap((target) => (target.verified === null ? [] : [target.verified]));
  if (verified.length === 0) return null;
  if (verified.length === 1) return verified[0] as Verification;
  return {
    inSync: verified.every((entry) => entry.inSync),
    relisted: verified.some((entry) => entry.relisted),
    remaining: verified.flatMap((entry) => entry.remaining),
  };
}

function summary(session: ServerSession, context: RunContext): ServerSummary {
  const { server: client, account } = session;
  const listed = context.listed.get(account.name);
  return {
    name: account.name,
    url: account.url,
    username: account.username,
    role: client.session?.role ?? null,
    mustChangePassword: client.session?.mustChangePassword ?? null,
    users: listed?.users ?? null,
    licenses: listed?.licenses ?? null,
    rejected: listed?.rejected ?? [],
    requests: client.requestCount,
  };
}
