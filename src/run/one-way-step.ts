import { backupWorkSinceBase } from '../plan/backup-work.js';
import { backupWorkGuard, deletionLimitGuard, lastGoodRunGuard, shrunkenPrimaryGuard, type GuardRefusal, type LastGoodRun } from '../plan/guards.js';
import type { Operation } from '../plan/operation.js';
import { plan as planOneWay } from '../plan/plan.js';
import type { Plan, PlanOptions } from '../plan/plan-types.js';
import type { PairBaseAccess } from './pair-bases.js';
import type { RunContext } from './run-context.js';
import { countsOf, type Sides, type Step, type Strategy } from './step.js';
import { t } from '../i18n/i18n.js';

/**
 * The primary into one backup: plan from the primary's listing (read once for
 * every backup of the stage), refuse what looks like a partial primary, a
 * primary shrunk since the last good run, too many deletions, or undoing work
 * done on the backup since the pair's base; verify by listing the backup again.
 */
export function oneWayStrategy(lastGood: LastGoodRun | null): Strategy {
  return {
    mode: 'one-way',
    sides: 'target',
    writes: 'target',
    recordsBase: true,
    label: (step) => step.target.account.name,
    prepare: () => null,
    plan: (context, step, sides) => planOneWay(sides.source, sides.target, optionsOf(context, step), context.today),
    planSummary: (plan) => t('run:plan.operations', { count: plan.operations.length }),
    guards(context, step, sides, plan, base) {
      const { config } = context;
      const name = step.target.account.name;
      const primary = countsOf(sides.source);
      return {
        forcible: [
          ...backupWorkRefusals(base, sides, plan, name),
          ...shrunkenPrimaryGuard(primary, [{ reference: { kind: 'server', server: name }, counts: countsOf(sides.target) }], config.minPrimaryRatio),
          ...lastGoodRunGuard(primary, lastGood, config.maxShrink),
        ],
        always: config.delete ? deletionLimitGuard(plan, config.maxDelete) : [],
      };
    },
    remaining: (context, step, after) => planOneWay(after.source, after.target, optionsOf(context, step), context.today).operations,
    remainingSummary: (count) => t('run:verify.stillNeeds', { count }),
    previousBase(base) {
      const whole = base.whole();
      return whole.kind === 'found' ? whole.base : null;
    },
  };
}

function optionsOf(context: RunContext, step: Step): PlanOptions {
  return { newUsers: context.config.newUsers, deleteBackupOnly: context.config.delete, target: step.target.account.name };
}

function licenseWrittenBy(operation: Operation): string[] {
  if (operation.kind === 'create-user') return [];
  return [operation.kind === 'create-license' || operation.kind === 'update-license' ? operation.body.device_id : operation.deviceId];
}

/**
 * Work done on the backup since the pair's base, which this strict run would
 * undo or leave stranded there (a sale only the backup has never reaches the
 * primary). Only the base's backup side is loaded (a base is large), and only
 * when the backup has a license the primary lacks or the plan writes one.
 */
function backupWorkRefusals(base: PairBaseAccess, sides: Sides, plan: Plan, name: string): GuardRefusal[] {
  const written = new Set(plan.operations.flatMap(licenseWrittenBy));
  const backupOnly = [...sides.target.licenses.keys()].some((deviceId) => !sides.source.licenses.has(deviceId));
  if (written.size === 0 && !backupOnly) return [];
  const previous = base.peerSide();
  if (previous.kind !== 'found') return [];
  return backupWorkGuard(name, backupWorkSinceBase(sides.source, sides.target, previous.base.peer, written), previous.meta.recordedAt);
}
