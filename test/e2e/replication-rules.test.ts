import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { addMonths } from '../../src/domain/calendar-date.js';
import { describe, expect, it } from 'vitest';
import { ADMIN, allowedLicense, datasetOf, daysFromToday, monthsFromToday, TODAY, useSyncPair, writesReceived } from '../support/sync-pair.js';
import { contentOf, plannedFor, plannedKinds, requestsOf, requireLicense, stateLicense, stateUser } from './support/report.js';
import { runJson, verifyAllow } from './support/e2e-helpers.js';

// One test per replication rule of docs/replication-rules.md: a small primary/backup
// pair, the built CLI run once with --json, then both what the report planned
// (kind and reason) and what the backup holds afterwards.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const UPSERT = 'POST /admin/devices/create';
const STATUS = 'POST /admin/devices/:device_id/deactivate';

/** The new users' passwords the run handed over, by username. */
async function passwordsIn(file: string): Promise<Map<string, string>> {
  const passwords = new Map<string, string>();
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const [, server, username, password] = line.split('\t');
    if (server === 'backup' && username !== undefined && password !== undefined && !password.startsWith('(')) passwords.set(username, password);
  }
  return passwords;
}

describe('users', () => {
  it('creates a user missing on the backup with the primary’s email and role and a fresh password in a private file', async () => {
    const p = pair();
    await p.load(
      datasetOf({
        users: [
          { username: 'ana', password: 'ana-primary-pass', role: 'user', email: 'ana@revenda.com.br' },
          { username: 'bruno', password: 'bruno-primary-pass', role: 'admin', email: null },
        ],
      }),
      datasetOf({}),
    );

    const { report, exitCode, stdout, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(plannedFor(report, 'user:ana')).toEqual([expect.objectContaining({ server: 'backup', kind: 'create-user', reason: 'missing on the backup', email: 'ana@revenda.com.br', role: 'user' })]);
    expect(plannedFor(report, 'user:bruno')).toEqual([expect.objectContaining({ server: 'backup', kind: 'create-user', reason: 'missing on the backup', email: null, role: 'admin' })]);
    expect(report.applied.summary).toMatchObject({ done: 2, failed: 0 });

    const ana = await stateUser(p.backup, 'ana');
    const bruno = await stateUser(p.backup, 'bruno');
    expect(ana).toMatchObject({ email: 'ana@revenda.com.br', role: 'user' });
    expect(bruno).toMatchObject({ email: null, role: 'admin' });

    // The passwords: in a file only the operator can read, long, different, never the primary's.
    const file = report.newUserPasswordsFile;
    expect(file).not.toBeNull();
    expect(path.dirname(file as string)).toBe(p.stateDir);
    expect((await stat(file as string)).mode & 0o777).toBe(0o600);
    const passwords = await passwordsIn(file as string);
    const anaPassword = passwords.get('ana') ?? '';
    const brunoPassword = passwords.get('bruno') ?? '';
    expect(anaPassword.length).toBeGreaterThanOrEqual(20);
    expect(brunoPassword.length).toBeGreaterThanOrEqual(20);
    expect(anaPassword).not.toBe(brunoPassword);
    expect([anaPassword, brunoPassword]).not.toContain('ana-primary-pass');
    expect([anaPassword, brunoPassword]).not.toContain(ADMIN.password);
    for (const secret of [anaPassword, brunoPassword]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }

    // The new users can log in to the backup with them, and get their role.
    const login = async (username: string, password: string) =>
      (await p.backup.request({ method: 'POST', path: '/admin/login', body: { username, password } })).json as { role?: string };
    expect((await login('ana', anaPassword)).role).toBe('user');
    expect((await login('bruno', brunoPassword)).role).toBe('admin');
  });

  it('reports a user whose email or role differs as drift and leaves it untouched', async () => {
    const p = pair();
    await p.load(
      datasetOf({
        users: [
          { username: 'ana', password: 'ana-pass-1', role: 'user', email: 'ana@nova.com.br' },
          { username: 'bruno', password: 'bruno-pass-1', role: 'admin', email: 'bruno@revenda.com.br' },
        ],
      }),
      datasetOf({
        users: [
          { username: 'ana', password: 'ana-pass-2', role: 'user', email: 'ana@antiga.com.br' },
          { username: 'bruno', password: 'bruno-pass-2', role: 'user', email: 'bruno@revenda.com.br' },
        ],
      }),
    );
    const before = (await p.backup.control.state()).users;

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.plan?.operations).toEqual([]);
    expect(report.drift.byKind['user-email']).toMatchObject({ count: 1, examples: [expect.objectContaining({ key: 'ana' })] });
    expect(report.drift.byKind['user-role']).toMatchObject({ count: 1, examples: [expect.objectContaining({ key: 'bruno' })] });
    expect(report.drift.total).toBe(2);
    expect(await writesReceived(p.backup)).toBe(0);
    expect((await p.backup.control.state()).users).toEqual(before);
  });

  it('reports a user found only on the backup and never touches it', async () => {
    const p = pair();
    await p.load(
      datasetOf({ users: [{ username: 'ana', password: 'ana-pass-1', role: 'user', email: 'ana@revenda.com.br' }] }),
      datasetOf({
        users: [
          { username: 'ana', password: 'ana-pass-1', role: 'user', email: 'ana@revenda.com.br' },
          { username: 'zeca', password: 'zeca-pass-1', role: 'user', email: 'zeca@revenda.com.br' },
        ],
      }),
    );
    const zecaBefore = await stateUser(p.backup, 'zeca');

    const { report, exitCode, stderr } = await runJson(p, ['--delete', '--max-delete', '5']);
    expect(exitCode, stderr).toBe(0);
    expect(report.plan?.operations).toEqual([]);
    expect(report.skipped.byReason['backup-only']).toEqual({ count: 1, keys: ['user:zeca'] });
    expect(await writesReceived(p.backup)).toBe(0);
    expect(await stateUser(p.backup, 'zeca')).toEqual(zecaBefore);
  });
});

