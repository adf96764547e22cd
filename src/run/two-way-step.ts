import { shrunkenSideGuard, shrunkSinceBaseGuard } from '../plan/guards.js';
import type { PairBase } from '../plan/two-way/pair-base.js';
import { planTwoWay, type TwoWayOptions } from '../plan/two-way/plan-two-way.js';
import type { BaseLookup } from '../state/pair-base-store.js';
import { baseRefusal, logConflicts } from './guard-lines.js';
import type { PairBaseAccess } from './pair-bases.js';
import type { RunContext } from './run-context.js';
import { RunStop } from './run-stop.js';
import { countsOf, type Step, type Strategy } from './step.js';

/**
 * Two-way: merge the primary and the peer against the base the pair agreed on
 * at its last successful run (or, with --resync, as a union where the primary
 * wins), write what each side lacks, and verify by listing both again: they
 * must agree on everything but the conflicts left alone.
 */
export function twoWayStrategy(resync: boolean): Strategy {
  /** The base merged against: null with --resync; a refusal when there is none to use. */
  const mergeBase = (step: Step, base: PairBaseAccess): Extract<BaseLookup, { kind: 'found' }> | null => {
    if (resync) return null;
    const lookup = base.whole();
    if (lookup.kind === 'found') return lookup;
    throw new RunStop('refused', [], [baseRefusal(lookup, base.pair, step.target.account.name)]);
  };
  const label = (step: Step) => `${step.source.account.name} ⇄ ${step.target.account.name}`;
  return {
    mode: 'two-way',
    sides: 'both',
    label,
    prepare(step, base) {
      const found = mergeBase(step, base);
      return found === null ? null : { recordedAt: found.meta.recordedAt, runId: found.meta.runId, mode: found.meta.mode };
    },
    plan(context, step, sides, base) {
      const planned = planTwoWay(sides.source, sides.target, mergeBase(step, base)?.base ?? null, optionsOf(context, step), context.today);
      logConflicts(context.log, label(step), planned.conflicts);
      return planned;
    },
    planSummary: (plan) => `${plan.operations.length} operations (${plan.conflicts.length} conflicts)`,
    guards(context, step, sides, _plan, base) {
      const { config } = context;
      const [source, target] = [step.source.account.name, step.target.account.name];
      const found = mergeBase(step, base);
      return {
        forcible: [
          ...shrunkenSideGuard(
            [
              { server: source, counts: countsOf(sides.source) },
              { server: target, counts: countsOf(sides.target) },
            ],
            config.minPrimaryRatio,
          ),
          ...(found === null
            ? []
            : shrunkSinceBaseGuard(
                [
                  { server: source, licenses: sides.source.licenses.size, baseLicenses: found.base.primary.licenses.size },
                  { server: target, licenses: sides.target.licenses.size, baseLicenses: found.base.peer.licenses.size },
                ],
                found.meta.recordedAt,
                config.maxShrink,
              )),
        ],
        always: [],
      };
    },
    // Both sides must now agree on everything (merged as a --resync would) but the
    // conflicts this run left alone: under --conflict none every conflict, where
    // only the block was written.
    remaining(context, step, after, plan) {
      const options = optionsOf(context, step);
      const leaveAlone = new Set(plan.conflicts.filter((conflict) => options.conflict === 'none' || conflict.resolution === 'left').map((conflict) => conflict.key));
      return planTwoWay(after.source, after.target, null, { ...options, conflict: 'primary', leaveAlone }, context.today).operations;
    },
    remainingSummary: (count) => `verification: the two sides still differ by ${count} operations`,
    previousBase(base): PairBase | null {
      if (resync) return null;
      const whole = base.whole();
      return whole.kind === 'found' ? whole.base : null;
    },
  };
}

function optionsOf(context: RunContext, step: Step): TwoWayOptions {
  const { config } = context;
  return { peer: step.target.account.name, conflict: config.conflict, newUsers: config.newUsers, delete: config.delete, maxDelete: config.maxDelete };
}
