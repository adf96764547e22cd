import { lastGoodRunGuard, shrunkenPrimaryGuard, shrunkSinceBaseGuard, type GuardRefusal, type LastGoodRun } from '../plan/guards.js';
import type { Plan } from '../plan/plan-types.js';
import type { PairBase } from '../plan/two-way/pair-base.js';
import { planTwoWay, type TwoWayOptions } from '../plan/two-way/plan-two-way.js';
import type { BaseUsed } from '../outcome/run-result.js';
import { baseRefusal } from './guard-lines.js';
import type { PairBaseAccess } from './pair-bases.js';
import type { RunContext } from './run-context.js';
import { RunStop } from './run-stop.js';
import { countsOf, type Sides, type Step } from './step.js';

// What the two steps of the round trip share for one backup: the pair's base
// they merge against, the merge itself (the same plan, of which the gathering
// step writes the primary's part and the spreading step the backup's), and the
// guards on the primary's listing.

/**
 * The base the backup's merge runs against: none on a pair's first run or with
 * --resync (the primary's version then wins); a base recorded with another
 * primary, or one that cannot be read, stops the step (a person must look).
 */
export function mergeBaseOf(step: Step, base: PairBaseAccess, resync: boolean): { readonly base: PairBase; readonly used: BaseUsed } | null {
  if (resync) return null;
  const lookup = base.whole();
  if (lookup.kind === 'found') return { base: lookup.base, used: { recordedAt: lookup.meta.recordedAt, runId: lookup.meta.runId, mode: lookup.meta.mode } };
  if (lookup.kind === 'none') return null;
  throw new RunStop('refused', [], [baseRefusal(lookup, base.pair, step.target.account.name)]);
}

/**
 * `spreading`: the primary already holds what the gathering steps decided, so
 * a field or block conflict still seen there (under --conflict peer with
 * several backups: a backup whose value lost to another backup's) is settled
 * for the primary's version.
 */
export function mergeOptions(context: RunContext, step: Step, spreading = false): TwoWayOptions {
  const { config } = context;
  return {
    peer: step.target.account.name,
    conflict: config.conflict,
    ...(spreading && config.conflict === 'peer' && config.backups.length > 1 ? { settledFor: 'primary' as const } : {}),
    newUsers: config.newUsers,
    delete: config.delete,
    maxDelete: config.maxDelete,
    maxPeerShrink: config.maxShrink,
  };
}

/** The merge of the primary (`sides.source`) and the backup (`sides.target`) against the pair's base (null: none). */
export function mergePlan(context: RunContext, step: Step, sides: Sides, base: PairBase | null, spreading = false): Plan {
  return planTwoWay(sides.source, sides.target, base, mergeOptions(context, step, spreading), context.today);
}

/** The part of a plan that writes to `server`. */
export function writingTo(plan: Plan, server: string): Plan {
  return { ...plan, operations: plan.operations.filter((operation) => operation.server === server) };
}

/**
 * A primary that lists far less than the backup, than at the last good run, or
 * than at the pair's base has more likely lost data or answered partially than
 * been cleaned up: merging would take its gaps for deletions. (A backup that
 * lists far less is a reset: the merge restores it.)
 */
export function primaryGuards(context: RunContext, step: Step, sides: Sides, base: PairBase | null, recordedAt: string | null, lastGood: LastGoodRun | null): GuardRefusal[] {
  const { config } = context;
  const listed = countsOf(sides.source);
  // As the primary was before this run's own deletions (gathered from a backup), which no guard should take for a loss.
  const primary = { ...listed, licenses: listed.licenses + (context.deletedEarlier?.get(step.source.account.name) ?? 0) };
  return [
    ...shrunkenPrimaryGuard(primary, [{ reference: { kind: 'server', server: step.target.account.name }, counts: countsOf(sides.target) }], config.minPrimaryRatio),
    ...lastGoodRunGuard(primary, lastGood, config.maxShrink),
    ...(base === null || recordedAt === null
      ? []
      : shrunkSinceBaseGuard([{ server: step.source.account.name, licenses: primary.licenses + unreadableLicenses(sides.source), baseLicenses: base.primary.licenses.size }], recordedAt, config.maxShrink)),
  ];
}

/** License records listed but unreadable: still there, not lost (the base holds them as they were). */
function unreadableLicenses(snapshot: Sides['source']): number {
  return snapshot.rejected.filter((record) => record.kind === 'license').length;
}
