import { exitCodeFor } from '../outcome/outcome.js';
import type { Outcome, TargetResult } from '../outcome/run-result.js';
import { overGrants, type Plan } from '../plan/plan-types.js';
import { nextBase } from '../plan/two-way/pair-base.js';
import type { Snapshot } from '../snapshot/records.js';
import type { PairKey } from '../state/pair-base-store.js';
import { applyPlan } from './apply-plan.js';
import { toFailure } from './failure.js';
import { logFailures, logForced, logOverGrants, logPendingDeletions, logRefusals } from './guard-lines.js';
import { pairBaseAccess, type PairBaseAccess } from './pair-bases.js';
import { readSnapshot } from './read-snapshot.js';
import type { RunContext } from './run-context.js';
import { RunStop } from './run-stop.js';
import { readListing } from './server-steps.js';
import type { ServerSession } from './servers.js';
import { listingOf, type ServerListing, type Sides, type Step } from './step.js';
import { t } from '../i18n/i18n.js';

/** What a step did, and what it listed on the way (each server's first listing). */
export interface StepResult {
  readonly target: TargetResult;
  readonly listed: readonly ServerListing[];
}

/**
 * One step, whatever its strategy: read, plan, check the guards and --force,
 * stop there for `plan`, apply, list again, verify, and record the pair's new
 * base. `sourceListing` is the source as its stage read it for every step,
 * or null when the step reads it itself. Throws nothing but bugs: a stop
 * becomes the step's outcome.
 */
export async function runStep(context: RunContext, step: Step, sourceListing: Snapshot | null): Promise<StepResult> {
  const { strategy } = step;
  const { log, signal } = context;
  const label = strategy.label(step);
  const base = pairBaseAccess(context.bases, pairOf(step));
  let target = startOf(step);
  let listed: readonly ServerListing[] = [];
  const ended = (outcome: Outcome): StepResult => ({ target: { ...target, outcome, exitCode: exitCodeFor(outcome) }, listed });
  const read = async (side: ServerSession): Promise<Snapshot> => {
    const name = side.account.name;
    const kept = context.listings.of(name);
    if (kept !== undefined) return kept;
    const snapshot = await readListing(side.server, log, signal);
    context.listings.keep(name, snapshot);
    listed = [...listed, listingOf(name, snapshot)];
    return snapshot;
  };
  try {
    target = { ...target, base: strategy.prepare(step, base) };
    const source = sourceListing ?? (await read(step.source));
    const sides: Sides = { source, target: await read(step.target) };

    const plan = strategy.plan(context, step, sides, base);
    target = { ...target, plan };
    const { forcible, always } = strategy.guards(context, step, sides, plan, base);
    if (context.force) {
      logForced(log, label, forcible);
      target = { ...target, forcedGuards: forcible };
    }
    const refusals = [...(context.force ? [] : forcible), ...always];
    if (refusals.length > 0) throw new RunStop('refused', [], refusals);
    log.info(t('run:plan.line', { label, summary: strategy.planSummary(plan) }));
    if (context.command === 'plan') return ended(plan.operations.length === 0 ? 'in-sync' : 'changes-pending');

    // An over-grant no call can close leaves the backup letting in a client the primary refuses: a person must act.
    const needsPerson = overGrants(plan).length > 0;
    logOverGrants(log, label, plan);
    // Once per backup: by the step that keeps them pending in the base it records.
    if (strategy.recordsBase) logPendingDeletions(log, label, plan);
    if (plan.operations.length === 0) {
      // What the listings already show must also satisfy the verification (a spreading step's primary part, written by its gathering step).
      const remaining = strategy.remaining(context, step, sides, plan, base);
      if (remaining.length > 0) log.warn(t('run:verify.line', { label, summary: strategy.remainingSummary(remaining.length) }));
      target = { ...target, verified: { inSync: remaining.length === 0, relisted: false, remaining } };
      if (needsPerson || remaining.length > 0) return ended('failed');
      if (strategy.recordsBase) target = { ...target, baseRecorded: recordBase(context, step, base, plan, sides) };
      return ended('in-sync');
    }
    for (const side of writtenBy(step)) context.listings.forget(side.account.name);
    const applied = await applyPlan({
      operations: plan.operations,
      servers: writtenBy(step).map((side) => side.server),
      passwords: context.passwords,
      // Adaptive: each server's client holds back what its limit does not allow yet.
      concurrency: context.config.concurrency ?? context.config.maxConcurrency,
      log,
      progress: context.progress,
      ...(context.journal ? { journal: context.journal } : {}),
      ...(signal ? { signal } : {}),
    });
    target = { ...target, applied: applied.applied, failures: [...target.failures, ...applied.failures] };
    if (applied.notSent > 0) {
      log.warn(t('run:step.interrupted', { label, notSent: applied.notSent, count: applied.applied.length }));
      return ended('interrupted');
    }

    const after = await relist(step, sides);
    if (after.kind === 'failed') {
      if (signal?.aborted === true) return ended('interrupted');
      target = { ...target, failures: [...target.failures, toFailure(after.error, { server: after.server })], verified: { inSync: false, relisted: false, remaining: [] } };
      return ended('failed');
    }
    for (const side of writtenBy(step)) context.listings.keep(side.account.name, side === step.source ? after.sides.source : after.sides.target);
    const remaining = strategy.remaining(context, step, after.sides, plan, base);
    // Writes whose every answer was lost are settled by what the server now holds.
    const settled = applied.settleUnknown(remaining);
    target = { ...target, applied: settled.applied, failures: [...target.failures, ...settled.failures] };
    if (remaining.length > 0) log.warn(t('run:verify.line', { label, summary: strategy.remainingSummary(remaining.length) }));
    target = { ...target, verified: { inSync: remaining.length === 0, relisted: true, remaining } };
    if (target.failures.length > 0 || remaining.length > 0 || needsPerson) return ended('failed');
    if (strategy.recordsBase) target = { ...target, baseRecorded: recordBase(context, step, base, plan, after.sides) };
    return ended('in-sync');
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    logRefusals(log, label, error.guards);
    target = { ...target, guards: [...target.guards, ...error.guards], failures: [...target.failures, ...error.failures] };
    return ended(error.outcome);
  }
}

