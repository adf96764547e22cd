import type { CalendarDate } from '../../../src/domain/calendar-date.js';
import { licenseDecision } from '../../../src/domain/decision.js';
import type { Operation } from '../../../src/plan/operation.js';
import { LICENSE_CONTENT_FIELDS, type LicenseRecord, type Snapshot } from '../../../src/snapshot/records.js';
import { applyPlan } from './backup-model.js';

/** The primary and one peer, as their listings would read. */
export interface ServerPair {
  readonly primary: Snapshot;
  readonly peer: Snapshot;
}

/**
 * A model of both servers of a two-way run: each operation is applied, in plan
 * order, to the server it names, exactly as the contract says that server would
 * (see backup-model.ts); an operation naming any other server is a bug.
 */
export function applyTwoWay(pair: ServerPair, operations: readonly Operation[], peerName: string, today: CalendarDate): ServerPair {
  const stray = operations.find((operation) => operation.server !== 'primary' && operation.server !== peerName);
  if (stray !== undefined) throw new Error(`operation for an unknown server ${stray.server}: ${JSON.stringify(stray)}`);
  return {
    primary: applyPlan(pair.primary, operations.filter((operation) => operation.server === 'primary'), today),
    peer: applyPlan(pair.peer, operations.filter((operation) => operation.server === peerName), today),
  };
}

export function allows(license: LicenseRecord, today: CalendarDate): boolean {
  return licenseDecision(license, today) === 'allow';
}

export function isHeld(license: LicenseRecord): boolean {
  return license.status !== 'active';
}

/**
 * How the two sides fail to agree on one license, in words (empty: converged):
 * present on both or on neither (or, the primary having deleted it, denied
 * where it is left); the same allow/deny answer; the same owner; the same
 * content while allowed.
 */
export function divergences(pair: ServerPair, deviceId: string, today: CalendarDate): string[] {
  const primary = pair.primary.licenses.get(deviceId);
  const peer = pair.peer.licenses.get(deviceId);
  if (primary === undefined && peer === undefined) return [];
  if (primary === undefined && peer !== undefined && !allows(peer, today)) return [];
  if (primary === undefined || peer === undefined) return [`${deviceId}: only on ${primary === undefined ? 'the peer' : 'the primary'}`];
  const problems: string[] = [];
  const [onPrimary, onPeer] = [licenseDecision(primary, today), licenseDecision(peer, today)];
  if ((onPrimary === 'allow') !== (onPeer === 'allow')) problems.push(`${deviceId}: ${onPrimary} on the primary, ${onPeer} on the peer`);
  if (primary.created_by !== peer.created_by) problems.push(`${deviceId}: owner ${primary.created_by} on the primary, ${peer.created_by} on the peer`);
  if (onPrimary === 'allow' && onPeer === 'allow') {
    for (const field of LICENSE_CONTENT_FIELDS) {
      if (primary[field] !== peer[field]) problems.push(`${deviceId}: ${field} ${String(primary[field])} on the primary, ${String(peer[field])} on the peer`);
    }
  }
  return problems;
}
