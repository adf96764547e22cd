import type { CalendarDate } from '../../domain/calendar-date.js';
import { isExpired, licenseDecision } from '../../domain/decision.js';
import type { LicenseRecord } from '../../snapshot/records.js';
import { contentDifferences } from '../license-comparison.js';
import { licenseKey, type OperationDraft } from '../operation.js';
import { runsLonger, upsertBody } from '../plan.js';
import { merged, twoWaySides, type CauseClause } from '../reasons.js';

/**
 * The writes on the peer that keep it from answering a client otherwise than the
 * primary when the merge wrote nothing that aligns them: dates only move by
 * expiry, so a license neither side changed can still come to be denied on one
 * side only. The primary's answer stands and the primary is never written:
 * - the primary denies (blocked, expired, pending) and the peer allows: block the peer;
 * - the primary allows and the peer is open but expired, their content equal:
 *   re-date the peer (an upsert of that content, keeping the peer's owner).
 * `context` says why the merge itself left the license as it is.
 */
export function safetyNet(primary: LicenseRecord, peer: LicenseRecord, today: CalendarDate, peerName: string, context: readonly CauseClause[]): OperationDraft[] {
  const key = licenseKey(primary.device_id);
  const onPrimary = licenseDecision(primary, today);
  const onPeer = licenseDecision(peer, today);
  if (onPrimary !== 'allow' && onPeer === 'allow') {
    return [
      {
        kind: 'block',
        key,
        deviceId: primary.device_id,
        reason: merged(context, { code: 'primary-denies-peer-allows', primary: onPrimary, primaryEnd: primary.end_date, peer: peerName }),
      },
    ];
  }
  if (onPrimary === 'allow' && peer.status === 'active' && isExpired(peer, today) && contentDifferences(primary, peer).length === 0) {
    return [
      {
        kind: 'update-license',
        key,
        body: { ...upsertBody(primary), created_by: peer.created_by },
        reason: merged(context, { code: 'expired-on-target', sides: twoWaySides('primary', peerName), targetEnd: peer.end_date, runs: runsLonger(primary, today) }),
      },
    ];
  }
  return [];
}
