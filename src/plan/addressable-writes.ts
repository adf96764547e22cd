import { unaddressableReason } from '../domain/addressable-key.js';
import type { CalendarDate } from '../domain/calendar-date.js';
import { licenseDecision } from '../domain/decision.js';
import type { LicenseRecord } from '../snapshot/records.js';
import type { Operation, OperationDraft } from './operation.js';
import type { PathCall, SkippedItem } from './plan-types.js';
import type { Sides } from './reasons.js';

// A license whose device_id no URL path reaches (src/domain/addressable-key.ts)
// can be upserted (its key travels in the body) but never blocked, activated
// or deleted on that server. So it is never created: the sync would have made
// a license it could not close. One that is already there and lets a client in
// while the wanted record denies is an over-grant only a person can remove.

/** The call a write needs that names the license in its path; null for those that carry the key in the body. */
function pathCallOf(draft: OperationDraft | Operation): PathCall | null {
  switch (draft.kind) {
    case 'create-license':
      // Created, it could never be blocked or deleted there.
      return 'create';
    case 'block':
    case 'activate':
      return draft.kind;
    case 'delete-license':
      return 'delete';
    default:
      return null;
  }
}

/**
 * Null when `draft` can be sent; otherwise the skipped item that stands in its
 * place: the license's device_id cannot be sent in a URL path and the write
 * needs one (or would create a license that later would). `current` is the
 * target's record (undefined: missing); a block that cannot be sent to a
 * target that allows is an `over-grant` that needs a person.
 * Every planner calls this on each license write it plans (one-way: plan.ts).
 */
export function unaddressableSkip(
  draft: OperationDraft | Operation,
  current: LicenseRecord | undefined,
  wanted: LicenseRecord | undefined,
  today: CalendarDate,
  sides: Sides,
): SkippedItem | null {
  if (draft.kind === 'create-user') return null;
  const deviceId = draft.kind === 'create-license' || draft.kind === 'update-license' ? draft.body.device_id : draft.deviceId;
  const why = unaddressableReason(deviceId);
  const call = pathCallOf(draft);
  if (why === null || call === null) return null;
  const source = wanted === undefined ? null : licenseDecision(wanted, today);
  if (call === 'block' && current !== undefined && licenseDecision(current, today) === 'allow' && source !== null) {
    return { kind: 'license', key: deviceId, reason: 'over-grant', why, sides, source };
  }
  return { kind: 'license', key: deviceId, reason: 'not-addressable', why, call, sides, source };
}
