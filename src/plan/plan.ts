import { addMonths, type CalendarDate } from '../domain/calendar-date.js';
import { isExpired, licenseDecision } from '../domain/decision.js';
import { LICENSE_PERIOD_MONTHS } from '../domain/license-type.js';
import type { LicenseRecord, Snapshot, UserRecord } from '../snapshot/records.js';
import { contentDifferences, datesDiffer, telemetryDiffers } from './license-comparison.js';
import type { UpsertBody } from '../domain/upsert-body.js';
import { unaddressableSkip } from './addressable-writes.js';
import { licenseKey, userKey, type Operation, type OperationDraft } from './operation.js';
import type { DriftItem, Plan, PlanOptions, SkippedItem } from './plan-types.js';
import { ONE_WAY, type RunsLonger, type Sides, type WriteReason } from './reasons.js';

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
    out.skipped.push({ kind: 'user', key, reason: 'unreadable', bothSides: false });
  }
  // A backup record with no readable username may be any user "missing" on the backup:
  // creating it would be refused as a duplicate every run, and hand out a password that works nowhere.
  const keylessOnBackup = keylessRecords(backup, 'user');
  for (const user of primary.users.values()) {
    if (unreadable.has(user.username)) continue;
    const existing = backup.users.get(user.username);
    if (existing !== undefined) compareUsers(user, existing, out);
    else if (keylessOnBackup > 0) {
      out.skipped.push({ kind: 'user', key: user.username, reason: 'creations-suspended', keyless: keylessOnBackup, sides: ONE_WAY });
    } else planMissingUser(user, options, out);
  }
  for (const user of backup.users.values()) {
    if (unreadable.has(user.username) || primary.users.has(user.username)) continue;
    out.skipped.push({ kind: 'user', key: user.username, reason: 'backup-only' });
  }
}

function planMissingUser(user: UserRecord, options: PlanOptions, out: PlanBuilder): void {
  if (options.newUsers === 'skip') {
    out.skipped.push({ kind: 'user', key: user.username, reason: 'new-users-skip', sides: ONE_WAY });
    return;
  }
  out.add({
    kind: 'create-user',
    key: userKey(user.username),
    reason: { code: 'missing', sides: ONE_WAY },
    username: user.username,
    email: user.email,
    role: user.role,
  });
}

function compareUsers(primary: UserRecord, backup: UserRecord, out: PlanBuilder): void {
  if (primary.email !== backup.email) {
    out.drift.push({ kind: 'user-email', key: primary.username, sides: ONE_WAY, source: primary.email, target: backup.email });
  }
  if (primary.role !== backup.role) {
    out.drift.push({ kind: 'user-role', key: primary.username, sides: ONE_WAY, source: primary.role, target: backup.role });
  }
}

function planLicenses(primary: Snapshot, backup: Snapshot, options: PlanOptions, today: CalendarDate, out: PlanBuilder): void {
  const unreadable = new Set([...rejectedKeys(primary, 'license'), ...rejectedKeys(backup, 'license')]);
  for (const key of unreadable) {
    out.skipped.push({ kind: 'license', key, reason: 'unreadable', bothSides: false });
  }
  // A backup record with no readable device_id may be any license "missing" on the backup:
  // creating one would overwrite it (re-date, re-activate), and a failed block would then delete it.
  const keylessOnBackup = keylessRecords(backup, 'license');
  for (const license of primary.licenses.values()) {
    if (unreadable.has(license.device_id)) continue;
    const existing = backup.licenses.get(license.device_id);
    const sink = addressableOnly(out, license, existing, today);
    if (existing !== undefined) planExistingLicense(license, existing, today, ONE_WAY, {}, sink);
    else if (keylessOnBackup > 0) {
      out.skipped.push({ kind: 'license', key: license.device_id, reason: 'creations-suspended', keyless: keylessOnBackup, sides: ONE_WAY });
    } else planMissingLicense(license, today, ONE_WAY, sink);
  }
  const keylessOnPrimary = keylessRecords(primary, 'license');
  for (const license of backup.licenses.values()) {
    if (unreadable.has(license.device_id) || primary.licenses.has(license.device_id)) continue;
    planBackupOnlyLicense(license, options, keylessOnPrimary, today, addressableOnly(out, undefined, license, today));
  }
}

