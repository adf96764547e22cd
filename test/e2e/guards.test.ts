import { describe, expect, it } from 'vitest';
import type { DeviceRow } from '../../src/emulator/dataset/dataset-file.js';
import type { EmulatorHandle } from '../support/emulator-fixture.js';
import { allowedLicense, datasetOf, useSyncPair, writesReceived } from '../support/sync-pair.js';
import { deviceIds, runJson, statusOn } from './support/e2e-helpers.js';

// Each guard of docs/replication-rules.md stops the run before its first write: exit 4,
// outcome "refused", the guard named in the report, and not one write on the
// backup although the run had writes to make. A single malformed record is not
// a guard: it is skipped and reported, and the rest syncs.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const licenses = (count: number, prefix = 'lic') =>
  Array.from({ length: count }, (_, index) => allowedLicense(`${prefix}-${String(index + 1).padStart(2, '0')}`));

/** The backup would get three creations if the run went on. */
const PRIMARY_WITH_WORK = () => datasetOf({ licenses: licenses(3) });

function expectRefusedBy(report: { outcome: string; exitCode: number; guards: readonly { guard: string; message: string }[] }, guard: string) {
  expect(report.outcome).toBe('refused');
  expect(report.exitCode).toBe(4);
  expect(report.guards.map((refusal) => refusal.guard)).toContain(guard);
}

describe('the account must be an admin on both servers', () => {
  it('refuses when the primary account is a reseller (role user)', async () => {
    const p = pair();
    await p.load(
      datasetOf({ users: [{ username: 'revenda-p', password: 'revenda-p-senha', role: 'user' }], licenses: licenses(3) }),
      datasetOf({}),
    );
    const { run, report } = await runJson(p, [], { env: { SYNC_DBS_PRIMARY_USER: 'revenda-p', SYNC_DBS_PRIMARY_PASSWORD: 'revenda-p-senha' } });
    expect(run.exitCode, run.stderr).toBe(4);
    expectRefusedBy(report, 'role');
    expect(report.guards).toEqual([{ guard: 'role', message: expect.stringContaining('primary') }]);
    expect(report.servers.find((server) => server.name === 'primary')?.role).toBe('user');
    expect(await writesReceived(p.backup)).toBe(0);
  });

  it('refuses when the backup account is a reseller (role user)', async () => {
    const p = pair();
    await p.load(PRIMARY_WITH_WORK(), datasetOf({ users: [{ username: 'revenda-b', password: 'revenda-b-senha', role: 'user' }] }));
    const { run, report } = await runJson(p, [], { env: { SYNC_DBS_BACKUP_USER: 'revenda-b', SYNC_DBS_BACKUP_PASSWORD: 'revenda-b-senha' } });
    expect(run.exitCode, run.stderr).toBe(4);
    expectRefusedBy(report, 'role');
    expect(report.guards).toEqual([{ guard: 'role', message: expect.stringContaining('backup') }]);
    expect(await writesReceived(p.backup)).toBe(0);
    expect(await deviceIds(p.backup)).toEqual([]);
  });

  it('accepts a reseller whose stored role is admin (control case)', async () => {
    const p = pair();
    const gerente = { username: 'gerente', password: 'gerente-senha', role: 'admin' } as const;
    await p.load(datasetOf({ users: [gerente], licenses: licenses(3) }), datasetOf({ users: [gerente] }));
    const { run, report } = await runJson(p, [], { env: { SYNC_DBS_BACKUP_USER: 'gerente', SYNC_DBS_BACKUP_PASSWORD: 'gerente-senha' } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.guards).toEqual([]);
    expect((await deviceIds(p.backup)).sort()).toEqual(['lic-01', 'lic-02', 'lic-03']);
  });
});

describe('an unreadable primary listing', () => {
  it.each(['html', 'truncated'] as const)('refuses when every listing of the primary comes back %s', async (mode) => {
    const p = pair();
    await p.load(PRIMARY_WITH_WORK(), datasetOf({}));
    await p.primary.control.setFaults({ malformedListing: { mode } });
    const { run, report } = await runJson(p, ['--retries', '2', '--retry-delay', '0.01', '--retry-max-delay', '0.02']);
    expect(run.exitCode, run.stderr).toBe(4);
    expectRefusedBy(report, 'unreadable-listing');
    expect(report.guards).toEqual([{ guard: 'unreadable-listing', message: expect.stringContaining('primary') }]);
    expect(report.failures).toContainEqual(expect.objectContaining({ server: 'primary', endpoint: 'GET /admin/devices' }));
    expect(report.plan).toBeNull();
    expect(await writesReceived(p.backup)).toBe(0);
    // --retries 2: the listing was asked for twice before giving up.
    expect((await p.primary.control.stats()).requests['GET /admin/devices']).toBe(2);
  });
});

describe('a primary that lists far fewer records', () => {
  const FIFTY = licenses(50);

  it('refuses a partial primary listing (10% of the rows) as shrunken-primary, even with --delete', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: FIFTY }), datasetOf({ licenses: FIFTY }));
    await p.primary.control.setFaults({ malformedListing: { mode: 'partial', keepFraction: 0.1 } });
    const { run, report } = await runJson(p, ['--delete', '--max-delete', '100']);
    expect(run.exitCode, run.stderr).toBe(4);
    expectRefusedBy(report, 'shrunken-primary');
    expect(report.guards).toEqual([{ guard: 'shrunken-primary', message: expect.stringMatching(/primary lists 5 licenses.*50/) }]);
    expect(await writesReceived(p.backup)).toBe(0);
    expect(await deviceIds(p.backup)).toHaveLength(50);
  });

  it('refuses a partial primary users listing as shrunken-primary', async () => {
    const p = pair();
    const users = Array.from({ length: 10 }, (_, index) => ({ username: `revenda-${index}`, password: `revenda-${index}-senha`, role: 'user' as const }));
    await p.load(datasetOf({ users, licenses: licenses(3) }), datasetOf({ users }));
    await p.primary.control.setFaults({ malformedListing: { mode: 'partial', endpoints: ['users'], keepFraction: 0.1 } });
    const { run, report } = await runJson(p);
    expect(run.exitCode, run.stderr).toBe(4);
    expectRefusedBy(report, 'shrunken-primary');
    expect(report.guards).toEqual([{ guard: 'shrunken-primary', message: expect.stringMatching(/primary lists 1 user .*10/) }]);
    expect(await writesReceived(p.backup)).toBe(0);
  });
});

