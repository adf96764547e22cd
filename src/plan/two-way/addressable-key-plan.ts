import type { CalendarDate } from '../../domain/calendar-date.js';
import type { LicenseRecord } from '../../snapshot/records.js';
import { unaddressableSkip } from '../addressable-writes.js';
import type { SkippedItem } from '../plan-types.js';
import { twoWaySides } from '../reasons.js';
import type { KeyPlan, SideDraft } from './merge-license.js';
import { projectLicense } from './projection.js';
import { otherSide, sideName, type BySide, type Side } from './sides.js';

// The two-way merge goes through the same filter as the one-way plan
// (src/plan/addressable-writes.ts), on both servers: a license whose device_id
// no URL path reaches is never created on either, and a copy that allows
// while the merged answer denies, which no call can block, is an over-grant.

export interface AddressableKeyPlan {
  readonly plan: KeyPlan;
  readonly skipped: readonly SkippedItem[];
}

/**
 * `plan` without the writes no URL path can carry, and the skipped items that
 * stand in their place. What a write on one side is measured against is the
 * other side as the whole merge leaves it (the merged answer).
 */
export function addressableOnly(plan: KeyPlan, now: BySide<LicenseRecord | undefined>, today: CalendarDate, peer: string): AddressableKeyPlan {
  const writes: SideDraft[] = [];
  const skipped: SkippedItem[] = [];
  const merged = (side: Side) =>
    projectLicense(
      now[side],
      plan.writes.filter((write) => write.side === side).map((write) => write.draft),
      today,
    );
  for (const write of plan.writes) {
    const source = otherSide(write.side);
    const sides = twoWaySides(sideName(source, peer), sideName(write.side, peer));
    const skip = unaddressableSkip(write.draft, now[write.side], merged(source), today, sides);
    if (skip === null) writes.push(write);
    else skipped.push(skip);
  }
  return { plan: skipped.length === 0 ? plan : { ...plan, writes }, skipped };
}
