import { unaddressableReason } from '../../domain/addressable-key.js';
import type { CalendarDate } from '../../domain/calendar-date.js';
import type { LicenseRecord, Snapshot } from '../../snapshot/records.js';
import type { Operation } from '../operation.js';
import { keylessRecords } from '../plan.js';
import type { ConflictItem, DriftItem, Plan, SkippedItem } from '../plan-types.js';
import { addressableOnly } from './addressable-key-plan.js';
import { mergeLicense, type KeyOutcome, type KeyPlan, type MergeContext, type SideDraft } from './merge-license.js';
import type { PairBase } from './pair-base.js';
import { resyncChange, sideChange } from './side-changes.js';
import { otherSide, SIDES, sideName, type BySide, type Side } from './sides.js';
import { twoWaySides, type RestoreWhy } from '../reasons.js';
import { planTwoWayUsers } from './two-way-users.js';

export interface TwoWayOptions {
  /** The peer's server name (ops on it get this `server`; the facts of reasons name it). */
  readonly peer: string;
  readonly conflict: 'primary' | 'peer' | 'none';
  /** See {@link MergeContext.settledFor}. */
  readonly settledFor?: 'primary';
  readonly newUsers: 'create' | 'skip';
  /** --delete: deletions since the base may propagate (within maxDelete). */
  readonly delete: boolean;
  readonly maxDelete: number;
  /** device_ids to leave entirely alone (used by verification for conflicts left by --conflict none). */
  readonly leaveAlone?: ReadonlySet<string>;
  /**
   * The peer lost more than this fraction of its base's licenses: it was reset,
   * and what it lacks is restored rather than deleted elsewhere. Default 1 (never).
   */
  readonly maxPeerShrink?: number;
}

/**
 * The writes that reconcile the primary and one peer, each side's changes since
 * the base (the listings after the last successful run of the pair) carried to
 * the other. Pure. `base === null` (a first run, or --resync): the primary's
 * version wins, and a license only the peer lists is denied there.
 */
export function planTwoWay(primary: Snapshot, peer: Snapshot, base: PairBase | null, options: TwoWayOptions, today: CalendarDate): Plan {
  const out = new TwoWayPlanBuilder(options.peer);
  const snapshots: BySide<Snapshot> = { primary, peer };
  const users = planTwoWayUsers(snapshots, options.newUsers, options.peer);
  out.addWrites(users.writes);
  out.skipped.push(...users.skipped);
  out.drift.push(...users.drift);
  planTwoWayLicenses(snapshots, base, options, today, out);
  return { operations: out.operations, skipped: out.skipped, drift: out.drift, conflicts: out.conflicts };
}

class TwoWayPlanBuilder {
  readonly operations: Operation[] = [];
  readonly skipped: SkippedItem[] = [];
  readonly drift: DriftItem[] = [];
  readonly conflicts: ConflictItem[] = [];

  constructor(private readonly peer: string) {}

  addWrites(writes: readonly SideDraft[]): void {
    for (const { side, draft } of writes) this.operations.push({ ...draft, server: sideName(side, this.peer) } as Operation);
  }

  addKeyPlan(plan: KeyPlan): void {
    this.addWrites(plan.writes);
    this.drift.push(...plan.drift);
    if (plan.conflict !== null) this.conflicts.push(plan.conflict);
  }
}