describe('licenses missing on the backup', () => {
  it('creates a license the primary allows with its content and created_by', async () => {
    const p = pair();
    const license = allowedLicense('dev-new', { license_type: 'semestral', owner_name: 'Maria da Silva', address: 'Rua B, 2, Boa Vista, Recife', created_by: 'ana' });
    await p.load(datasetOf({ licenses: [license] }), datasetOf({}));

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(plannedFor(report, 'license:dev-new')).toEqual([
      expect.objectContaining({ server: 'backup', kind: 'create-license', reason: 'missing on the backup', thenBlock: null, body: expect.objectContaining({ created_by: 'ana' }) }),
    ]);

    const row = await requireLicense(p.backup, 'dev-new');
    expect(contentOf(row)).toEqual(contentOf({ ...license, id: 1 }));
    expect(row.created_by).toBe('ana');
    expect(row.status).toBe('active');
    expect(await verifyAllow(p.backup, 'dev-new')).toBe(true);
  });

  it('creates a license the primary denies (blocked, pending, expired) and blocks it right after', async () => {
    const p = pair();
    const licenses = [
      allowedLicense('dev-blocked', { status: 'blocked' }),
      allowedLicense('dev-pending', { status: 'pending' }),
      allowedLicense('dev-expired', { license_type: 'mensal', start_date: daysFromToday(-40), end_date: daysFromToday(-9) }),
    ];
    await p.load(datasetOf({ licenses }), datasetOf({}));

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    for (const [deviceId, why] of [
      ['dev-blocked', 'blocked'],
      ['dev-pending', 'pending'],
      ['dev-expired', 'expired'],
    ] as const) {
      const [operation, ...others] = plannedFor(report, `license:${deviceId}`);
      expect(others).toEqual([]);
      expect(operation).toMatchObject({ server: 'backup', kind: 'create-license', reason: 'missing on the backup' });
      expect(operation?.kind === 'create-license' ? operation.thenBlock : null).toContain(why);
      expect(report.applied.operations.find((applied) => applied.key === `license:${deviceId}`)).toMatchObject({ status: 'done' });

      const row = await requireLicense(p.backup, deviceId);
      expect(row.status).toBe('blocked');
      expect(contentOf(row)).toEqual(contentOf({ ...(licenses.find((l) => l.device_id === deviceId) as (typeof licenses)[number]), id: 1 }));
      expect(await verifyAllow(p.backup, deviceId)).toBe(false);
    }
    const requests = await requestsOf(p.backup);
    expect(requests[UPSERT]).toBe(3);
    expect(requests[STATUS]).toBe(3);
  });
});