describe('the deletion limit', () => {
  const PRIMARY = [allowedLicense('keep-1'), allowedLicense('new-1')];
  const BACKUP = [allowedLicense('keep-1'), allowedLicense('gone-1'), allowedLicense('gone-2'), allowedLicense('gone-3')];

  it('refuses --delete with more backup-only licenses than --max-delete', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: PRIMARY }), datasetOf({ licenses: BACKUP }));
    const { run, report } = await runJson(p, ['--delete', '--max-delete', '2']);
    expect(run.exitCode, run.stderr).toBe(4);
    expectRefusedBy(report, 'deletion-limit');
    expect(report.guards).toEqual([{ guard: 'deletion-limit', message: expect.stringMatching(/3 .*--max-delete 2/) }]);
    expect(await writesReceived(p.backup)).toBe(0);
    expect((await deviceIds(p.backup)).sort()).toEqual(['gone-1', 'gone-2', 'gone-3', 'keep-1']);
  });

  it('refuses --delete without --max-delete: the default limit is 0', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: PRIMARY }), datasetOf({ licenses: [allowedLicense('keep-1'), allowedLicense('gone-1')] }));
    const { run, report } = await runJson(p, ['--delete']);
    expect(run.exitCode, run.stderr).toBe(4);
    expectRefusedBy(report, 'deletion-limit');
    expect(report.guards[0]?.message).toMatch(/1 .*--max-delete 0/);
    expect(await writesReceived(p.backup)).toBe(0);
  });

  it('deletes when the backup-only licenses are within --max-delete (control case)', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: PRIMARY }), datasetOf({ licenses: BACKUP }));
    const { run, report } = await runJson(p, ['--delete', '--max-delete', '3']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect((await deviceIds(p.backup)).sort()).toEqual(['keep-1', 'new-1']);
  });
});

/** The primary's license listing as a client receives it, damaged or not. */
async function servedListing(server: EmulatorHandle): Promise<Record<string, unknown>[]> {
  const token = await server.login();
  const res = await server.request({ path: '/admin/devices', token });
  expect(res.status).toBe(200);
  return (res.json as { items: Record<string, unknown>[] }).items;
}

