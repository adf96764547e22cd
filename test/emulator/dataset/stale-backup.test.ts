import { describe, expect, it } from 'vitest';
import { licenseDecision } from '../../../src/domain/decision.js';
import { parseDataset, type Dataset, type DeviceRow, type UserRow } from '../../../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../../../src/emulator/dataset/generator.js';
import {
  describeStaleness,
  expectedOperations,
  expectedWrites,
  makeStaleBackup,
  STALE_RULE_NAMES,
  staleBackupOf,
  type StaleBackup,
  type StaleRule,
} from '../../../src/emulator/dataset/stale-backup.js';

const TODAY = '2026-03-15';
const primary = generateDataset({ seed: 11, licenses: 1000, today: TODAY });
const stale = makeStaleBackup(primary, { seed: 5, today: TODAY });
const backup = stale.dataset;

const primaryDevices = new Map(primary.devices.map((row) => [row.device_id, row]));
const backupDevices = new Map(backup.devices.map((row) => [row.device_id, row]));
const primaryUsers = new Map(primary.users.map((row) => [row.username, row]));
const backupUsers = new Map(backup.users.map((row) => [row.username, row]));

const CONTENT = ['owner_name', 'cpf', 'email', 'address', 'license_type'] as const;
const DATES = ['start_date', 'end_date'] as const;
const TELEMETRY = ['last_seen_at', 'last_seen_ip', 'last_hostname', 'last_version'] as const;

type Field = keyof DeviceRow;
const norm = (value: string | number | null): string | number | null => (typeof value === 'string' ? value.trim() || null : value);
const owner = (row: DeviceRow): string => row.created_by ?? 'admin';
/** Fields whose normalised values differ (created_by: null reads as "admin"). */
function differing(p: DeviceRow, b: DeviceRow): Field[] {
  const fields = Object.keys(p).filter((field) => field !== 'id' && field !== 'created_by') as Field[];
  const out = fields.filter((field) => norm(p[field]) !== norm(b[field]));
  if (owner(p) !== owner(b)) out.push('created_by');
  return out;
}
const only = (fields: Field[], allowed: readonly Field[]) => fields.length > 0 && fields.every((field) => allowed.includes(field));

/** What each rule means, checked on the two datasets themselves rather than on how they were made. */
type LicenseCheck = (p: DeviceRow, b: DeviceRow, diff: Field[]) => boolean;
function licenseChecks(today: string): Partial<Record<StaleRule, LicenseCheck>> {
  const decision = (row: DeviceRow) => licenseDecision(row, today);
  return {
    'license-content-changed': (p, b, diff) => decision(p) === 'allow' && decision(b) === 'allow' && only(diff, CONTENT),
    'license-created-by-changed': (_p, _b, diff) => diff.length === 1 && diff[0] === 'created_by',
    'license-created-by-equivalent': (p, b, diff) => diff.length === 0 && p.created_by !== b.created_by,
    'license-whitespace-equivalent': (p, b, diff) => diff.length === 0 && (p.owner_name !== b.owner_name || p.email !== b.email),
    'license-block-blocked': (p, b) => p.status === 'blocked' && decision(b) === 'allow',
    'license-block-pending': (p, b) => decision(p) === 'deny:pending' && decision(b) === 'allow',
    'license-block-expired': (p, b) => decision(p) === 'deny:expired' && decision(b) === 'allow' && (b.end_date ?? '') > today,
    'license-activate-blocked': (p, b, diff) => decision(p) === 'allow' && b.status === 'blocked' && only(diff, ['status']),
    'license-activate-pending': (p, b, diff) => decision(p) === 'allow' && b.status === 'pending' && only(diff, ['status']),
    'license-redate-expired': (p, b, diff) => decision(p) === 'allow' && decision(b) === 'deny:expired' && only(diff, DATES),
    'license-content-while-denied': (p, b, diff) => decision(p) !== 'allow' && decision(b) === decision(p) && only(diff, CONTENT),
    'license-dates-only': (p, b, diff) => decision(b) === decision(p) && only(diff, DATES),
    'license-interval-only': (_p, _b, diff) => only(diff, ['custom_interval']),
    'license-features-only': (_p, _b, diff) => only(diff, ['features']),
    'license-telemetry-only': (_p, _b, diff) => only(diff, TELEMETRY),
  };
}

