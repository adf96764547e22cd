import type { OpenServer } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import { noProgress, type ProgressListener } from '../progress/progress-listener.js';
import type { SyncConfig } from '../config/sync-config.js';
import { utcCalendarDate } from '../domain/calendar-date.js';
import { PasswordFile } from '../execute/password-file.js';
import type { LastGoodRun } from '../plan/guards.js';
import type { Plan } from '../plan/plan-types.js';
import type { InterruptedRun } from '../state/run-records.js';
import type { RunJournal } from './apply-plan.js';
import { logFailures, logRefusals } from './guard-lines.js';
import { Listings } from './listings.js';
import { backupResult } from './backup-result.js';
import { gatherStrategy } from './gather-step.js';
import { oneWayStrategy } from './one-way-step.js';
import { spreadStrategy } from './spread-step.js';
import { exitCodeFor, worstOutcome } from '../outcome/outcome.js';
import type { PairBases } from './pair-bases.js';
import type { RunContext } from './run-context.js';
import type { RunResult, ServerSummary, TargetResult, Verification } from '../outcome/run-result.js';
import { runStages, type StagesResult } from './run-stages.js';
import { stepStopped } from './run-step.js';
import { writeTraffic } from './write-traffic.js';
import { allServers, closeServers, openServers, type RunServers, type ServerSession } from './servers.js';
import type { ServerListing, Stage, Step } from './step.js';

export type { RunJournal };

export interface SyncRunInput {
  readonly command: 'sync' | 'plan';
  readonly config: SyncConfig;
  readonly log: LogSink;
  /** Hears how the wake-up waits and the writes are going; silent by default. */
  readonly progress?: ProgressListener;
  /** Opens a session on each configured server (over HTTP, or in memory in tests). */
  readonly open: OpenServer;
  readonly now?: () => Date;
  /** Records each operation before it is sent and after it is answered. */
  readonly journal?: RunJournal;
  /** The primary's counts at the last good run, for the --max-shrink guard. */
  readonly lastGood?: LastGoodRun | null;
  /** --force: override the guards against a shrunken listing. */
  readonly force?: boolean;
  /** --resync: a two-way run that merges without the recorded base (the primary's version wins). */
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
 * Two-way: merge the primary and its peer against their base.
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
    progress: input.progress ?? noProgress,
    today: utcCalendarDate(started),
    now,
    passwords: new PasswordFile(config.stateDir),
    journal: input.journal,
    signal: input.signal,
    force: input.force === true,
    bases: input.bases ?? null,
    runId: input.runId ?? null,
    listings: new Listings(),
  };
  const stages = stagesOf(config, servers, input);
  let ran: StagesResult;
  try {
    ran = await runStages(context, stages);
  } finally {
    closeServers(servers);
  }
  const { stop } = ran;
  if (stop !== null) {
    logFailures(log, stop.failures);
    logRefusals(log, null, stop.guards);
  }
  const steps = stages.flat();
  const stepResults = steps.map((step, index) => ran.steps[index]?.target ?? stepStopped(step, stop?.outcome ?? 'interrupted'));
  const targets: TargetResult[] = servers.backups.map((backup) => backupResult(stepResults.filter((_, index) => steps[index]?.target === backup)));
  const listed = [...ran.listed, ...ran.steps.flatMap((step) => step.listed)];
  const outcome = stop?.outcome ?? worstOutcome(targets.map((target) => target.outcome));
  return {
    command: input.command,
    mode: config.mode,
    resync: config.mode === 'two-way' && input.resync === true,
    outcome,
    exitCode: exitCodeFor(outcome),
    stoppedBeforeTargets: stop !== null,
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    today: context.today,
    servers: allServers(servers).map((session) => summary(session, listed)),
    targets,
    plan: combinedPlan(targets),
    applied: targets.flatMap((target) => target.applied),
    failures: [...(stop?.failures ?? []), ...targets.flatMap((target) => target.failures)],
    guards: [...(stop?.guards ?? []), ...targets.flatMap((target) => target.guards)],
    forcedGuards: targets.flatMap((target) => target.forcedGuards),
    interruptedRuns: input.interruptedRuns ?? [],
    runId: input.runId ?? null,
    verified: combinedVerification(targets),
    // Only when a user was sent: a refused or interrupted run wrote no password.
    newUserPasswordsFile: targets.some((target) => target.applied.some(({ operation, status }) => operation.kind === 'create-user' && status !== 'not-sent'))
      ? context.passwords.path
      : null,
  };
}

/**
 * One-way: one stage, a step per backup. Two-way (the round trip): a stage per
 * backup, in the configured order, gathers its work into the primary (so the
 * primary's version wins a conflict, then the backups in that order); then one
 * stage brings every backup in step with the result.
 */
function stagesOf(config: SyncConfig, servers: RunServers, input: SyncRunInput): Stage[] {
  const source = servers.primary;
  const lastGood = input.lastGood ?? null;
  if (config.mode === 'two-way') {
    const resync = input.resync === true;
    const [gather, spread] = [gatherStrategy(resync, lastGood), spreadStrategy(resync)];
    // The last backup gathered wins a conflict between backups: the first configured one, under --conflict peer.
    const order = config.conflict === 'peer' ? [...servers.backups].reverse() : servers.backups;
    const gathering = order.map((target): Step => ({ strategy: gather, source, target }));
    return [...gathering.map((step) => [step]), gathering.map((after): Step => ({ strategy: spread, source, target: after.target, after }))];
  }
  const strategy = oneWayStrategy(lastGood);
  return [servers.backups.map((target) => ({ strategy, source, target }))];
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

/** The server as the report's Read section shows it: its session, and its latest listing in this run. */
function summary({ server, account }: ServerSession, listed: readonly ServerListing[]): ServerSummary {
  const listing = listed.filter((entry) => entry.server === account.name).at(-1);
  return {
    name: account.name,
    url: account.url,
    username: account.username,
    role: server.session?.role ?? null,
    mustChangePassword: server.session?.mustChangePassword ?? null,
    users: listing?.users ?? null,
    licenses: listing?.licenses ?? null,
    rejected: listing?.rejected ?? [],
    requests: server.requestCount,
    writes: writeTraffic(server.writeFigures ?? null),
  };
}