/** A step whose target could not be woken, logged into, or is not an administrator's: it ends before reading anything. */
export function stepNotStarted(step: Step, stop: RunStop, log: RunContext['log']): StepResult {
  logFailures(log, stop.failures);
  logRefusals(log, step.strategy.label(step), stop.guards);
  const outcome = stop.outcome;
  return { target: { ...startOf(step), outcome, exitCode: exitCodeFor(outcome), failures: [...stop.failures], guards: [...stop.guards] }, listed: [] };
}

/** A step of a run that stopped before its steps went their own ways: the run's outcome and nothing else. */
export function stepStopped(step: Step, outcome: Outcome): TargetResult {
  return { ...startOf(step), outcome, exitCode: exitCodeFor(outcome) };
}

function startOf(step: Step): TargetResult {
  return {
    server: step.target.account.name,
    url: step.target.account.url,
    outcome: 'in-sync',
    exitCode: 0,
    plan: null,
    applied: [],
    failures: [],
    guards: [],
    forcedGuards: [],
    verified: null,
    base: null,
    baseRecorded: false,
  };
}

function pairOf(step: Step): PairKey {
  return { primaryUrl: step.source.account.url, peerUrl: step.target.account.url };
}

/** The servers the step writes to. */
function writtenBy(step: Step): ServerSession[] {
  switch (step.strategy.writes) {
    case 'source':
      return [step.source];
    case 'target':
      return [step.target];
    case 'both':
      return [step.source, step.target];
  }
}

/**
 * A one-way run neither carries out nor reports a backup's deletion that an
 * earlier round trip restored: it keeps it pending while the license is still
 * on both servers, so that a later run with --delete can carry it out.
 */
function stillPending(step: Step, base: PairBaseAccess, sides: Sides): string[] {
  if (step.strategy.mode !== 'one-way') return [];
  const lookup = base.peerSide();
  if (lookup.kind !== 'found') return [];
  return [...(lookup.base.pendingPeerDeletions ?? [])].filter((deviceId) => sides.source.licenses.has(deviceId) && sides.target.licenses.has(deviceId));
}

type Relisted = { readonly kind: 'listed'; readonly sides: Sides } | { readonly kind: 'failed'; readonly server: string; readonly error: unknown };

/** Lists again, one server after the other, what the step wrote to; the listing read before stands for a server it did not write to. */
async function relist(step: Step, before: Sides): Promise<Relisted> {
  const written = writtenBy(step);
  let listing: ServerSession = step.source;
  try {
    const source = written.includes(step.source) ? await readSnapshot(step.source.server) : before.source;
    listing = step.target;
    const target = written.includes(step.target) ? await readSnapshot(step.target.server) : before.target;
    return { kind: 'listed', sides: { source, target } };
  } catch (error) {
    return { kind: 'failed', server: listing.account.name, error };
  }
}

/**
 * Keeps what both servers hold after a successful step as the pair's next
 * base; keys this run could not reconcile (unreadable, suspended) keep their
 * previous entries. A base that cannot be replaced is dropped instead:
 * merging later against an older one would take this run's writes for changes
 * made by hand. True when recorded.
 */
function recordBase(context: RunContext, step: Step, base: PairBaseAccess, plan: Plan, sides: Sides): boolean {
  const bases = context.bases;
  if (context.command !== 'sync' || bases === null || !bases.writable) return false;
  try {
    const recorded = nextBase(sides.source, sides.target, plan, step.target.account.name, () => step.strategy.previousBase(base), stillPending(step, base, sides));
    bases.save(base.pair, recorded, { runId: context.runId, recordedAt: context.now().toISOString(), mode: step.strategy.mode });
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : t('run:failure.unexpectedError');
    context.log.error(t('run:step.baseNotRecorded', { peerUrl: base.pair.peerUrl, reason }));
    try {
      bases.forget(base.pair);
    } catch {
      // The database is unusable: the next run cannot read a stale base from it either way.
    }
    return false;
  }
}