/** Every license a rule lists really is in that case. */
function expectRulesHold(primaryData: Dataset, staleBackup: StaleBackup, today: string): void {
  const before = new Map(primaryData.devices.map((row) => [row.device_id, row]));
  const after = new Map(staleBackup.dataset.devices.map((row) => [row.device_id, row]));
  for (const [rule, check] of Object.entries(licenseChecks(today))) {
    for (const key of staleBackup.changes[rule as StaleRule]) {
      const p = before.get(key) as DeviceRow;
      const b = after.get(key) as DeviceRow;
      expect({ rule, key, p, b, holds: check(p, b, differing(p, b)) }).toMatchObject({ holds: true });
    }
  }
}

const decision = (row: DeviceRow) => licenseDecision(row, TODAY);

describe('staleBackupOf', () => {
  it('is deterministic for a given primary, seed and day', () => {
    expect(staleBackupOf(primary, { seed: 5, today: TODAY })).toEqual(backup);
    expect(staleBackupOf(primary, { seed: 6, today: TODAY })).not.toEqual(backup);
  });

  it('gives a dataset the emulator accepts, with the primary administrators', () => {
    expect(() => parseDataset(backup, 'stale backup')).not.toThrow();
    expect(backup.admin_users).toEqual(primary.admin_users);
  });

  it('leaves the primary untouched', () => {
    expect(primary).toEqual(generateDataset({ seed: 11, licenses: 1000, today: TODAY }));
  });

  it.each(STALE_RULE_NAMES)('applies %s to at least 2 records of a 1,000-license primary', (rule) => {
    expect(stale.changes[rule].length).toBeGreaterThanOrEqual(2);
  });

  it('uses each record for one rule at most', () => {
    const keys = STALE_RULE_NAMES.filter((rule) => rule.startsWith('license-')).flatMap((rule) => stale.changes[rule]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lists under each rule only licenses that really are in that case', () => {
    expectRulesHold(primary, stale, TODAY);
  });

  it.each([
    ['2024-02-29', 3],
    ['2026-01-31', 9],
    ['2027-12-31', 21],
  ])('holds on other days and seeds too (%s, seed %i)', (today, seed) => {
    const other = generateDataset({ seed, licenses: 1000, today });
    const otherStale = makeStaleBackup(other, { seed, today });
    expect(() => parseDataset(otherStale.dataset, 'stale backup')).not.toThrow();
    for (const rule of STALE_RULE_NAMES) expect({ rule, count: otherStale.changes[rule].length }).toMatchObject({ count: expect.toSatisfy((n: number) => n >= 2) });
    expectRulesHold(other, otherStale, today);
  });

  it('covers created_by null on either side against "admin" on the other', () => {
    const pairs = stale.changes['license-created-by-equivalent'].map((key) => [primaryDevices.get(key)?.created_by, backupDevices.get(key)?.created_by]);
    expect(pairs).toContainEqual([null, 'admin']);
    expect(pairs).toContainEqual(['admin', null]);
  });

  it('changes each content field (owner_name, email, address, cpf, license_type) on some allowed license', () => {
    const changed = stale.changes['license-content-changed'].flatMap((key) => differing(primaryDevices.get(key) as DeviceRow, backupDevices.get(key) as DeviceRow));
    expect(new Set(changed)).toEqual(new Set(CONTENT));
  });

  it('drops the missing licenses, allowed and denied ones, and adds backup-only ones', () => {
    for (const key of [...stale.changes['license-missing-allowed'], ...stale.changes['license-missing-denied']]) expect(backupDevices.has(key)).toBe(false);
    expect(stale.changes['license-missing-allowed'].every((key) => decision(primaryDevices.get(key) as DeviceRow) === 'allow')).toBe(true);
    const deniedAs = new Set(stale.changes['license-missing-denied'].map((key) => decision(primaryDevices.get(key) as DeviceRow)));
    expect(deniedAs.has('allow')).toBe(false);
    for (const key of stale.changes['license-backup-only']) {
      expect(primaryDevices.has(key)).toBe(false);
      expect(backupDevices.has(key)).toBe(true);
    }
  });

  it('leaves every other license identical', () => {
    const touched = new Set(STALE_RULE_NAMES.flatMap((rule) => stale.changes[rule]));
    const untouched = primary.devices.filter((row) => !touched.has(row.device_id));
    expect(untouched.length).toBeGreaterThan(700);
    for (const row of untouched) expect(differing(row, backupDevices.get(row.device_id) as DeviceRow)).toEqual([]);
  });

  it('blocks-to-be cover licenses the primary denies as blocked, pending and expired', () => {
    const reasons = ['license-block-blocked', 'license-block-pending', 'license-block-expired'].map((rule) =>
      stale.changes[rule as StaleRule].map((key) => decision(primaryDevices.get(key) as DeviceRow)),
    );
    expect(reasons[0]?.every((d) => d === 'deny:blocked')).toBe(true);
    expect(reasons[1]?.every((d) => d === 'deny:pending')).toBe(true);
    expect(reasons[2]?.every((d) => d === 'deny:expired')).toBe(true);
  });

  it('users: some missing, some with another e-mail or role, some only on the backup', () => {
    const user = (map: Map<string, UserRow>, key: string) => map.get(key) as UserRow;
    for (const key of stale.changes['user-missing']) expect(backupUsers.has(key)).toBe(false);
    for (const key of stale.changes['user-email-differs']) {
      expect(user(backupUsers, key).email).not.toBe(user(primaryUsers, key).email);
      expect(user(backupUsers, key).role).toBe(user(primaryUsers, key).role);
    }
    for (const key of stale.changes['user-role-differs']) {
      expect(user(backupUsers, key).role).not.toBe(user(primaryUsers, key).role);
      expect(user(backupUsers, key).email).toBe(user(primaryUsers, key).email);
    }
    for (const key of stale.changes['user-backup-only']) {
      expect(primaryUsers.has(key)).toBe(false);
      expect(backupUsers.has(key)).toBe(true);
    }
    const touched = new Set(STALE_RULE_NAMES.filter((rule) => rule.startsWith('user-')).flatMap((rule) => stale.changes[rule]));
    for (const row of primary.users.filter((u) => !touched.has(u.username))) expect(user(backupUsers, row.username)).toEqual({ ...row, id: expect.any(Number) });
  });

  it('describes itself: one line per rule with its count', () => {
    const lines = describeStaleness(stale);
    expect(lines.map((line) => line.rule)).toEqual(STALE_RULE_NAMES);
    for (const line of lines) expect(line.count).toBe(stale.changes[line.rule].length);
  });

  it('counts the plan of the round trip\'s first run: the primary gets only the backup\'s own resellers', () => {
    const { backup: toBackup, primary: toPrimary } = expectedOperations(stale);
    const count = (rule: StaleRule) => stale.changes[rule].length;
    const backupOnlyAllowed = stale.changes['license-backup-only'].filter((key) => decision(backupDevices.get(key) as DeviceRow) === 'allow');
    // Both kinds of backup-only license occur, so the filter below is seen at work.
    expect(backupOnlyAllowed.length).toBeGreaterThan(0);
    expect(backupOnlyAllowed.length).toBeLessThan(count('license-backup-only'));
    expect(toBackup).toEqual({
      'create-user': count('user-missing'),
      'create-license': count('license-missing-allowed') + count('license-missing-denied'),
      'update-license': count('license-content-changed') + count('license-redate-expired'),
      'update-created-by': count('license-created-by-changed'),
      block: count('license-block-blocked') + count('license-block-pending') + count('license-block-expired') + backupOnlyAllowed.length,
      activate: count('license-activate-blocked') + count('license-activate-pending'),
      createdThenBlocked: count('license-missing-denied'),
    });
    expect(toPrimary).toEqual({ 'create-user': count('user-backup-only'), 'create-license': 0, 'update-license': 0, 'update-created-by': 0, block: 0, activate: 0 });
    expect(expectedWrites(stale)).toEqual({
      primary: toPrimary,
      backup: { ...toBackup, createdThenBlocked: undefined, block: toBackup.block + toBackup.createdThenBlocked },
    });
  });

  it('copes with tiny and empty primaries', () => {
    const tiny = generateDataset({ seed: 3, licenses: 10, today: TODAY });
    expect(() => parseDataset(staleBackupOf(tiny, { seed: 1, today: TODAY }), 'tiny')).not.toThrow();
    const empty = generateDataset({ seed: 3, licenses: 0, users: 0, today: TODAY });
    expect(staleBackupOf(empty, { seed: 1, today: TODAY })).toMatchObject({ devices: [], users: [] });
  });
});
