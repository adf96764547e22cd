import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/emulator/password-hash.js';
import { allowedLicense, datasetOf, useSyncPair, writesReceived } from '../support/sync-pair.js';
import { closedPort, deviceIds, runJson, seedForFailures } from './support/e2e-helpers.js';

// The exit codes a scheduler acts on: 0 in sync, 1 some writes failed, 2 usage
// or configuration error, 3 unreachable or login refused (4, a guard refused,
// is covered in guards.test.ts). Each case through the built CLI.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

/** No SYNC_DBS_* variable at all (the pair's environment sets them). */
const NO_CONFIG_ENV = {
  SYNC_DBS_PRIMARY_URL: undefined,
  SYNC_DBS_PRIMARY_USER: undefined,
  SYNC_DBS_PRIMARY_PASSWORD: undefined,
  SYNC_DBS_BACKUP_URL: undefined,
  SYNC_DBS_BACKUP_USER: undefined,
  SYNC_DBS_BACKUP_PASSWORD: undefined,
  SYNC_DBS_STATE_DIR: undefined,
  SYNC_DBS_RETRY_DELAY: undefined,
  SYNC_DBS_RETRY_MAX_DELAY: undefined,
  SYNC_DBS_WAKE_TIMEOUT: undefined,
};

async function requestsReceived(p: ReturnType<typeof pair>): Promise<number> {
  const [primary, backup] = await Promise.all([p.primary.control.stats(), p.backup.control.stats()]);
  return [...Object.values(primary.requests), ...Object.values(backup.requests)].reduce((sum, count) => sum + count, 0);
}

describe('exit 0: in sync', () => {
  it('exits 0 with outcome in-sync when the backup already matches, and after a sync that made it match', async () => {
    const p = pair();
    const same = [allowedLicense('same-1'), allowedLicense('same-2', { status: 'blocked' })];
    await p.load(datasetOf({ licenses: same }), datasetOf({ licenses: same }));
    const matching = await runJson(p);
    expect(matching.run.exitCode, matching.run.stderr).toBe(0);
    expect(matching.report).toMatchObject({ outcome: 'in-sync', exitCode: 0, failures: [], guards: [] });
    expect(await writesReceived(p.backup)).toBe(0);

    await p.load(datasetOf({ licenses: [...same, allowedLicense('new-1')] }), datasetOf({ licenses: same }));
    const synced = await runJson(p);
    expect(synced.run.exitCode, synced.run.stderr).toBe(0);
    expect(synced.report).toMatchObject({ outcome: 'in-sync', exitCode: 0, verified: { inSync: true, relisted: true } });
    expect(synced.report.applied.summary).toMatchObject({ done: 1, failed: 0 });
  });
});

describe('exit 1: writes failed', () => {
  it('exits 1 when every write to the backup fails, naming server, endpoint and key of each failure', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('fail-1'), allowedLicense('fail-2')] }), datasetOf({}));
    // Login is a POST too, so "rate 1, scope writes" would refuse the login itself (exit 3).
    // A seed that lets the login through and fails the next four writes: 2 upserts x --retries 2.
    const seed = seedForFailures(0.9, ['pass', 'fail', 'fail', 'fail', 'fail']);
    await p.backup.control.setFaults({ seed, failures: { rate: 0.9, kinds: ['503'], scope: 'writes', afterHandlerShare: 0 } });

    const { run, report } = await runJson(p, ['--retries', '2', '--concurrency', '1']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(report.outcome).toBe('failed');
    expect(report.exitCode).toBe(1);
    expect(report.applied.summary).toMatchObject({ done: 0, failed: 2 });
    const failures = [...report.failures].sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(failures).toEqual([
      { server: 'backup', endpoint: 'POST /admin/devices/create', key: 'fail-1', reason: expect.stringContaining('503') },
      { server: 'backup', endpoint: 'POST /admin/devices/create', key: 'fail-2', reason: expect.stringContaining('503') },
    ]);
    expect(report.verified).toMatchObject({ inSync: false, relisted: true });
    expect((await p.backup.control.stats()).requests['POST /admin/devices/create']).toBe(4);
    expect(await deviceIds(p.backup)).toEqual([]);
  });

  it('exits 1 when the backup rejects a write (a username taken by a panel administrator)', async () => {
    const p = pair();
    // "painel" is a panel administrator on the backup (not listed by /admin/users), so creating a reseller "painel" is a 400.
    const backup = datasetOf({});
    const withPanelAdmin = { ...backup, admin_users: [...backup.admin_users, { username: 'painel', password_hash: hashPassword('painel-senha'), must_change_password: false }] };
    await p.load(datasetOf({ users: [{ username: 'painel', password: 'reseller-pass', role: 'user' }] }), withPanelAdmin);
    const { run, report } = await runJson(p);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(report.outcome).toBe('failed');
    expect(report.failures).toEqual([{ server: 'backup', endpoint: 'POST /admin/users/create', key: 'painel', reason: expect.stringContaining('400') }]);
  });
});