/** The true device_ids of the rows that a `bad-records` listing damaged (found by row id). */
async function damagedKeys(server: EmulatorHandle): Promise<string[]> {
  const rows = new Map<number, DeviceRow>((await server.control.state()).devices.map((row) => [row.id, row]));
  const keys: string[] = [];
  for (const item of await servedListing(server)) {
    const row = rows.get(Number(item.id));
    if (row === undefined) throw new Error(`listed row ${String(item.id)} is not in the state`);
    if (JSON.stringify(Object.entries(item).sort()) !== JSON.stringify(Object.entries(row).sort())) keys.push(row.device_id);
  }
  return keys.sort();
}

/** The device_ids that a `duplicate-ids` listing shows more than once. */
async function duplicatedKeys(server: EmulatorHandle): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const item of await servedListing(server)) counts.set(String(item.device_id), (counts.get(String(item.device_id)) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([key]) => key).sort();
}

describe('a malformed record does not stop the run', () => {
  const NINE = licenses(9, 'rec');
  const ALL_KEYS = NINE.map((license) => license.device_id);

  it('bad-records: skips and reports the damaged records, creates the rest, never creates a damaged key', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: NINE }), datasetOf({}));
    await p.primary.control.setFaults({ malformedListing: { mode: 'bad-records' } });
    const damaged = await damagedKeys(p.primary);
    expect(damaged).toHaveLength(3);

    const { run, report } = await runJson(p);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.guards).toEqual([]);
    // All three are reported; the keys they are reported under are their true ones (or none, when unreadable).
    const rejected = report.servers.find((server) => server.name === 'primary')?.rejected ?? [];
    expect(rejected).toHaveLength(3);
    for (const record of rejected) if (record.key !== null) expect(damaged).toContain(record.key);
    for (const key of report.skipped.byReason.unreadable?.keys ?? []) expect(damaged.map((k) => `license:${k}`)).toContain(key);
    expect((await deviceIds(p.backup)).sort()).toEqual(ALL_KEYS.filter((key) => !damaged.includes(key)));
  });

  it('bad-records with --delete: a damaged primary record never makes its backup copy look deletable', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: NINE }), datasetOf({ licenses: [...NINE, allowedLicense('backup-only-1')] }));
    await p.primary.control.setFaults({ malformedListing: { mode: 'bad-records' } });
    const damaged = await damagedKeys(p.primary);
    expect(damaged).toHaveLength(3);

    const { run, report } = await runJson(p, ['--delete', '--max-delete', '10']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.guards).toEqual([]);
    const deleted = report.applied.operations.filter((operation) => operation.kind === 'delete-license').map((operation) => operation.key);
    for (const key of damaged) expect(deleted, `the damaged record ${key} must not be deleted`).not.toContain(`license:${key}`);
    const left = await deviceIds(p.backup);
    for (const key of damaged) expect(left, `the damaged record ${key} is still on the backup`).toContain(key);
    for (const key of damaged) expect(await statusOn(p.backup, key)).toBe('active');
  });

  it('duplicate-ids: skips every copy of a repeated key, creates the rest, never creates a repeated key', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: NINE }), datasetOf({}));
    await p.primary.control.setFaults({ malformedListing: { mode: 'duplicate-ids' } });
    const repeated = await duplicatedKeys(p.primary);
    expect(repeated).toHaveLength(3);

    const { run, report } = await runJson(p);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.skipped.byReason.unreadable?.keys.slice().sort()).toEqual(repeated.map((key) => `license:${key}`));
    expect((await deviceIds(p.backup)).sort()).toEqual(ALL_KEYS.filter((key) => !repeated.includes(key)));
  });

  it('duplicate-ids with --delete: a repeated key is neither deleted nor re-statused on the backup', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: NINE }), datasetOf({ licenses: [...NINE, allowedLicense('backup-only-1')] }));
    await p.primary.control.setFaults({ malformedListing: { mode: 'duplicate-ids' } });
    const repeated = await duplicatedKeys(p.primary);
    expect(repeated).toHaveLength(3);

    const { run, report } = await runJson(p, ['--delete', '--max-delete', '10']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.guards).toEqual([]);
    const touched = report.applied.operations.map((operation) => operation.key);
    for (const key of repeated) expect(touched).not.toContain(`license:${key}`);
    // The legitimately backup-only license goes; the repeated keys stay, still active (the twins say blocked).
    expect(touched).toContain('license:backup-only-1');
    const left = await deviceIds(p.backup);
    for (const key of repeated) {
      expect(left).toContain(key);
      expect(await statusOn(p.backup, key)).toBe('active');
    }
  });
});
