import type { CalendarDate } from '../../domain/calendar-date.js';
import type { LicenseStatus } from '../../domain/decision.js';
import type { LicenseType } from '../../domain/license-type.js';
import type { LicenseRecord, Snapshot } from '../../snapshot/records.js';
import type { Plan, SkipReason } from '../plan-types.js';

// The base of a two-way merge: each side's licenses as they were after the last
// successful run of the pair. A side changed a license when its record now
// differs from its own base record (rclone bisync keeps such a listing too).

/** What a base remembers of one license on one side: the fields a write can set, plus the dates (to see renewals). */
export interface BaseLicense {
  readonly owner_name: string | null;
  readonly cpf: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly license_type: LicenseType;
  readonly created_by: string;
  readonly status: LicenseStatus;
  readonly start_date: CalendarDate | null;
  readonly end_date: CalendarDate | null;
}

export interface SideBase {
  readonly licenses: ReadonlyMap<string, BaseLicense>;
}

/** Each side's licenses as they were after the last successful run of the pair. */
export interface PairBase {
  readonly primary: SideBase;
  readonly peer: SideBase;
  /**
   * Licenses the peer deleted that a run restored (no --delete, or over
   * --max-delete): a later run with --delete still carries the deletion out.
   * (A deletion by the primary needs no such list: the base's primary side lacks the license.)
   */
  readonly pendingPeerDeletions?: ReadonlySet<string>;
}

export function baseLicenseOf(record: LicenseRecord): BaseLicense {
  return {
    owner_name: record.owner_name,
    cpf: record.cpf,
    email: record.email,
    address: record.address,
    license_type: record.license_type,
    created_by: record.created_by,
    status: record.status,
    start_date: record.start_date,
    end_date: record.end_date,
  };
}

/** Rejected (unreadable) records are left out. */
export function baseFromSnapshots(primary: Snapshot, peer: Snapshot, pendingPeerDeletions: ReadonlySet<string> = new Set()): PairBase {
  return { primary: sideBaseOf(primary), peer: sideBaseOf(peer), pendingPeerDeletions };
}

function sideBaseOf(snapshot: Snapshot): SideBase {
  const unreadable = new Set(snapshot.rejected.filter((record) => record.kind === 'license').map((record) => record.key));
  const licenses = new Map<string, BaseLicense>();
  for (const [deviceId, record] of snapshot.licenses) {
    if (!unreadable.has(deviceId)) licenses.set(deviceId, baseLicenseOf(record));
  }
  return { licenses };
}

/**
 * The base to record after a run: `next` (from the listings after it), except
 * that each of `keys` keeps, on both sides, the entry it had in `previous` (or
 * none, when `previous` is null or lacked it). A key the run left alone must
 * keep its old base: otherwise the next run reads what was not reconciled (a
 * record unreadable for one run, a creation or deletion suspended) as a change
 * made since, and may overwrite the other side's newer edit with it.
 */
export function carryBaseEntries(next: PairBase, previous: PairBase | null, keys: Iterable<string>): PairBase {
  const primary = new Map(next.primary.licenses);
  const peer = new Map(next.peer.licenses);
  // A deletion pending before stays pending for a key the run left alone (its plan could not say so).
  const pending = new Set(next.pendingPeerDeletions ?? []);
  for (const key of keys) {
    carryEntry(primary, previous?.primary.licenses.get(key), key);
    carryEntry(peer, previous?.peer.licenses.get(key), key);
    if (previous?.pendingPeerDeletions?.has(key) === true) pending.add(key);
    else pending.delete(key);
  }
  return { primary: { licenses: primary }, peer: { licenses: peer }, ...(next.pendingPeerDeletions || pending.size > 0 ? { pendingPeerDeletions: pending } : {}) };
}

function carryEntry(licenses: Map<string, BaseLicense>, previous: BaseLicense | undefined, key: string): void {
  if (previous === undefined) licenses.delete(key);
  else licenses.set(key, previous);
}

const NOT_RECONCILED: readonly SkipReason[] = ['unreadable', 'creations-suspended', 'deletions-suspended', 'not-addressable', 'over-grant'];

/**
 * The device_ids a two-way plan left out, whose base entries the next base must
 * carry over ({@link carryBaseEntries}): licenses skipped as unreadable or with
 * creations or deletions suspended. The plan writes nothing for them, so their
 * old base still tells what each side changed. Also the licenses with a write
 * no URL path can carry (not-addressable, over-grant): recorded as listed, a
 * creation on one side the other could not receive would read next time as a
 * deletion on the other; carried, it stays the same change, skipped the same
 * way. Their writes that did go (an upsert) made both sides equal, which a
 * three-way merge reads as the same change on both: no conflict. (Conflicts
 * are not among them: a run may write them, a block for instance, and a
 * carried base would then read that write as a change made on that side.)
 */
export function keysNotReconciled(plan: Plan): Set<string> {
  const keys = new Set<string>();
  for (const item of plan.skipped) if (item.kind === 'license' && NOT_RECONCILED.includes(item.reason)) keys.add(item.key);
  return keys;
}

/**
 * The base a successful step records after `plan`: both sides as listed, the
 * peer's deletions still pending (the plan's and `alsoPending`), and for the
 * keys the plan could not reconcile their entries in the base it replaces
 * (`previous`, asked for only then: a base is large).
 */
export function nextBase(primary: Snapshot, peer: Snapshot, plan: Plan, peerName: string, previous: () => PairBase | null, alsoPending: Iterable<string> = []): PairBase {
  const fresh = baseFromSnapshots(primary, peer, new Set([...pendingPeerDeletionsOf(plan, peerName), ...alsoPending]));
  const carried = keysNotReconciled(plan);
  return carried.size === 0 ? fresh : carryBaseEntries(fresh, previous(), carried);
}

/** The peer's deletions a plan restored and left pending (recorded with the next base). */
export function pendingPeerDeletionsOf(plan: Plan, peer: string): Set<string> {
  const keys = new Set<string>();
  for (const item of plan.skipped) if (item.kind === 'license' && item.reason === 'deletion-pending' && item.deletedOn === peer) keys.add(item.key);
  return keys;
}
