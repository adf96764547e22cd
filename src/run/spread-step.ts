import type { LastGoodRun } from '../plan/guards.js';
import type { Operation } from '../plan/operation.js';
import { baseFromSnapshots, pendingPeerDeletionsOf } from '../plan/two-way/pair-base.js';
import { planTwoWay } from '../plan/two-way/plan-two-way.js';
import { mergeBaseOf, mergeOptions, mergePlan, primaryGuards, writingTo } from './round-trip-base.js';
import type { PairBaseAccess } from './pair-bases.js';
import type { Step, Strategy } from './step.js';

/**
 * The round trip's second half, for one backup, once every backup's work is on
 * the primary: the same merge against the pair's base, of which this step
 * writes the backup's part (the primary's edits and the other backups' work,
 * deletions held or carried out, a wiped backup filled). Verified by listing
 * the backup again and planning as the next run will, against the base this
 * step then records: nothing may be left to do on either server.
 */
export function spreadStrategy(resync: boolean, lastGood: LastGoodRun | null): Strategy {
  const merge = (step: Step, base: PairBaseAccess) => mergeBaseOf(step, base, resync);
  return {
    mode: 'two-way',
    sides: 'target',
    writes: 'target',
    recordsBase: true,
    label: (step) => `${step.source.account.name} → ${step.target.account.name}`,
    prepare: (step, base) => merge(step, base)?.used ?? null,
    plan: (context, step, sides, base) => ({ ...writingTo(mergePlan(context, step, sides, merge(step, base)?.base ?? null), step.target.account.name), conflicts: [] }),
    planSummary: (plan) => `${plan.operations.length} operations`,
    guards(context, step, sides, _plan, base) {
      const merged = merge(step, base);
      return { forcible: primaryGuards(context, step, sides, merged?.base ?? null, merged?.used.recordedAt ?? null, lastGood), always: [] };
    },
    remaining(context, step, after, plan, base): readonly Operation[] {
      // The same merge again, on both servers: the backup's part must be done (planning only against the next base,
      // recorded from these very listings, would find a write that never landed "unchanged on both" and want nothing),
      // and the primary's part was written by the gathering step (any left: the primary changed since).
      const again = mergePlan(context, step, after, merge(step, base)?.base ?? null).operations;
      const next = baseFromSnapshots(after.source, after.target, pendingPeerDeletionsOf(plan, step.target.account.name));
      return [...again, ...planTwoWay(after.source, after.target, next, mergeOptions(context, step), context.today).operations];
    },
    remainingSummary: (count) => `verification: still needs ${count} operations`,
    previousBase(base) {
      if (resync) return null;
      const lookup = base.whole();
      return lookup.kind === 'found' ? lookup.base : null;
    },
  };
}