/** A sink that keeps the writes no URL path can carry out of the plan, as skipped items (src/plan/addressable-writes.ts). */
function addressableOnly(out: PlanBuilder, wanted: LicenseRecord | undefined, current: LicenseRecord | undefined, today: CalendarDate): LicenseSink & Pick<PlanBuilder, 'skipped'> {
  return {
    drift: out.drift,
    skipped: out.skipped,
    add: (draft) => {
      const skipped = unaddressableSkip(draft, current, wanted, today, ONE_WAY);
      if (skipped === null) out.add(draft);
      else out.skipped.push(skipped);
    },
  };
}

/** How many records of this kind a listing has with no readable key (device_id or username). */
export function keylessRecords(snapshot: Snapshot, kind: 'license' | 'user'): number {
  return snapshot.rejected.filter((record) => record.kind === kind && record.key === null).length;
}

function planBackupOnlyLicense(
  license: LicenseRecord,
  options: PlanOptions,
  keylessOnPrimary: number,
  today: CalendarDate,
  out: LicenseSink & Pick<PlanBuilder, 'skipped'>,
): void {
  const key = license.device_id;
  if (!options.deleteBackupOnly) {
    out.skipped.push({ kind: 'license', key, reason: 'backup-only' });
    // The primary refuses a license it does not list: a client failing over must get the same answer
    // (unless the primary lists a license it could not read, which may be this one).
    if (keylessOnPrimary === 0 && licenseDecision(license, today) === 'allow') {
      out.add({ kind: 'block', key: licenseKey(key), deviceId: key, reason: { code: 'backup-only-denied' } });
    }
  } else if (keylessOnPrimary > 0) {
    out.skipped.push({ kind: 'license', key, reason: 'deletions-suspended', keyless: keylessOnPrimary, goneFrom: null });
  } else {
    out.add({ kind: 'delete-license', key: licenseKey(key), deviceId: key, reason: { code: 'backup-only' } });
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
 * name the servers with `sides`.
 */
export function planLicenseWrites(
  wanted: LicenseRecord,
  current: LicenseRecord | undefined,
  today: CalendarDate,
  sides: Sides = ONE_WAY,
  rules: LicenseMatchRules = {},
): LicenseWrites {
  const operations: OperationDraft[] = [];
  const drift: DriftItem[] = [];
  const sink: LicenseSink = { add: (draft) => operations.push(draft), drift };
  if (current === undefined) planMissingLicense(wanted, today, sides, sink);
  else planExistingLicense(wanted, current, today, sides, rules, sink);
  return { operations, drift };
}

function planMissingLicense(license: LicenseRecord, today: CalendarDate, sides: Sides, out: LicenseSink): void {
  const decision = licenseDecision(license, today);
  out.add({
    kind: 'create-license',
    key: licenseKey(license.device_id),
    reason: { code: 'missing', sides },
    body: upsertBody(license),
    thenBlock: decision === 'allow' ? null : { code: 'source-denies', sides, decision },
  });
}

function oneWayMustBlock(wanted: LicenseRecord, backup: LicenseRecord, today: CalendarDate): boolean {
  return licenseDecision(wanted, today) === 'deny:blocked' ? backup.status !== 'blocked' : licenseDecision(backup, today) === 'allow';
}

function planExistingLicense(
  primary: LicenseRecord,
  backup: LicenseRecord,
  today: CalendarDate,
  sides: Sides,
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
      const expired = backupExpired ? { targetEnd: backup.end_date, runs: runsLonger(primary, today) } : null;
      out.add({ kind: 'update-license', key, body: upsertBody(primary), reason: { code: 'content-differs', sides, fields: changedContent, expired } });
      upserted = true;
    } else if (backupExpired) {
      out.add({
        kind: 'update-license',
        key,
        body: upsertBody(primary),
        reason: { code: 'expired-on-target', sides, targetEnd: backup.end_date, runs: runsLonger(primary, today) },
      });
      upserted = true;
    } else if (rules.renewed === true && endsEarlier(backup, primary)) {
      out.add({
        kind: 'update-license',
        key,
        body: upsertBody(primary),
        reason: { code: 'renewed-on-source', sides, targetEnd: backup.end_date, runs: runsLonger(primary, today) },
      });
      upserted = true;
    } else {
      if (ownerDiffers) out.add(updateCreatedBy(primary, backup, key, sides));
      if (current !== 'allow') {
        out.add({ kind: 'activate', key, deviceId: primary.device_id, reason: { code: 'denied-on-target', sides, target: current } });
      }
    }
  } else {
    const mustBlock = (rules.mustBlock ?? oneWayMustBlock)(primary, backup, today);
    if (mustBlock) {
      out.add({ kind: 'block', key, deviceId: primary.device_id, reason: { code: 'denied-on-source', sides, source: wanted, target: current } });
    } else if (wanted !== current) {
      out.drift.push({ kind: 'license-deny-reason', key: primary.device_id, sides, source: wanted, target: current });
    }
    if (ownerDiffers) out.add(updateCreatedBy(primary, backup, key, sides));
    if (changedContent.length > 0) {
      out.drift.push({
        kind: 'license-content-while-denied',
        key: primary.device_id,
        fields: changedContent,
        because: { code: 'source-denies', sides, decision: wanted },
      });
    }
  }
  if (!upserted) out.drift.push(...unwritableDrift(primary, backup, sides));
}