describe('exit 2: usage or configuration error', () => {
  it('exits 2 for an unknown flag, before contacting any server', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('x-1')] }), datasetOf({}));
    const run = await p.cli(['--frobnicate']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/frobnicate/);
    expect(run.stdout).toBe('');
    expect(await requestsReceived(p)).toBe(0);
  });

  it('refuses a password given as a flag without echoing it', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('x-1')] }), datasetOf({}));
    const secret = 'Flag-Pass-Zq81xW';
    const run = await p.cli(['--primary-password', secret], { env: { SYNC_DBS_PRIMARY_PASSWORD: undefined } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--primary-password/);
    expect(run.stderr).toMatch(/not accepted on the command line/);
    expect(run.stderr + run.stdout).not.toContain(secret);
    expect(await requestsReceived(p)).toBe(0);
  });

  it('refuses a password flag of the form --backup-password=value without echoing it', async () => {
    const p = pair();
    const secret = 'Eq-Form-Pass-77tR';
    const run = await p.cli([`--backup-password=${secret}`, '--json']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--backup-password/);
    expect(run.stderr + run.stdout).not.toContain(secret);
  });

  it('exits 2 when SYNC_DBS_ENV_FILE names a file that does not exist', async () => {
    const p = pair();
    const run = await p.cli([], { env: { SYNC_DBS_ENV_FILE: 'absent.env' } });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/SYNC_DBS_ENV_FILE.*cannot read .*absent\.env/);
    expect(await requestsReceived(p)).toBe(0);
  });

  it('stops before any request when --env-file names a file that does not exist', async () => {
    // Node.js itself checks a script's --env-file argument and exits 9 when the
    // file is missing (nodejs/node#54232); where it does not, sync-dbs exits 2.
    const p = pair();
    const run = await p.cli(['--env-file', 'absent.env']);
    expect([2, 9], run.stderr).toContain(run.exitCode);
    expect(run.stderr).toMatch(/absent\.env/);
    expect(await requestsReceived(p)).toBe(0);
  });

  it('lists every missing setting at once', async () => {
    const p = pair();
    const run = await p.cli([], { env: NO_CONFIG_ENV });
    expect(run.exitCode).toBe(2);
    for (const missing of ['--primary-url', '--primary-user', '--backup-url', '--backup-user', 'primary password', 'backup password']) {
      expect(run.stderr).toContain(missing);
    }
    // One problem per line, all in one message.
    expect(run.stderr.split('\n').filter((line) => /^\s+- /.test(line))).toHaveLength(6);
    expect(await requestsReceived(p)).toBe(0);
  });

  it('refuses plain http to a host other than this machine, unless --allow-insecure-http', async () => {
    const p = pair();
    const run = await p.cli([], { env: { SYNC_DBS_BACKUP_URL: 'http://backup.example.com' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/SYNC_DBS_BACKUP_URL/);
    expect(run.stderr).toMatch(/plain http to backup\.example\.com/);
    expect(run.stderr).toMatch(/--allow-insecure-http/);
    expect(await requestsReceived(p)).toBe(0);

    // 0.0.0.0 reaches this machine but is not a loopback name: refused, then accepted with the flag.
    await p.load(datasetOf({ licenses: [allowedLicense('x-1')] }), datasetOf({}));
    const viaAnyAddress = { SYNC_DBS_BACKUP_URL: p.backup.url.replace('127.0.0.1', '0.0.0.0') };
    const refused = await p.cli([], { env: viaAnyAddress });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/plain http to 0\.0\.0\.0/);
    const allowed = await p.cli(['--allow-insecure-http'], { env: viaAnyAddress });
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(await deviceIds(p.backup)).toEqual(['x-1']);
  });

  it('reports problems in several settings at once (bad number, bad ratio, same server twice)', async () => {
    const p = pair();
    const run = await p.cli(['--concurrency', '0', '--min-primary-ratio', '2'], { env: { SYNC_DBS_BACKUP_URL: p.primary.url } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/--concurrency \(flag\).*"0"/);
    expect(run.stderr).toMatch(/--min-primary-ratio \(flag\).*"2"/);
    expect(run.stderr).toMatch(/SYNC_DBS_BACKUP_URL.*must name another server/);
  });
});

describe('exit 3: unreachable or login refused', () => {
  it('exits 3 when nothing listens on the backup port', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('x-1')] }), datasetOf({}));
    const port = await closedPort();
    const { run, report } = await runJson(p, ['--wake-timeout', '0'], { env: { SYNC_DBS_BACKUP_URL: `http://127.0.0.1:${port}` } });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(report.outcome).toBe('unreachable');
    expect(report.failures).toEqual([{ server: 'backup', endpoint: 'GET /health', key: null, reason: expect.stringMatching(/connection refused/) }]);
    expect(report.plan).toBeNull();
  });

  it('exits 3 when the login is refused (wrong password), writing nothing', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('x-1')] }), datasetOf({}));
    const { run, report } = await runJson(p, [], { env: { SYNC_DBS_PRIMARY_PASSWORD: 'not-the-password' } });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(report.outcome).toBe('unreachable');
    expect(report.failures).toEqual([{ server: 'primary', endpoint: 'POST /admin/login', key: 'admin', reason: expect.stringContaining('401') }]);
    expect(await writesReceived(p.backup)).toBe(0);
    // A refused login is not retried: one attempt, no lock-out risk.
    expect((await p.primary.control.stats()).requests['POST /admin/login']).toBe(1);
  });

  it('exits 3 when the primary origin is down (tunnel error page) with a small --wake-timeout', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('x-1')] }), datasetOf({}));
    await p.primary.control.setFaults({ down: true });
    const started = Date.now();
    const { run, report } = await runJson(p, ['--wake-timeout', '1']);
    expect(run.exitCode, run.stderr).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(report.outcome).toBe('unreachable');
    expect(report.failures).toEqual([{ server: 'primary', endpoint: 'GET /health', key: null, reason: expect.stringMatching(/530|not awake/) }]);
    expect(await writesReceived(p.backup)).toBe(0);
  });
});