function planTwoWayLicenses(snapshots: BySide<Snapshot>, base: PairBase | null, options: TwoWayOptions, today: CalendarDate, out: TwoWayPlanBuilder): void {
  const leaveAlone = options.leaveAlone ?? new Set<string>();
  const unreadable = new Set<string>();
  for (const side of SIDES) {
    for (const record of snapshots[side].rejected) {
      if (record.kind === 'license' && record.key !== null && !leaveAlone.has(record.key)) unreadable.add(record.key);
    }
  }
  for (const key of unreadable) {
    out.skipped.push({ kind: 'license', key, reason: 'unreadable', bothSides: true });
  }
  // A side with records that have no readable device_id may hold any license it seems to lack.
  const keyless: BySide<number> = { primary: keylessRecords(snapshots.primary, 'license'), peer: keylessRecords(snapshots.peer, 'license') };
  const context: MergeContext = { today, peer: options.peer, conflict: options.conflict, ...(options.settledFor ? { settledFor: options.settledFor } : {}), resync: base === null, peerReset: peerWasReset(snapshots.peer, base, options) };
  const pending = base?.pendingPeerDeletions ?? new Set<string>();
  const nowOf = (deviceId: string): BySide<LicenseRecord | undefined> => ({ primary: snapshots.primary.licenses.get(deviceId), peer: snapshots.peer.licenses.get(deviceId) });

  const outcomes: { readonly deviceId: string; readonly outcome: KeyOutcome }[] = [];
  for (const deviceId of licenseKeys(snapshots, base)) {
    if (leaveAlone.has(deviceId) || unreadable.has(deviceId)) continue;
    const now = nowOf(deviceId);
    const change =
      base === null
        ? { primary: resyncChange(now.primary), peer: resyncChange(now.peer) }
        : { primary: sideChange(now.primary, base.primary.licenses.get(deviceId)), peer: sideChange(now.peer, base.peer.licenses.get(deviceId)) };
    const hidden = SIDES.find((side) => keyless[side] > 0 && change[side].kind === 'deleted');
    if (hidden !== undefined) {
      out.skipped.push({ kind: 'license', key: deviceId, reason: 'deletions-suspended', keyless: keyless[hidden], goneFrom: name(hidden, options) });
      continue;
    }
    outcomes.push({ deviceId, outcome: mergeLicense({ deviceId, now, change, pendingPeerDeletion: pending.has(deviceId) }, context) });
  }

  // A deletion no URL path can carry is never sent (addressableOnly): it takes no place within --max-delete.
  const deletions = outcomes.filter(({ deviceId, outcome }) => outcome.kind === 'deletion' && unaddressableReason(deviceId) === null).length;
  const propagate = options.delete && deletions <= options.maxDelete;
  const why: RestoreWhy = !options.delete ? { code: 'no-delete' } : { code: 'over-max-delete', deletions, maxDelete: options.maxDelete };
  for (const { deviceId, outcome } of outcomes) {
    const plan = outcome.kind === 'plan' ? outcome.plan : propagate ? outcome.propagate : outcome.restore(why);
    const creation = plan.writes.find(({ side, draft }) => draft.kind === 'create-license' && keyless[side] > 0);
    if (creation !== undefined) {
      out.skipped.push({
        kind: 'license',
        key: deviceId,
        reason: 'creations-suspended',
        keyless: keyless[creation.side],
        sides: twoWaySides(name(otherSide(creation.side), options), name(creation.side, options)),
      });
      continue;
    }
    const addressable = addressableOnly(plan, nowOf(deviceId), today, options.peer);
    out.addKeyPlan(addressable.plan);
    out.skipped.push(...addressable.skipped);
    if (plan.pending !== null) {
      const heldOn = plan.pending.deletedOn === 'primary' ? options.peer : null;
      out.skipped.push({ kind: 'license', key: deviceId, reason: 'deletion-pending', deletedOn: plan.pending.deletedOn, heldOn, why: plan.pending.why });
    }
  }
}

function peerWasReset(peer: Snapshot, base: PairBase | null, options: TwoWayOptions): boolean {
  const before = base?.peer.licenses.size ?? 0;
  if (base === null || before === 0 || peer.licenses.size >= before) return false;
  return (before - peer.licenses.size) / before > (options.maxPeerShrink ?? 1);
}

function name(side: Side, options: TwoWayOptions): string {
  return sideName(side, options.peer);
}

/** Every device_id on either side now or in either side's base, in a stable order. */
function licenseKeys(snapshots: BySide<Snapshot>, base: PairBase | null): Set<string> {
  const keys = new Set<string>(snapshots.primary.licenses.keys());
  for (const key of snapshots.peer.licenses.keys()) keys.add(key);
  if (base !== null) {
    for (const key of base.primary.licenses.keys()) keys.add(key);
    for (const key of base.peer.licenses.keys()) keys.add(key);
  }
  return keys;
}
