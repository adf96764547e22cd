import { LICENSE_CONTENT_FIELDS, type LicenseRecord, type Snapshot } from '../snapshot/records.js';
import type { BaseLicense, SideBase } from './two-way/pair-base.js';

/**
 * Licenses someone created or changed on the backup since the pair's base (as
 * resellers do on a backup while the primary is down) that the primary does
 * not hold the same way: a one-way sync would undo that work. A backup that
 * lost licenses is not counted (restoring them is what a one-way sync is for),
 * nor a change the primary already has (replicated, or made on both).
 * Pure; device_ids sorted.
 */
export function backupWorkSinceBase(primary: Snapshot, backup: Snapshot, base: SideBase): string[] {
  const work: string[] = [];
  for (const [deviceId, now] of backup.licenses) {
    const before = base.licenses.get(deviceId);
    if (before !== undefined && sameTracked(now, before)) continue;
    const onPrimary = primary.licenses.get(deviceId);
    if (onPrimary !== undefined && sameTracked(now, onPrimary)) continue;
    work.push(deviceId);
  }
  return work.sort();
}

function sameTracked(license: LicenseRecord, other: LicenseRecord | BaseLicense): boolean {
  return (
    LICENSE_CONTENT_FIELDS.every((field) => license[field] === other[field]) &&
    license.created_by === other.created_by &&
    license.status === other.status &&
    license.start_date === other.start_date &&
    license.end_date === other.end_date
  );
}
