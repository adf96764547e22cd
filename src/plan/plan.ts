import { addMonths, type CalendarDate } from '../domain/calendar-date.js';
import { isExpired, licenseDecision, type Decision } from '../domain/decision.js';
import { LICENSE_PERIOD_MONTHS } from '../domain/license-type.js';
import type { LicenseRecord, Snapshot, UserRecord } from '../snapshot/records.js';
import { contentDifferences, datesDiffer, telemetryDiffers } from './license-comparison.js';
import { licenseKey, userKey, type Operation, type OperationDraft, type UpsertBody } from './operation.js';
import type { DriftItem, Plan, PlanOptions, SkippedItem } from './plan-types.js';

/**
 * The writes that make `backup` give every client the answer `primary` would,
 * following the replication rules of docs/replication-rules.md. Pure: the same
 * snapshots, options and day always give the same plan.
 */
export function plan(primary: Snapshot, backup: Snapshot, options: PlanOptions, today: CalendarDate): Plan {
  const builder = new PlanBuilder(options.target ?? 'backup');
  planUsers(primary, backup, options, builder);
  planLicenses(primary, backup, options, today, builder);
  return { operations: builder.operations, skipped: builder.skipped, drift: builder.drift, conflicts: [] };
}

class PlanBuilder {
  readonly operations: Operation[] = [];
  readonly skipped: SkippedItem[] = [];
  readonly drift: DriftItem[] = [];

  constructor(private readonly server: string) {}

  add(draft: OperationDraft): void {
    this.operations.push({ ...draft, server: this.server } as Operation);
  }
}

function rejectedKeys(snapshot: Snapshot, kind: 'user' | 'license'): Set<string> {
  return new Set(snapshot.rejected.filter((record) => record.kind === kind && record.key !== null).map((record) => record.key as string));
}

function planUsers(primary: Snapshot, backup: Snapshot, options: PlanOptions, out: PlanBuilder): void {
  const unreadable = new Set([...rejectedKeys(primary, 'user'), ...rejectedKeys(backup, 'user')]);
  for (const key of unreadable) {
    out.skipped.push({ kind: 'user', key, reason: 'unreadable', detail: 'a listed record for this username could not be read; left alone' });
  }
  for (const user of primary.users.values()) {
    if (unreadable.has(user.username)) continue;
    const existing = backup.users.get(user.username);
    if (existing === undefined) planMissingUser(user, options, out);
    else compareUsers(user, existing, out);
  }
  for (const user of backup.users.values()) {
    if (unreadable.has(user.username) || primary.users.has(user.username)) continue;
    out.skipped.push({ kind: 'user', key: user.username, reason: 'backup-only', detail: 'exists only on the backup; users are never removed' });
  }
}

function planMissingUser(user: UserRecord, options: PlanOptions, out: PlanBuilder): void {
  if (options.newUsers === 'skip') {
    out.skipped.push({ kind: 'user', key: user.username, reason: 'new-users-skip', detail: 'missing on the backup; --new-users skip leaves it uncreated' });
    return;
  }
  out.add({
    kind: 'create-user',
    key: userKey(user.username),
    reason: 'missing on the backup',
    username: user.username,
    email: user.email,
    role: user.role,
  });
}

function compareUsers(primary: UserRecord, backup: UserRecord, out: PlanBuilder): void {
  if (primary.email !== backup.email) {
    out.drift.push({ kind: 'user-email', key: primary.username, detail: `email ${show(backup.email)} on the backup, ${show(primary.email)} on the primary` });
  }
  if (primary.role !== backup.role) {
    out.drift.push({ kind: 'user-role', key: primary.username, detail: `role ${backup.role} on the backup, ${primary.role} on the primary` });
  }
}

function planLicenses(primary: Snapshot, backup: Snapshot, options: PlanOptions, today: CalendarDate, out: PlanBuilder): void {
  const unreadable = new Set([...rejectedKeys(primary, 'license'), ...rejectedKeys(backup, 'license')]);
  for (const key of unreadable) {
    out.skipped.push({ kind: 'license', key, reason: 'unreadable', detail: 'a listed record for this device_id could not be read; left alone' });
  }
  // A backup record with no readable device_id may be any license "missing" on the backup:
  // creating one would overwrite it (re-date, re-activate), and a failed block would then delete it.
  const keylessOnBackup = keylessLicenses(backup);
  for (const license of primary.licenses.values()) {
    if (unreadable.has(license.device_id)) continue;
    const existing = backup.licenses.get(license.device_id);
    if (existing !== undefined) planExistingLicense(license, existing, today, out);
    else if (keylessOnBackup > 0) {
      out.skipped.push({
        kind: 'license',
        key: license.device_id,
        reason: 'creations-suspended',
        detail: `missing on the backup, but ${keylessOnBackup} backup record(s) have no readable device_id: it may be one of them`,
      });
    } else planMissingLicense(license, today, out);
  }
  const keylessOnPrimary = keylessLicenses(primary);
  for (const license of backup.licenses.values()) {
    if (unreadable.has(license.device_id) || primary.licenses.has(license.device_id)) continue;
    planBackupOnlyLicense(license, options, keylessOnPrimary, out);
  }
}

function keylessLicenses(snapshot: Snapshot): number {
  return snapshot.rejected.filter((record) => record.kind === 'license' && record.key === null).length;
}

