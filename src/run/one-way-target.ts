import { backupWorkGuard, deletionLimitGuard, lastGoodRunGuard, shrunkenPrimaryGuard, type GuardRefusal, type LastGoodRun } from '../plan/guards.js';
import type { PairKey } from '../state/pair-base-store.js';
import { backupWorkSinceBase } from '../plan/backup-work.js';
import { plan as makePlan } from '../plan/plan.js';
import type { Operation } from '../plan/operation.js';
import type { Plan, PlanOptions } from '../plan/plan-types.js';
import { baseFromSnapshots, carryBaseEntries, keysNotReconciled } from '../plan/two-way/pair-base.js';
import type { Snapshot } from '../snapshot/records.js';
import { recordBase } from './record-base.js';
import { readListing } from './server-steps.js';
import { RunStop } from './run-stop.js';
import { toFailure } from './failure.js';
import { applyIntoDraft, emptyDraft, type RunContext, type TargetDraft } from './run-context.js';
import { readSnapshot } from './read-snapshot.js';
import type { ServerSession } from './servers.js';

export type OneWayTarget = ServerSession;

/**
 * The primary into one backup: read the backup, plan, check the guards, apply,
 * re-read and plan again to verify, and keep the pair's state as its base.
 * Throws nothing: a stop becomes the target's outcome.
 */
export async function syncBackup(context: RunContext, primary: Snapshot, target: OneWayTarget, lastGood: LastGoodRun | null): Promise<TargetDraft> {
  const draft = emptyDraft();
  try {
    draft.outcome = await steps(context, primary, target, lastGood, draft);
  } catch (error) {
    if (!(error instanceof RunStop)) throw error;
    draft.outcome = error.outcome;
    draft.guards.push(...error.guards);
    draft.failures.push(...error.failures);
    for (const guard of error.guards) context.log.error(`${target.account.name}: refused (${guard.guard}): ${guard.message}`);
  }
  return draft;
}

async function steps(context: RunContext, primary: Snapshot, target: OneWayTarget, lastGood: LastGoodRun | null, draft: TargetDraft): Promise<TargetDraft['outcome']> {
  const { config, log, signal } = context;
  const { server: client, account } = target;
  const backup = await readListing(client, log, signal);
  context.listed.set(account.name, { users: backup.users.size, licenses: backup.licenses.size, rejected: backup.rejected });

  const options: PlanOptions = { newUsers: config.newUsers, deleteBackupOnly: config.delete, target: account.name };
  const planned = makePlan(primary, backup, options, context.today);
  draft.plan = planned;
  const primaryCounts = { users: primary.users.size, licenses: primary.licenses.size };
  const pair = { primaryUrl: config.primary.url, peerUrl: account.url };
  const workRefusals = backupWorkRefusals(context, pair, { primary, backup, planned }, account.name);
  const forcibleRefusals = [
    ...workRefusals,
    ...shrunkenPrimaryGuard(primaryCounts, [{ what: account.name === 'backup' ? 'the backup' : account.name, counts: { users: backup.users.size, licenses: backup.licenses.size } }], config.minPrimaryRatio),
    ...lastGoodRunGuard(primaryCounts, lastGood, config.maxShrink),
  ];
  if (context.force) {
    for (const refusal of forcibleRefusals) log.warn(`${account.name}: --force: going on although ${refusal.message}`);
    draft.forcedGuards.push(...forcibleRefusals);
  }
  const refusals = [...(context.force ? [] : forcibleRefusals), ...(config.delete ? deletionLimitGuard(planned, config.maxDelete) : [])];
  if (refusals.length > 0) throw new RunStop('refused', [], refusals);
  log.info(`${account.name}: plan: ${planned.operations.length} operations`);
  if (context.command === 'plan') return planned.operations.length === 0 ? 'in-sync' : 'changes-pending';

  // Keys this run could not reconcile (unreadable, suspended) keep their old base entries.
  const nextBase = (backupNow: Snapshot) => () => {
    const next = baseFromSnapshots(primary, backupNow);
    const carried = keysNotReconciled(planned);
    if (carried.size === 0) return next;
    const whole = context.bases?.load(pair);
    return carryBaseEntries(next, whole?.kind === 'found' ? whole.base : null, carried);
  };
  if (planned.operations.length === 0) {
    draft.verified = { inSync: true, relisted: false, remaining: [] };
    recordBase(context, pair, nextBase(backup), 'one-way', draft);
    return 'in-sync';
  }
  if (!(await applyIntoDraft(context, planned.operations, [client], draft, account.name))) return 'interrupted';

  let relisted: Snapshot;
  try {
    relisted = await readSnapshot(client);
  } catch (error) {
    if (signal?.aborted === true) return 'interrupted';
    draft.failures.push(toFailure(error, { server: account.name }));
    draft.verified = { inSync: false, relisted: false, remaining: [] };
    return 'failed';
  }
  const remaining = makePlan(primary, relisted, options, context.today).operations;
  if (remaining.length > 0) log.warn(`${account.name}: verification: still needs ${remaining.length} operations`);
  draft.verified = { inSync: remaining.length === 0, relisted: true, remaining };
  if (draft.failures.length > 0 || remaining.length > 0) return 'failed';
  recordBase(context, pair, nextBase(relisted), 'one-way', draft);
  return 'in-sync';
}

function licenseWrittenBy(operation: Operation): string[] {
  if (operation.kind === 'create-user') return [];
  return [operation.kind === 'create-license' || operation.kind === 'update-license' ? operation.body.device_id : operation.deviceId];
}

/** Work done on the backup since the pair's base, which this one-way run would undo (the base is not kept: it is large). */
function backupWorkRefusals(context: RunContext, pair: PairKey, run: { primary: Snapshot; backup: Snapshot; planned: Plan }, name: string): GuardRefusal[] {
  const written = new Set(run.planned.operations.flatMap(licenseWrittenBy));
  if (written.size === 0) return [];
  // The backup's side is enough to see work done there.
  const previous = context.bases?.loadPeerSide(pair);
  if (previous?.kind !== 'found') return [];
  return backupWorkGuard(name, backupWorkSinceBase(run.primary, run.backup, previous.base.peer, written), previous.meta.recordedAt);
}
