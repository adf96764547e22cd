import { LICENSE_CONTENT_FIELDS, type LicenseRecord, type Snapshot } from '../snapshot/records.js';
import type { BaseLicense, SideBase } from './two-way/pair-base.js';

/**
 * Licenses someone created or changed on the backup since the pair's base (as
 * resellers do on a backup while the primary is down) that a one-way run would
 * leave behind or undo: those only on the backup (the primary will never get
 * them), and those on both that this run writes over (`written`: the
 * device_ids its plan writes to). Not counted: what the backup lost (restoring
 * it is what a one-way sync is for); a license on both servers that the run
 * leaves alone (the primary holds it the same way, or a failed run's writes
 * already made it right); one on both that the base has no entry for (the run
 * that recorded the base could not read it: who changed it is unknown, and the
 * primary wins as in any one-way run). Pure; device_ids sorted.
 */
export function backupWorkSinceBase(primary: Snapshot, backup: Snapshot, base: SideBase, written: ReadonlySet<string>): string[] {
  const work: string[] = [];
  for (const [deviceId, now] of backup.licenses) {
    const before = base.licenses.get(deviceId);
    const unchanged = before !== undefined && sameTracked(now, before);
    const onPrimary = primary.licenses.get(deviceId);
    if (onPrimary === undefined) {
      if (!unchanged) work.push(deviceId);
      continue;
    }
    if (unchanged || before === undefined || !written.has(deviceId) || sameTracked(now, onPrimary)) continue;
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
