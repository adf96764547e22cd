import type { CalendarDate } from '../../domain/calendar-date.js';
import { isExpired, licenseDecision } from '../../domain/decision.js';
import type { LicenseRecord } from '../../snapshot/records.js';
import { contentDifferences } from '../license-comparison.js';
import { licenseKey, type OperationDraft } from '../operation.js';
import { denyReason, runsLonger, upsertBody } from '../plan.js';

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
export function safetyNet(primary: LicenseRecord, peer: LicenseRecord, today: CalendarDate, peerName: string, context: string): OperationDraft[] {
  const key = licenseKey(primary.device_id);
  const onPrimary = licenseDecision(primary, today);
  const onPeer = licenseDecision(peer, today);
  if (onPrimary !== 'allow' && onPeer === 'allow') {
    const ended = onPrimary === 'deny:expired' ? ` (it ended on ${primary.end_date})` : '';
    return [
      {
        kind: 'block',
        key,
        deviceId: primary.device_id,
        reason: `${context}; ${denyReason(onPrimary)} on primary${ended} but allowed on ${peerName}: blocked on ${peerName} so that it refuses it too`,
      },
    ];
  }
  if (onPrimary === 'allow' && peer.status === 'active' && isExpired(peer, today) && contentDifferences(primary, peer).length === 0) {
    return [
      {
        kind: 'update-license',
        key,
        body: { ...upsertBody(primary), created_by: peer.created_by },
        reason: `${context}; expired on ${peerName} (${peer.end_date}) but allowed by primary; re-dating it, ${peerName} now ${runsLonger(primary, today, { source: 'primary', target: peerName })}`,
      },
    ];
  }
  return [];
}
