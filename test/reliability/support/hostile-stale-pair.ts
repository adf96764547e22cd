import { expect } from 'vitest';
import { runJson, type JsonRun } from '../../e2e/support/e2e-helpers.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { allowedLicense, datasetOf, daysFromToday, type SyncPair } from '../../support/sync-pair.js';
import { syncedThenChanged } from './hostile-history.js';
import { allowMismatches, licenseRows, usernames } from './hostile-observer.js';

// The pair the malformed-listing cases damage: a primary whose every license
// needs some write on the backup, so that any bad record taken at face value
// would get one, and backup-only licenses that --delete removes.

/** --delete with room to spare: a bad record taken for "missing" would show as a delete or a create. */
export const SYNC_ARGS = ['--delete', '--max-delete', '100', '--retries', '2'] as const;

export type Side = 'primary' | 'backup';
export const ROUTE = { devices: 'GET /admin/devices', users: 'GET /admin/users' } as const;
export type Endpoint = keyof typeof ROUTE;

export const USERS = Array.from({ length: 6 }, (_, n) => ({
  username: `rev-${n}`,
  password: `rev-${n}-senha`,
  role: n === 0 ? ('admin' as const) : ('user' as const),
  email: `rev-${n}@revenda.example`,
}));
export const BACKUP_USERS = USERS.slice(0, 3);

const id = (n: number) => `p-${String(n).padStart(2, '0')}`;
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => id(from + n));

// 40 licenses: enough that three bad records stay within --max-shrink (10%) of the last good run.
export const MISSING_ON_BACKUP = ids(0, 5);
const PRIMARY_LICENSES = [
  ...MISSING_ON_BACKUP.map((key) => allowedLicense(key)),
  ...ids(6, 11).map((key) => allowedLicense(key, { owner_name: 'Novo Dono' })),
  ...ids(12, 17).map((key) => allowedLicense(key)),
  ...ids(18, 20).map((key) => allowedLicense(key, { status: 'blocked' })),
  ...ids(21, 23).map((key) => allowedLicense(key, { status: 'pending' })),
  ...ids(24, 26).map((key) => allowedLicense(key, { end_date: daysFromToday(-2) })),
  ...ids(27, 29).map((key) => allowedLicense(key, { created_by: 'rev-1' })),
  ...ids(30, 39).map((key) => allowedLicense(key)),
];
export const BACKUP_ONLY = ['b-only-1', 'b-only-2'];
const BACKUP_LICENSES = [
  ...ids(6, 11).map((key) => allowedLicense(key)),
  ...ids(12, 17).map((key) => allowedLicense(key, { status: 'blocked' })),
  ...ids(18, 39).map((key) => allowedLicense(key)),
  ...BACKUP_ONLY.map((key) => allowedLicense(key, { end_date: daysFromToday(30) })),
];
export const PRIMARY_IDS = PRIMARY_LICENSES.map((license) => license.device_id);

const PRIMARY = () => datasetOf({ users: USERS, licenses: PRIMARY_LICENSES });
const BACKUP = () => datasetOf({ users: BACKUP_USERS, licenses: BACKUP_LICENSES });

/** The stale pair, and no run before: the first run of a fresh installation. */
export async function loadStalePair(p: SyncPair): Promise<void> {
  await p.load(PRIMARY(), BACKUP());
}

/** The backup as an earlier good run left it (its base recorded), and the primary changed since: the hourly job's usual day. */
export async function loadSyncedThenChangedPrimary(p: SyncPair): Promise<void> {
  await syncedThenChanged(p, BACKUP(), PRIMARY(), SYNC_ARGS);
}

export function serverOf(p: SyncPair, side: Side): EmulatorHandle {
  return side === 'primary' ? p.primary : p.backup;
}

export function rejectedOn(run: JsonRun, side: Side) {
  return run.report.servers.find((server) => server.name === side)?.rejected ?? [];
}

/** Heals both servers and runs again, without --force: that run must end in sync with everything in place. */
export async function healedRun(p: SyncPair): Promise<JsonRun> {
  p.primary.emulator.intercept(null);
  p.backup.emulator.intercept(null);
  await Promise.all([p.primary.control.setFaults({}), p.backup.control.setFaults({})]);
  const healed = await runJson(p, SYNC_ARGS);
  expect(healed.exitCode, healed.stderr).toBe(0);
  expect(healed.report.outcome).toBe('in-sync');
  expect(await allowMismatches(p.primary, p.backup, PRIMARY_IDS)).toEqual([]);
  expect(await usernames(p.backup)).toEqual(USERS.map((user) => user.username).sort());
  const rows = await licenseRows(p.backup);
  for (const key of BACKUP_ONLY) expect(rows.has(key), `${key} deleted once healed`).toBe(false);
  return healed;
}

export const failedOperations = (...runs: JsonRun[]) => runs.reduce((sum, run) => sum + run.report.applied.summary.failed, 0);
