import type { LastGoodRun } from '../plan/guards.js';
import type { Operation } from '../plan/operation.js';
import { logConflicts } from './guard-lines.js';
import { mergeBaseOf, mergePlan, primaryGuards, writingTo } from './round-trip-base.js';
import type { Strategy } from './step.js';
import { t } from '../i18n/i18n.js';

/**
 * The round trip's first half, for one backup: merge it with the primary
 * against the pair's base and write to the primary what the backup did since
 * (its sales, blocks, edits and, with --delete, deletions). The backup is not
 * written: the spreading step that follows brings it in step. Verified by
 * listing the primary again: the same merge must then want nothing more of it.
 */
export function gatherStrategy(resync: boolean, lastGood: LastGoodRun | null): Strategy {
  const label: Strategy['label'] = (step) => `${step.target.account.name} → ${step.source.account.name}`;
  return {
    mode: 'two-way',
    sides: 'target',
    writes: 'source',
    recordsBase: false,
    label,
    prepare: (step, base) => mergeBaseOf(step, base, resync)?.used ?? null,
    plan(context, step, sides, base) {
      const planned = mergePlan(context, step, sides, mergeBaseOf(step, base, resync)?.base ?? null);
      logConflicts(context.log, label(step), planned.conflicts);
      return { ...writingTo(planned, step.source.account.name), drift: [] };
    },
    planSummary: (plan) =>
      t('run:plan.onPrimary', {
        operations: t('run:plan.operations', { count: plan.operations.length }),
        conflicts: t('run:plan.conflicts', { count: plan.conflicts.length }),
      }),
    guards(context, step, sides, _plan, base) {
      const merged = mergeBaseOf(step, base, resync);
      return { forcible: primaryGuards(context, step, sides, merged?.base ?? null, merged?.used.recordedAt ?? null, lastGood), always: [] };
    },
    remaining(context, step, after, _plan, base): readonly Operation[] {
      const merged = mergeBaseOf(step, base, resync);
      return writingTo(mergePlan(context, step, after, merged?.base ?? null), step.source.account.name).operations;
    },
    remainingSummary: (count) => t('run:verify.primaryStillNeeds', { count }),
    previousBase: () => null,
  };
}
