import type { Snapshot, UserRecord } from '../../snapshot/records.js';
import { userKey } from '../operation.js';
import { keylessRecords } from '../plan.js';
import type { DriftItem, SkippedItem } from '../plan-types.js';
import { twoWaySides } from '../reasons.js';
import type { SideDraft } from './merge-license.js';
import { otherSide, sideName, type BySide, type Side } from './sides.js';

export interface UserPlan {
  readonly writes: SideDraft[];
  readonly skipped: SkippedItem[];
  readonly drift: DriftItem[];
}

/**
 * Users need no base: the API can only create them, so each side gets the users
 * it lacks (the union); email or role differences are drift, and nothing is ever
 * changed or removed. A username unreadable on either side is left alone.
 */
export function planTwoWayUsers(snapshots: BySide<Snapshot>, newUsers: 'create' | 'skip', peer: string): UserPlan {
  const out: UserPlan = { writes: [], skipped: [], drift: [] };
  const unreadable = new Set<string>();
  for (const snapshot of [snapshots.primary, snapshots.peer]) {
    for (const record of snapshot.rejected) if (record.kind === 'user' && record.key !== null) unreadable.add(record.key);
  }
  for (const key of unreadable) {
    out.skipped.push({ kind: 'user', key, reason: 'unreadable', bothSides: true });
  }
  // A side with a user record whose username is unreadable may hold any user "missing" there.
  const keylessOn: BySide<number> = { primary: keylessRecords(snapshots.primary, 'user'), peer: keylessRecords(snapshots.peer, 'user') };
  for (const user of snapshots.primary.users.values()) {
    if (unreadable.has(user.username)) continue;
    const other = snapshots.peer.users.get(user.username);
    if (other === undefined) planMissingUser(user, 'primary', newUsers, peer, keylessOn.peer, out);
    else compareUsers(user, other, peer, out);
  }
  for (const user of snapshots.peer.users.values()) {
    if (unreadable.has(user.username) || snapshots.primary.users.has(user.username)) continue;
    planMissingUser(user, 'peer', newUsers, peer, keylessOn.primary, out);
  }
  return out;
}

function planMissingUser(user: UserRecord, on: Side, newUsers: 'create' | 'skip', peer: string, keylessOnTarget: number, out: UserPlan): void {
  const sides = twoWaySides(sideName(on, peer), sideName(otherSide(on), peer));
  if (keylessOnTarget > 0) {
    out.skipped.push({ kind: 'user', key: user.username, reason: 'creations-suspended', keyless: keylessOnTarget, sides });
    return;
  }
  if (newUsers === 'skip') {
    out.skipped.push({ kind: 'user', key: user.username, reason: 'new-users-skip', sides });
    return;
  }
  out.writes.push({
    side: otherSide(on),
    draft: { kind: 'create-user', key: userKey(user.username), reason: { code: 'user-created-on-source', sides }, username: user.username, email: user.email, role: user.role },
  });
}

/** Drift between the sides' copies of a user: the facts name the primary first (as `target`), then the peer (as `source`). */
function compareUsers(primary: UserRecord, peer: UserRecord, peerName: string, out: UserPlan): void {
  const sides = twoWaySides(peerName, 'primary');
  if (primary.email !== peer.email) {
    out.drift.push({ kind: 'user-email', key: primary.username, sides, source: peer.email, target: primary.email });
  }
  if (primary.role !== peer.role) {
    out.drift.push({ kind: 'user-role', key: primary.username, sides, source: peer.role, target: primary.role });
  }
}
