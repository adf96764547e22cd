import { expect } from 'vitest';
import type { MalformedListingMode } from '../../../src/emulator/fault-settings.js';
import type { JsonRun } from '../../e2e/support/e2e-helpers.js';
import type { SyncPair } from '../../support/sync-pair.js';
import { damagedRecords, type DamagedRecord } from './hostile-damage.js';
import { allowMismatches, licenseRows, usernames, writesTo } from './hostile-observer.js';
import { BACKUP_ONLY, BACKUP_USERS, MISSING_ON_BACKUP, PRIMARY_IDS, USERS, rejectedOn, type Endpoint, type Side } from './hostile-stale-pair.js';

// What a run over the stale pair must show when some records of one listing
// are bad (emulator modes bad-records and duplicate-ids): each reported,
// nothing written for its key, never taken for "missing", the rest synced.

const FIELD_REASON = /^(id|device_id|username|status|role|email|license_type|custom_interval|end_date): /;

export async function expectBadRecordsLeftAlone(
  p: SyncPair,
  run: JsonRun,
  where: { readonly side: Side; readonly endpoint: Endpoint; readonly mode: MalformedListingMode },
  damaged: readonly DamagedRecord[],
): Promise<void> {
  const { side, endpoint, mode } = where;
  const rejected = rejectedOn(run, side);
  expect(rejected).toHaveLength(damaged.length);
  for (const record of damaged) {
    const report = rejected.find((entry) => entry.index === record.index);
    expect(report, `record #${record.index} (${record.key}) is reported`).toBeDefined();
    expect(report?.kind).toBe(endpoint === 'devices' ? 'license' : 'user');
    expect(report?.key).toBe(record.keyReadable ? record.key : null);
    expect(report?.reason).toMatch(mode === 'duplicate-ids' ? /^(device_id|username) listed more than once$/ : FIELD_REASON);
  }

  const damagedKeys = [...new Set(damaged.map((record) => record.key))];
  expect(writesTo(p.backup, damagedKeys)).toEqual([]);

  // The emulator damages records by position: once the run has created or deleted rows, the
  // verification's listing of a damaged backup has other records damaged, and those skipped
  // before readable and still to do. Only keys damaged in either listing may remain.
  const damagedInVerification = side === 'backup' ? (await damagedRecords(p.backup, endpoint)).map((record) => record.key) : [];
  const remaining = (run.report.verified?.remaining ?? []).map((operation) => operation.key.replace(/^(user|license):/, ''));
  for (const key of remaining) expect(side === 'backup' && [...damagedKeys, ...damagedInVerification].includes(key), `remaining ${key}`).toBe(true);
  expect(run.exitCode, run.stderr).toBe(remaining.length > 0 ? 1 : 0);

  // The rest is synced; a record with no readable key suspends creations (backup) or deletions (primary).
  const licensesLeftAlone = endpoint === 'devices' ? damagedKeys : [];
  const keylessLicenses = endpoint === 'devices' && damaged.some((record) => !record.keyReadable);
  const creationsSuspended = keylessLicenses && side === 'backup';
  const deletionsSuspended = keylessLicenses && side === 'primary';
  const synced = PRIMARY_IDS.filter((key) => !licensesLeftAlone.includes(key) && !(creationsSuspended && MISSING_ON_BACKUP.includes(key)));
  expect(await allowMismatches(p.primary, p.backup, synced)).toEqual([]);
  const rows = await licenseRows(p.backup);
  for (const key of synced) expect(rows.has(key), `${key} on the backup`).toBe(true);
  if (creationsSuspended) {
    for (const key of MISSING_ON_BACKUP.filter((k) => !damagedKeys.includes(k))) expect(rows.has(key), `${key} not created`).toBe(false);
    expect(run.report.skipped.byReason['creations-suspended']?.count).toBeGreaterThan(0);
  }
  for (const key of BACKUP_ONLY.filter((k) => !licensesLeftAlone.includes(k))) {
    expect(rows.has(key), `${key} ${deletionsSuspended ? 'kept: deletions suspended' : 'deleted'}`).toBe(deletionsSuspended);
  }
  if (deletionsSuspended) expect(run.report.skipped.byReason['deletions-suspended']?.count).toBeGreaterThan(0);
  // A backup user record without a readable username could be any "missing" user (as for licenses): none is created.
  const heldByBackup = new Set(BACKUP_USERS.map((user) => user.username));
  const keylessBackupUsers = side === 'backup' && endpoint === 'users' && damaged.some((record) => !record.keyReadable);
  const notCreated = side === 'primary' && endpoint === 'users' ? damagedKeys : [];
  const created = (name: string) => !keylessBackupUsers && !notCreated.includes(name);
  expect(await usernames(p.backup)).toEqual(USERS.map((user) => user.username).filter((name) => heldByBackup.has(name) || created(name)).sort());
}