describe('licenses on both servers', () => {
  it('upserts a license whose content differs when the primary allows it', async () => {
    const p = pair();
    const primary = allowedLicense('dev-1', { owner_name: 'Nome Novo', cpf: '11144477735', email: 'novo@example.com', license_type: 'anual' });
    const backup = allowedLicense('dev-1', { owner_name: 'Nome Antigo', cpf: '52998224725', email: 'antigo@example.com', license_type: 'anual' });
    await p.load(datasetOf({ licenses: [primary] }), datasetOf({ licenses: [backup] }));

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    const operations = plannedFor(report, 'license:dev-1');
    expect(operations.map((operation) => operation.kind)).toEqual(['update-license']);
    expect(operations[0]?.reason).toMatch(/content differs/);
    expect(operations[0]?.reason).toContain('owner_name');
    expect(operations[0]?.reason).toContain('cpf');
    expect(operations[0]?.reason).toContain('email');

    const row = await requireLicense(p.backup, 'dev-1');
    expect(contentOf(row)).toEqual(contentOf({ ...primary, id: 1 }));
    expect(row.status).toBe('active');
    expect(await verifyAllow(p.backup, 'dev-1')).toBe(true);
    expect((await requestsOf(p.backup))[UPSERT]).toBe(1);
  });

  it('never upserts a license whose content differs while the primary denies it: drift instead', async () => {
    const p = pair();
    const denied = { owner_name: 'Nome Novo', email: 'novo@example.com' };
    const stale = { owner_name: 'Nome Antigo', email: 'antigo@example.com' };
    const expired = { license_type: 'mensal' as const, start_date: daysFromToday(-45), end_date: daysFromToday(-14) };
    await p.load(
      datasetOf({
        licenses: [
          allowedLicense('dev-blocked', { ...denied, status: 'blocked' }),
          allowedLicense('dev-pending', { ...denied, status: 'pending' }),
          allowedLicense('dev-expired', { ...denied, ...expired }),
        ],
      }),
      datasetOf({
        licenses: [
          allowedLicense('dev-blocked', { ...stale, status: 'blocked' }),
          allowedLicense('dev-pending', { ...stale, status: 'pending' }),
          allowedLicense('dev-expired', { ...stale, ...expired }),
        ],
      }),
    );
    const before = await p.backup.control.state();

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.plan?.operations).toEqual([]);
    const drift = report.drift.byKind['license-content-while-denied'];
    expect(drift?.count).toBe(3);
    expect(drift?.examples.map((example) => example.key).sort()).toEqual(['dev-blocked', 'dev-expired', 'dev-pending']);
    expect(await writesReceived(p.backup)).toBe(0);
    expect((await p.backup.control.state()).devices).toEqual(before.devices);
    for (const deviceId of ['dev-blocked', 'dev-pending', 'dev-expired']) expect(await verifyAllow(p.backup, deviceId)).toBe(false);
  });

  it('blocks, but does not upsert, a license the backup allows whose content differs and the primary blocks', async () => {
    const p = pair();
    await p.load(
      datasetOf({ licenses: [allowedLicense('dev-1', { owner_name: 'Nome Novo', status: 'blocked' })] }),
      datasetOf({ licenses: [allowedLicense('dev-1', { owner_name: 'Nome Antigo' })] }),
    );
    const before = await requireLicense(p.backup, 'dev-1');

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(plannedKinds(report)).toEqual(['block']);
    expect(report.drift.byKind['license-content-while-denied']?.count).toBe(1);
    const row = await requireLicense(p.backup, 'dev-1');
    expect(row).toEqual({ ...before, status: 'blocked' });
    expect((await requestsOf(p.backup))[UPSERT]).toBeUndefined();
  });

  it('sends update-created-by alone when only created_by differs: no upsert, dates kept, no e-mail', async () => {
    const p = pair();
    const dates = { start_date: daysFromToday(-100), end_date: daysFromToday(265) };
    await p.load(
      datasetOf({ licenses: [allowedLicense('dev-1', { ...dates, created_by: 'ana' }), allowedLicense('dev-2', { ...dates, created_by: 'admin' })] }),
      datasetOf({ licenses: [allowedLicense('dev-1', { ...dates, created_by: 'bruno' }), allowedLicense('dev-2', { ...dates, created_by: 'bruno' })] }),
    );
    const before = await p.backup.control.state();

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(plannedFor(report, 'license:dev-1')).toEqual([expect.objectContaining({ server: 'backup', kind: 'update-created-by', createdBy: 'ana' })]);
    expect(plannedFor(report, 'license:dev-2')).toEqual([expect.objectContaining({ server: 'backup', kind: 'update-created-by', createdBy: 'admin' })]);
    expect(report.plan?.operations).toHaveLength(2);

    const after = await p.backup.control.state();
    const dev1Before = before.devices.find((row) => row.device_id === 'dev-1');
    expect(after.devices.find((row) => row.device_id === 'dev-1')).toEqual({ ...dev1Before, created_by: 'ana' });
    expect((await requireLicense(p.backup, 'dev-2')).created_by).toBe('admin');
    const stats = await p.backup.control.stats();
    expect(stats.emailsSent).toBe(0);
    expect(stats.requests[UPSERT]).toBeUndefined();
    expect(stats.requests['POST /admin/devices/update-created-by']).toBe(2);
  });

  it('treats a null created_by on one side and "admin" on the other as the same owner: no write', async () => {
    const p = pair();
    await p.load(
      datasetOf({ licenses: [allowedLicense('dev-1', { created_by: null }), allowedLicense('dev-2', { created_by: 'admin' })] }),
      datasetOf({ licenses: [allowedLicense('dev-1', { created_by: 'admin' }), allowedLicense('dev-2', { created_by: null })] }),
    );
    const before = await p.backup.control.state();

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.plan?.operations).toEqual([]);
    expect(await writesReceived(p.backup)).toBe(0);
    expect((await p.backup.control.state()).devices).toEqual(before.devices);
  });

  it('compares content after trimming: surrounding spaces alone are no difference', async () => {
    const p = pair();
    await p.load(
      datasetOf({ licenses: [allowedLicense('dev-1', { owner_name: 'Maria Souza', email: 'maria@example.com' })] }),
      datasetOf({ licenses: [allowedLicense('dev-1', { owner_name: '  Maria Souza ', email: 'maria@example.com ' })] }),
    );

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.plan?.operations).toEqual([]);
    expect(await writesReceived(p.backup)).toBe(0);
  });

  it('blocks on the backup a license the primary denies (blocked, pending, expired) and the backup allows', async () => {
    const p = pair();
    const current = { start_date: daysFromToday(-10), end_date: monthsFromToday(1) };
    await p.load(
      datasetOf({
        licenses: [
          allowedLicense('dev-blocked', { ...current, status: 'blocked' }),
          allowedLicense('dev-pending', { ...current, status: 'pending' }),
          allowedLicense('dev-expired', { license_type: 'mensal', start_date: daysFromToday(-40), end_date: daysFromToday(-9) }),
        ],
      }),
      datasetOf({
        licenses: [
          allowedLicense('dev-blocked', current),
          allowedLicense('dev-pending', current),
          allowedLicense('dev-expired', { license_type: 'mensal', ...current }),
        ],
      }),
    );
    const before = await p.backup.control.state();

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    for (const [deviceId, why] of [
      ['dev-blocked', 'blocked on the primary'],
      ['dev-pending', 'pending on the primary'],
      ['dev-expired', 'expired on the primary'],
    ] as const) {
      const operations = plannedFor(report, `license:${deviceId}`);
      expect(operations.map((operation) => operation.kind)).toEqual(['block']);
      expect(operations[0]?.reason).toContain(why);
      const row = await requireLicense(p.backup, deviceId);
      expect(row).toEqual({ ...before.devices.find((r) => r.device_id === deviceId), status: 'blocked' });
      expect(await verifyAllow(p.backup, deviceId)).toBe(false);
    }
    expect((await requestsOf(p.backup))[UPSERT]).toBeUndefined();
  });

  it.each(['blocked', 'pending'] as const)('activates a license the primary allows and the backup has %s', async (status) => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('dev-1')] }), datasetOf({ licenses: [allowedLicense('dev-1', { status })] }));
    const before = await requireLicense(p.backup, 'dev-1');

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    const operations = plannedFor(report, 'license:dev-1');
    expect(operations.map((operation) => operation.kind)).toEqual(['activate']);
    expect(operations[0]?.reason).toContain(`${status} on the backup`);
    expect(await requireLicense(p.backup, 'dev-1')).toEqual({ ...before, status: 'active' });
    expect(await verifyAllow(p.backup, 'dev-1')).toBe(true);
  });

  it('re-owns and activates, in that order and without an upsert, a license the primary allows that the backup blocks under another owner', async () => {
    const p = pair();
    await p.load(
      datasetOf({ licenses: [allowedLicense('dev-1', { created_by: 'ana' })] }),
      datasetOf({ licenses: [allowedLicense('dev-1', { created_by: 'bruno', status: 'blocked' })] }),
    );
    const before = await requireLicense(p.backup, 'dev-1');

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(plannedFor(report, 'license:dev-1').map((operation) => operation.kind)).toEqual(['update-created-by', 'activate']);
    expect(await requireLicense(p.backup, 'dev-1')).toEqual({ ...before, status: 'active', created_by: 'ana' });
    expect((await requestsOf(p.backup))[UPSERT]).toBeUndefined();
  });

  it('never unblocks a license both servers deny for different reasons (pending on the primary, blocked on the backup)', async () => {
    const p = pair();
    await p.load(
      datasetOf({ licenses: [allowedLicense('dev-1', { status: 'pending' })] }),
      datasetOf({ licenses: [allowedLicense('dev-1', { status: 'blocked' })] }),
    );
    const before = await requireLicense(p.backup, 'dev-1');

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.plan?.operations).toEqual([]);
    expect(await writesReceived(p.backup)).toBe(0);
    expect(await requireLicense(p.backup, 'dev-1')).toEqual(before);
    expect(await verifyAllow(p.backup, 'dev-1')).toBe(false);
  });

  it('re-dates by upsert a license the primary allows and the backup has expired, saying the backup now runs longer', async () => {
    const p = pair();
    await p.load(
      datasetOf({ licenses: [allowedLicense('dev-1', { license_type: 'anual', start_date: monthsFromToday(-6), end_date: monthsFromToday(6) })] }),
      datasetOf({ licenses: [allowedLicense('dev-1', { license_type: 'anual', start_date: monthsFromToday(-14), end_date: monthsFromToday(-2) })] }),
    );

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    const operations = plannedFor(report, 'license:dev-1');
    expect(operations.map((operation) => operation.kind)).toEqual(['update-license']);
    const reason = operations[0]?.reason ?? '';
    expect(reason).toContain('expired on the backup');
    expect(reason).toMatch(/runs (until|longer)/);
    expect(reason).toContain(monthsFromToday(12));

    const row = await requireLicense(p.backup, 'dev-1');
    expect(row).toMatchObject({ status: 'active', start_date: TODAY, end_date: monthsFromToday(12) });
    expect(await verifyAllow(p.backup, 'dev-1')).toBe(true);
  });

  it('writes nothing when only dates, custom_interval, features or telemetry differ, and counts the drift', async () => {
    const p = pair();
    await p.load(
      datasetOf({
        licenses: [
          allowedLicense('dev-dates', { start_date: monthsFromToday(-6), end_date: monthsFromToday(6) }),
          allowedLicense('dev-interval', { custom_interval: 60 }),
          allowedLicense('dev-features', { features: 'core' }),
          allowedLicense('dev-telemetry'),
        ],
      }),
      datasetOf({
        licenses: [
          // As the API dates a license it creates: one year from its start.
          allowedLicense('dev-dates', { start_date: daysFromToday(-3), end_date: addMonths(daysFromToday(-3), 12) }),
          allowedLicense('dev-interval', { custom_interval: 240 }),
          allowedLicense('dev-features', { features: 'core,nfe' }),
          allowedLicense('dev-telemetry', { last_seen_at: `${TODAY} 08:15:00`, last_seen_ip: '10.0.0.7', last_hostname: 'CAIXA-02', last_version: '3.4.1' }),
        ],
      }),
    );
    const before = await p.backup.control.state();

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.plan?.operations).toEqual([]);
    expect(await writesReceived(p.backup)).toBe(0);
    expect((await p.backup.control.stats()).emailsSent).toBe(0);
    expect((await p.backup.control.state()).devices).toEqual(before.devices);
    const examples = (kind: keyof typeof report.drift.byKind) => report.drift.byKind[kind]?.examples.map((example) => example.key);
    expect(examples('license-custom-interval')).toEqual(['dev-interval']);
    expect(examples('license-features')).toEqual(['dev-features']);
    expect(report.drift.total).toBe(2);
    // Dates as the API sets them (one period from the start) and telemetry: the sync's own differences, not drift.
    const expected = (kind: keyof typeof report.expectedDifferences.byKind) => report.expectedDifferences.byKind[kind]?.examples.map((example) => example.key);
    expect(expected('license-dates')).toEqual(['dev-dates']);
    expect(expected('license-telemetry')).toEqual(['dev-telemetry']);
    expect(report.expectedDifferences.total).toBe(2);
  });
});