function planBackupOnlyLicense(license: LicenseRecord, options: PlanOptions, keylessOnPrimary: number, out: PlanBuilder): void {
  const key = license.device_id;
  if (!options.deleteBackupOnly) {
    out.skipped.push({ kind: 'license', key, reason: 'backup-only', detail: 'exists only on the backup; pass --delete to remove such licenses' });
  } else if (keylessOnPrimary > 0) {
    out.skipped.push({
      kind: 'license',
      key,
      reason: 'deletions-suspended',
      detail: `exists only on the backup, but ${keylessOnPrimary} primary record(s) have no readable device_id: it may be one of them`,
    });
  } else {
    out.add({ kind: 'delete-license', key: licenseKey(key), deviceId: key, reason: 'exists only on the backup (--delete)' });
  }
}

function upsertBody(license: LicenseRecord): UpsertBody {
  return {
    device_id: license.device_id,
    license_type: license.license_type,
    owner_name: license.owner_name,
    cpf: license.cpf,
    email: license.email,
    address: license.address,
    created_by: license.created_by,
  };
}

function planMissingLicense(license: LicenseRecord, today: CalendarDate, out: PlanBuilder): void {
  const decision = licenseDecision(license, today);
  out.add({
    kind: 'create-license',
    key: licenseKey(license.device_id),
    reason: 'missing on the backup',
    body: upsertBody(license),
    thenBlock: decision === 'allow' ? null : `the primary denies it (${denyReason(decision)})`,
  });
}

function planExistingLicense(primary: LicenseRecord, backup: LicenseRecord, today: CalendarDate, out: PlanBuilder): void {
  const key = licenseKey(primary.device_id);
  const wanted = licenseDecision(primary, today);
  const current = licenseDecision(backup, today);
  const changedContent = contentDifferences(primary, backup);
  const ownerDiffers = primary.created_by !== backup.created_by;
  // Blocked and expired at once reads as "blocked", but activating would leave it expired.
  const backupExpired = isExpired(backup, today);
  let upserted = false;

  if (wanted === 'allow') {
    if (changedContent.length > 0) {
      const redate = backupExpired ? `; the backup had expired on ${backup.end_date}, so it now ${runsLonger(primary, today)}` : '';
      out.add({ kind: 'update-license', key, body: upsertBody(primary), reason: `content differs (${changedContent.join(', ')})${redate}` });
      upserted = true;
    } else if (backupExpired) {
      out.add({
        kind: 'update-license',
        key,
        body: upsertBody(primary),
        reason: `expired on the backup (${backup.end_date}) but allowed by the primary; re-dating it, the backup now ${runsLonger(primary, today)}`,
      });
      upserted = true;
    } else {
      if (ownerDiffers) out.add(updateCreatedBy(primary, backup, key));
      if (current !== 'allow') {
        out.add({ kind: 'activate', key, deviceId: primary.device_id, reason: `${denyReason(current)} on the backup, allowed by the primary` });
      }
    }
  } else {
    const mustBlock = wanted === 'deny:blocked' ? backup.status !== 'blocked' : current === 'allow';
    if (mustBlock) {
      out.add({ kind: 'block', key, deviceId: primary.device_id, reason: blockReason(wanted, current) });
    } else if (wanted !== current) {
      out.drift.push({
        kind: 'license-deny-reason',
        key: primary.device_id,
        detail: `denied on both, as ${denyReason(current)} on the backup and ${denyReason(wanted)} on the primary`,
      });
    }
    if (ownerDiffers) out.add(updateCreatedBy(primary, backup, key));
    if (changedContent.length > 0) {
      out.drift.push({
        kind: 'license-content-while-denied',
        key: primary.device_id,
        detail: `content differs (${changedContent.join(', ')}) but the primary denies it (${denyReason(wanted)}); an upsert would re-open it`,
      });
    }
  }
  if (!upserted) reportUnwritableDrift(primary, backup, out);
}

function updateCreatedBy(primary: LicenseRecord, backup: LicenseRecord, key: string): OperationDraft {
  return {
    kind: 'update-created-by',
    key,
    deviceId: primary.device_id,
    createdBy: primary.created_by,
    reason: `owner ${backup.created_by} on the backup, ${primary.created_by} on the primary`,
  };
}

function reportUnwritableDrift(primary: LicenseRecord, backup: LicenseRecord, out: PlanBuilder): void {
  const key = primary.device_id;
  if (datesDiffer(primary, backup)) {
    out.drift.push({
      kind: 'license-dates',
      key,
      detail: `${backup.start_date ?? 'none'}..${backup.end_date ?? 'none'} on the backup, ${primary.start_date ?? 'none'}..${primary.end_date ?? 'none'} on the primary`,
    });
  }
  if (primary.custom_interval !== backup.custom_interval) {
    out.drift.push({ kind: 'license-custom-interval', key, detail: `${show(backup.custom_interval)} on the backup, ${show(primary.custom_interval)} on the primary` });
  }
  if (primary.features !== backup.features) {
    out.drift.push({ kind: 'license-features', key, detail: `${show(backup.features)} on the backup, ${show(primary.features)} on the primary` });
  }
  if (telemetryDiffers(primary, backup)) {
    out.drift.push({ kind: 'license-telemetry', key, detail: 'last-seen fields differ (written by clients on each server)' });
  }
}

function denyReason(decision: Decision): string {
  return decision === 'allow' ? 'allowed' : decision.slice('deny:'.length);
}

function blockReason(wanted: Decision, current: Decision): string {
  const now = current === 'allow' ? 'allowed' : denyReason(current);
  return `${denyReason(wanted)} on the primary, ${now} on the backup`;
}

function runsLonger(primary: LicenseRecord, today: CalendarDate): string {
  const months = LICENSE_PERIOD_MONTHS[primary.license_type];
  const until = months === null ? 'never expires' : `runs until ${addMonths(today, months)}`;
  return `${until} (the primary ends ${primary.end_date ?? 'never'})`;
}

function show(value: string | number | null): string {
  return value === null ? 'none' : JSON.stringify(value);
}
