import type { Operation } from '../plan/operation.js';
import { nextBase } from '../plan/two-way/pair-base.js';
import { planTwoWay } from '../plan/two-way/plan-two-way.js';
import { mergeBaseOf, mergeOptions, mergePlan, writingTo } from './round-trip-base.js';
import type { PairBaseAccess } from './pair-bases.js';
import type { Step, Strategy } from './step.js';
import { t } from '../i18n/i18n.js';

const operationKey = (operation: Operation): string => `${operation.server} ${operation.kind} ${operation.key}`;

/**
 * The round trip's second half, for one backup, once every backup's work is on
 * the primary: the same merge against the pair's base, of which this step
 * writes the backup's part (the primary's edits and the other backups' work,
 * deletions held or carried out, a wiped backup filled). Verified by listing
 * the backup again: every planned write must have landed, and planning as the
 * next run will, against the base this step then records, must want nothing.
 */
export function spreadStrategy(resync: boolean): Strategy {
  const merge = (step: Step, base: PairBaseAccess) => mergeBaseOf(step, base, resync);
  return {
    mode: 'two-way',
    sides: 'target',
    writes: 'target',
    recordsBase: true,
    label: (step) => `${step.source.account.name} → ${step.target.account.name}`,
    prepare: (step, base) => merge(step, base)?.used ?? null,
    plan: (context, step, sides, base) => ({ ...writingTo(mergePlan(context, step, sides, merge(step, base)?.base ?? null, true), step.target.account.name), conflicts: [] }),
    planSummary: (plan) => t('run:plan.operations', { count: plan.operations.length }),
    // The gathering step checked the primary's listing before it wrote; what the primary lists now includes those writes.
    guards: () => ({ forcible: [], always: [] }),
    remaining(context, step, after, plan, base): readonly Operation[] {
      // A planned write the same merge still wants on the listings after writing did not land. (Not the merge's other
      // wants: against the old base, this step's own writes read as the backup's changes.) Then, as the next run will
      // plan, against the base this step records: nothing may be left on either server.
      const planned = new Set(plan.operations.map(operationKey));
      const still = mergePlan(context, step, after, merge(step, base)?.base ?? null, true).operations.filter((operation) => planned.has(operationKey(operation)));
      const next = nextBase(after.source, after.target, plan, step.target.account.name, () => merge(step, base)?.base ?? null);
      const seen = new Set(still.map(operationKey));
      const later = planTwoWay(after.source, after.target, next, mergeOptions(context, step, true), context.today).operations.filter((operation) => !seen.has(operationKey(operation)));
      return [...still, ...later];
    },
    remainingSummary: (count) => t('run:verify.stillNeeds', { count }),
    previousBase(base) {
      if (resync) return null;
      const lookup = base.whole();
      return lookup.kind === 'found' ? lookup.base : null;
    },
  };
}