describe('licenses only on the backup', () => {
  const load = () =>
    pair().load(
      datasetOf({ licenses: [allowedLicense('dev-1')] }),
      datasetOf({ licenses: [allowedLicense('dev-1'), allowedLicense('dev-extra', { status: 'blocked' })] }),
    );

  it('keeps it and reports it as skipped without --delete', async () => {
    const p = pair();
    await load();

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.plan?.operations).toEqual([]);
    expect(report.skipped.byReason['backup-only']).toEqual({ count: 1, keys: ['license:dev-extra'] });
    expect(await writesReceived(p.backup)).toBe(0);
    expect(await stateLicense(p.backup, 'dev-extra')).toBeDefined();
  });

  it('deletes it with --delete --max-delete 1', async () => {
    const p = pair();
    await load();

    const { report, exitCode, stderr } = await runJson(p, ['--delete', '--max-delete', '1']);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.plan?.operations).toEqual([expect.objectContaining({ server: 'backup', kind: 'delete-license', key: 'license:dev-extra', reason: expect.stringContaining('only on the backup') })]);
    expect(report.applied.operations).toEqual([expect.objectContaining({ server: 'backup', kind: 'delete-license', key: 'license:dev-extra', status: 'done' })]);
    expect(await stateLicense(p.backup, 'dev-extra')).toBeUndefined();
    expect(await stateLicense(p.backup, 'dev-1')).toBeDefined();
    expect(await writesReceived(p.backup)).toBe(1);
  });
});