/** The target ends before the wanted record (a license that never ends is never re-dated). */
function endsEarlier(target: LicenseRecord, wanted: LicenseRecord): boolean {
  return target.end_date !== null && wanted.end_date !== null && target.end_date < wanted.end_date;
}

function updateCreatedBy(primary: LicenseRecord, backup: LicenseRecord, key: string, sides: Sides): OperationDraft {
  const reason: WriteReason = { code: 'owner-differs', sides, targetOwner: backup.created_by, sourceOwner: primary.created_by };
  return { kind: 'update-created-by', key, deviceId: primary.device_id, createdBy: primary.created_by, reason };
}

/** The differences no write can repair: dates, custom_interval, features, telemetry. */
export function unwritableDrift(primary: LicenseRecord, backup: LicenseRecord, sides: Sides = ONE_WAY): DriftItem[] {
  const drift: DriftItem[] = [];
  const key = primary.device_id;
  if (datesDiffer(primary, backup)) {
    drift.push({
      kind: 'license-dates',
      key,
      sides,
      source: { start: primary.start_date, end: primary.end_date },
      target: { start: backup.start_date, end: backup.end_date },
    });
  }
  if (primary.custom_interval !== backup.custom_interval) {
    drift.push({ kind: 'license-custom-interval', key, sides, source: primary.custom_interval, target: backup.custom_interval });
  }
  if (primary.features !== backup.features) {
    drift.push({ kind: 'license-features', key, sides, source: primary.features, target: backup.features });
  }
  if (telemetryDiffers(primary, backup)) {
    drift.push({ kind: 'license-telemetry', key });
  }
  return drift;
}

/** How long a license upserted today from `wanted` runs, next to the end `wanted` has. */
export function runsLonger(wanted: LicenseRecord, today: CalendarDate): RunsLonger {
  const months = LICENSE_PERIOD_MONTHS[wanted.license_type];
  return { until: months === null ? null : addMonths(today, months), sourceEnd: wanted.end_date };
}
