import { addMonths, type CalendarDate } from '../domain/calendar-date.js';
import { isExpired, licenseDecision, type Decision } from '../domain/decision.js';
import { LICENSE_PERIOD_MONTHS } from '../domain/license-type.js';
import type { LicenseRecord, Snapshot, UserRecord } from '../snapshot/records.js';
import { contentDifferences, datesDiffer, telemetryDiffers } from './license-comparison.js';
import type { UpsertBody } from '../domain/upsert-body.js';
import { licenseKey, userKey, type Operation, type OperationDraft } from './operation.js';
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

/** How reasons name the two servers: the one whose record is wanted, and the one written to. */
export interface SideWords {
  /** Where the wanted record is (`the primary`, or `render` in a two-way run). */
  readonly source: string;
  /** Where the writes go (`the backup`, or `primary` in a two-way run). */
  readonly target: string;
}

export const ONE_WAY_WORDS: SideWords = { source: 'the primary', target: 'the backup' };

/** Where the writes and drift of one license go. */
interface LicenseSink {
  add(draft: OperationDraft): void;
  readonly drift: DriftItem[];
}

class PlanBuilder implements LicenseSink {
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
  // A backup record with no readable username may be any user "missing" on the backup:
  // creating it would be refused as a duplicate every run, and hand out a password that works nowhere.
  const keylessOnBackup = keylessRecords(backup, 'user');
  for (const user of primary.users.values()) {
    if (unreadable.has(user.username)) continue;
    const existing = backup.users.get(user.username);
    if (existing !== undefined) compareUsers(user, existing, out);
    else if (keylessOnBackup > 0) {
      out.skipped.push({
        kind: 'user',
        key: user.username,
        reason: 'creations-suspended',
        detail: `missing on the backup, but ${keylessOnBackup} backup record(s) have no readable username: it may be one of them`,
      });
    } else planMissingUser(user, options, out);
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
  const keylessOnBackup = keylessRecords(backup, 'license');
  for (const license of primary.licenses.values()) {
    if (unreadable.has(license.device_id)) continue;
    const existing = backup.licenses.get(license.device_id);
    if (existing !== undefined) planExistingLicense(license, existing, today, ONE_WAY_WORDS, {}, out);
    else if (keylessOnBackup > 0) {
      out.skipped.push({
        kind: 'license',
        key: license.device_id,
        reason: 'creations-suspended',
        detail: `missing on the backup, but ${keylessOnBackup} backup record(s) have no readable device_id: it may be one of them`,
      });
    } else planMissingLicense(license, today, ONE_WAY_WORDS, out);
  }
  const keylessOnPrimary = keylessRecords(primary, 'license');
  for (const license of backup.licenses.values()) {
    if (unreadable.has(license.device_id) || primary.licenses.has(license.device_id)) continue;
    planBackupOnlyLicense(license, options, keylessOnPrimary, out);
  }
}

/** How many records of this kind a listing has with no readable key (device_id or username). */
export function keylessRecords(snapshot: Snapshot, kind: 'license' | 'user'): number {
  return snapshot.rejected.filter((record) => record.kind === kind && record.key === null).length;
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

/** The body of the upsert that writes `license`'s content and owner. */
export function upsertBody(license: LicenseRecord): UpsertBody {
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

/** What a caller other than the one-way plan may change in how one license is matched. */
export interface LicenseMatchRules {
  /**
   * Whether the target's license is blocked while the wanted one denies.
   * Default: a wanted status `blocked` is copied; any other denial blocks a target that allows.
   */
  readonly mustBlock?: (wanted: LicenseRecord, current: LicenseRecord, today: CalendarDate) => boolean;
  /**
   * The wanted record was renewed (its dates moved since the base of a two-way run):
   * a target that allows but ends earlier is then re-dated with an upsert, content equal or not.
   */
  readonly renewed?: boolean;
}

/** The writes (not yet given a server) and the drift of one license. */
export interface LicenseWrites {
  readonly operations: readonly OperationDraft[];
  readonly drift: readonly DriftItem[];
}

/**
 * The writes that make the target's `current` license (undefined: missing) give
 * clients the answer `wanted` gives, with the one-way replication rules; reasons
 * name the servers with `words`.
 */
export function planLicenseWrites(
  wanted: LicenseRecord,
  current: LicenseRecord | undefined,
  today: CalendarDate,
  words: SideWords = ONE_WAY_WORDS,
  rules: LicenseMatchRules = {},
): LicenseWrites {
  const operations: OperationDraft[] = [];
  const drift: DriftItem[] = [];
  const sink: LicenseSink = { add: (draft) => operations.push(draft), drift };
  if (current === undefined) planMissingLicense(wanted, today, words, sink);
  else planExistingLicense(wanted, current, today, words, rules, sink);
  return { operations, drift };
}

function planMissingLicense(license: LicenseRecord, today: CalendarDate, words: SideWords, out: LicenseSink): void {
  const decision = licenseDecision(license, today);
  out.add({
    kind: 'create-license',
    key: licenseKey(license.device_id),
    reason: `missing on ${words.target}`,
    body: upsertBody(license),
    thenBlock: decision === 'allow' ? null : `${words.source} denies it (${denyReason(decision)})`,
  });
}

function oneWayMustBlock(wanted: LicenseRecord, backup: LicenseRecord, today: CalendarDate): boolean {
  return licenseDecision(wanted, today) === 'deny:blocked' ? backup.status !== 'blocked' : licenseDecision(backup, today) === 'allow';
}

function planExistingLicense(
  primary: LicenseRecord,
  backup: LicenseRecord,
  today: CalendarDate,
  words: SideWords,
  rules: LicenseMatchRules,
  out: LicenseSink,
): void {
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
      const redate = backupExpired ? `; ${words.target} had expired on ${backup.end_date}, so it now ${runsLonger(primary, today, words)}` : '';
      out.add({ kind: 'update-license', key, body: upsertBody(primary), reason: `content differs (${changedContent.join(', ')})${redate}` });
      upserted = true;
    } else if (backupExpired) {
      out.add({
        kind: 'update-license',
        key,
        body: upsertBody(primary),
        reason: `expired on ${words.target} (${backup.end_date}) but allowed by ${words.source}; re-dating it, ${words.target} now ${runsLonger(primary, today, words)}`,
      });
      upserted = true;
    } else if (rules.renewed === true && endsEarlier(backup, primary)) {
      out.add({
        kind: 'update-license',
        key,
        body: upsertBody(primary),
        reason: `renewed on ${words.source}, ending before on ${words.target} (${backup.end_date}); re-dating it, ${words.target} now ${runsLonger(primary, today, words)}`,
      });
      upserted = true;
    } else {
      if (ownerDiffers) out.add(updateCreatedBy(primary, backup, key, words));
      if (current !== 'allow') {
        out.add({ kind: 'activate', key, deviceId: primary.device_id, reason: `${denyReason(current)} on ${words.target}, allowed by ${words.source}` });
      }
    }
  } else {
    const mustBlock = (rules.mustBlock ?? oneWayMustBlock)(primary, backup, today);
    if (mustBlock) {
      out.add({ kind: 'block', key, deviceId: primary.device_id, reason: blockReason(wanted, current, words) });
    } else if (wanted !== current) {
      out.drift.push({
        kind: 'license-deny-reason',
        key: primary.device_id,
        detail: `denied on both, as ${denyReason(current)} on ${words.target} and ${denyReason(wanted)} on ${words.source}`,
      });
    }
    if (ownerDiffers) out.add(updateCreatedBy(primary, backup, key, words));
    if (changedContent.length > 0) {
      out.drift.push({
        kind: 'license-content-while-denied',
        key: primary.device_id,
        detail: `content differs (${changedContent.join(', ')}) but ${words.source} denies it (${denyReason(wanted)}); an upsert would re-open it`,
      });
    }
  }
  if (!upserted) out.drift.push(...unwritableDrift(primary, backup, words));
}

/** The target ends before the wanted record (a license that never ends is never re-dated). */
function endsEarlier(target: LicenseRecord, wanted: LicenseRecord): boolean {
  return target.end_date !== null && wanted.end_date !== null && target.end_date < wanted.end_date;
}

function updateCreatedBy(primary: LicenseRecord, backup: LicenseRecord, key: string, words: SideWords): OperationDraft {
  return {
    kind: 'update-created-by',
    key,
    deviceId: primary.device_id,
    createdBy: primary.created_by,
    reason: `owner ${backup.created_by} on ${words.target}, ${primary.created_by} on ${words.source}`,
  };
}

/** The differences no write can repair: dates, custom_interval, features, telemetry. */
export function unwritableDrift(primary: LicenseRecord, backup: LicenseRecord, words: SideWords = ONE_WAY_WORDS): DriftItem[] {
  const drift: DriftItem[] = [];
  const key = primary.device_id;
  if (datesDiffer(primary, backup)) {
    drift.push({
      kind: 'license-dates',
      key,
      detail: `${backup.start_date ?? 'none'}..${backup.end_date ?? 'none'} on ${words.target}, ${primary.start_date ?? 'none'}..${primary.end_date ?? 'none'} on ${words.source}`,
    });
  }
  if (primary.custom_interval !== backup.custom_interval) {
    drift.push({ kind: 'license-custom-interval', key, detail: `${show(backup.custom_interval)} on ${words.target}, ${show(primary.custom_interval)} on ${words.source}` });
  }
  if (primary.features !== backup.features) {
    drift.push({ kind: 'license-features', key, detail: `${show(backup.features)} on ${words.target}, ${show(primary.features)} on ${words.source}` });
  }
  if (telemetryDiffers(primary, backup)) {
    drift.push({ kind: 'license-telemetry', key, detail: 'last-seen fields differ (written by clients on each server)' });
  }
  return drift;
}

/** A denial in words: `blocked`, `expired`, `pending` (`allowed` for an allow). */
export function denyReason(decision: Decision): string {
  return decision === 'allow' ? 'allowed' : decision.slice('deny:'.length);
}

function blockReason(wanted: Decision, current: Decision, words: SideWords): string {
  const now = current === 'allow' ? 'allowed' : denyReason(current);
  return `${denyReason(wanted)} on ${words.source}, ${now} on ${words.target}`;
}

/** How long a license upserted today from `wanted` runs, next to the end `wanted` has. */
export function runsLonger(wanted: LicenseRecord, today: CalendarDate, words: SideWords = ONE_WAY_WORDS): string {
  const months = LICENSE_PERIOD_MONTHS[wanted.license_type];
  const until = months === null ? 'never expires' : `runs until ${addMonths(today, months)}`;
  return `${until} (${words.source} ends ${wanted.end_date ?? 'never'})`;
}

function show(value: string | number | null): string {
  return value === null ? 'none' : JSON.stringify(value);
}
