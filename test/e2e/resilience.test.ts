import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/emulator/dataset/dataset-file.js';
import { allowedLicense, datasetOf, daysFromToday, useSyncPair } from '../support/sync-pair.js';
import { deviceIds, expectSameAllowEverywhere, runJson, seedForFailures, statusOn } from './support/e2e-helpers.js';

// The run survives what free hosting does to it (flaky proxies, rate limits,
// redeploys that invalidate tokens, sleeping servers) and still leaves a
// backup that gives every client the primary's allow/deny.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

/** A primary with every kind of decision, and a stale backup that needs every kind of write. */
function stalePair(): { primary: Dataset; backup: Dataset } {
  const primary = [
    allowedLicense('ok-01'),
    allowedLicense('ok-02', { owner_name: 'Novo Dono' }),
    allowedLicense('ok-03'),
    allowedLicense('ok-04', { license_type: 'vitalicia', end_date: null }),
    allowedLicense('ok-05'),
    allowedLicense('ok-06', { created_by: 'revenda-a' }),
    allowedLicense('blocked-01', { status: 'blocked' }),
    allowedLicense('blocked-02', { status: 'blocked' }),
    allowedLicense('pending-01', { status: 'pending' }),
    allowedLicense('expired-01', { end_date: daysFromToday(-3) }),
    allowedLicense('reactivated-01'),
  ];
  const backup = [
    allowedLicense('ok-01'),
    allowedLicense('ok-02', { owner_name: 'Dono Antigo' }),
    allowedLicense('ok-06', { created_by: 'admin' }),
    allowedLicense('blocked-01'),
    allowedLicense('reactivated-01', { status: 'blocked' }),
    allowedLicense('backup-only-01'),
  ];
  const users = [
    { username: 'revenda-a', password: 'revenda-a-senha', role: 'user' as const, email: 'a@revenda.com.br' },
    { username: 'revenda-b', password: 'revenda-b-senha', role: 'admin' as const },
  ];
  return { primary: datasetOf({ users, licenses: primary }), backup: datasetOf({ licenses: backup }) };
}

async function expectNothingLeftToDo(p: ReturnType<typeof pair>): Promise<void> {
  await Promise.all([p.primary.control.setFaults({}), p.backup.control.setFaults({})]);
  const again = await runJson(p);
  expect(again.run.exitCode, again.run.stderr).toBe(0);
  expect(again.report.plan?.operations).toEqual([]);
}

describe('transient failures', () => {
  it('ends in sync through 502/503/resets on 30% of requests, half of them after the server did the work', async () => {
    const p = pair();
    const { primary, backup } = stalePair();
    await p.load(primary, backup);
    // At most 3 failures in a row for one request, so that 6 attempts always get through whatever order the requests take.
    const failures = {
      rate: 0.3,
      kinds: ['502', '503', 'reset'] as ('502' | '503' | 'reset')[],
      scope: 'all' as const,
      afterHandlerShare: 0.5,
      maxInARow: 3,
    };
    // The primary gets few requests: a seed that passes /health and fails the first login attempt.
    await p.primary.control.setFaults({ seed: seedForFailures(0.3, ['pass', 'fail', 'pass']), failures });
    await p.backup.control.setFaults({ seed: 13, failures });

    const { run, report } = await runJson(p, ['--retries', '6', '--retry-delay', '0.01', '--retry-max-delay', '0.05']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.failures).toEqual([]);
    expect(report.applied.summary.failed).toBe(0);
    expect(report.applied.summary.done).toBeGreaterThanOrEqual(10);

    // Faults really struck, on both servers, and some writes were applied with their answer lost.
    const [primaryStats, backupStats] = await Promise.all([p.primary.control.stats(), p.backup.control.stats()]);
    const injected = (faults: Record<string, number>) => Object.values(faults).reduce((sum, count) => sum + count, 0);
    expect(injected(primaryStats.faults)).toBeGreaterThan(0);
    expect(injected(backupStats.faults)).toBeGreaterThan(2);
    expect(Object.keys(backupStats.faults).some((name) => name.endsWith('-after-handler'))).toBe(true);

    await expectSameAllowEverywhere(p.primary, p.backup);
    expect((await p.backup.control.state()).users.map((user) => user.username).sort()).toEqual(['revenda-a', 'revenda-b']);
    await expectNothingLeftToDo(p);
  });
});

describe('a listing damaged once', () => {
  it.each(['truncated', 'html'] as const)('reads a %s listing again and ends in sync', async (mode) => {
    const p = pair();
    const { primary, backup } = stalePair();
    await p.load(primary, backup);
    await p.primary.control.setFaults({ malformedListing: { mode, endpoints: ['devices'], times: 1 } });
    await p.backup.control.setFaults({ malformedListing: { mode, endpoints: ['users'], times: 1 } });
    const { run, report } = await runJson(p);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.guards).toEqual([]);
    expect((await p.primary.control.stats()).requests['GET /admin/devices']).toBe(2);
    await expectSameAllowEverywhere(p.primary, p.backup);
  });
});

describe('rate limiting', () => {
  it('waits as long as Retry-After says on 429 answers and ends in sync', async () => {
    const p = pair();
    const { primary, backup } = stalePair();
    await p.load(primary, backup);
    await p.backup.control.setFaults({ rateLimit: { requests: 8, windowMs: 1000 } });

    // Retry-After is whole seconds (1 here); --retry-max-delay 0.2 keeps the client's cap on it (10x) above that.
    const { run, report } = await runJson(p, ['--retries', '6', '--retry-delay', '0.01', '--retry-max-delay', '0.2']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    const limited = (await p.backup.control.stats()).faults['rate-limited'] ?? 0;
    expect(limited).toBeGreaterThan(0);
    // At least one Retry-After (1 s) was waited out; tiny retry delays alone would take a few tens of ms.
    expect(report.durationMs).toBeGreaterThanOrEqual(1000);
    await expectSameAllowEverywhere(p.primary, p.backup);
  });
});

describe('tokens revoked mid-run', () => {
  it('logs in again once per server when a redeploy invalidates every token, and ends in sync', async () => {
    const p = pair();
    const { primary, backup } = stalePair();
    await p.load(primary, backup);
    await p.backup.control.setFaults({ revokeTokens: { afterRequests: 5 } });
    await p.primary.control.setFaults({ revokeTokens: { afterRequests: 2 } });

    const { run, report } = await runJson(p);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    const [primaryStats, backupStats] = await Promise.all([p.primary.control.stats(), p.backup.control.stats()]);
    expect(backupStats.faults['tokens-revoked']).toBe(1);
    expect(primaryStats.faults['tokens-revoked']).toBe(1);
    expect(backupStats.requests['POST /admin/login']).toBe(2);
    expect(primaryStats.requests['POST /admin/login']).toBe(2);
    await expectSameAllowEverywhere(p.primary, p.backup);
  });
});

describe('a sleeping server', () => {
  it('waits out a cold start (503 pages for 1.5 s) through /health and ends in sync', async () => {
    const p = pair();
    const { primary, backup } = stalePair();
    await p.load(primary, backup);
    await p.primary.control.setFaults({ coldStart: { idleMs: 60_000, wakeMs: 1500, mode: 'error', asleepNow: true } });
    await p.backup.control.setFaults({ coldStart: { idleMs: 60_000, wakeMs: 1500, mode: 'error', asleepNow: true } });

    const { run, report } = await runJson(p, ['--wake-timeout', '10']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    const [primaryStats, backupStats] = await Promise.all([p.primary.control.stats(), p.backup.control.stats()]);
    for (const stats of [primaryStats, backupStats]) {
      expect(stats.faults['cold-start-503']).toBeGreaterThanOrEqual(1);
      expect(stats.requests['GET /health']).toBeGreaterThanOrEqual(2);
      // The 503 pages went to /health only: the run logged in once the server was awake.
      expect(stats.faults['cold-start-503']).toBe((stats.requests['GET /health'] ?? 0) - 1);
    }
    expect(run.stderr).toMatch(/waiting for the server to wake up/);
    await expectSameAllowEverywhere(p.primary, p.backup);
  });
});

describe('a new license whose block fails', () => {
  const inSync = [allowedLicense('same-01'), allowedLicense('same-02', { status: 'blocked' })];

  it('deletes the license it just created when the block cannot be applied, so the backup never lets that client in', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [...inSync, allowedLicense('blk-01', { status: 'blocked' })] }), datasetOf({ licenses: inSync }));
    // Backup writes in order: login, upsert, block (x2 with --retries 2), delete. Only the blocks fail.
    const seed = seedForFailures(0.5, ['pass', 'pass', 'fail', 'fail', 'pass']);
    await p.backup.control.setFaults({ seed, failures: { rate: 0.5, kinds: ['503'], scope: 'writes', afterHandlerShare: 0 } });

    const { run, report } = await runJson(p, ['--retries', '2', '--concurrency', '1']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(report.outcome).toBe('failed');
    expect(report.failures).toEqual([
      { server: 'backup', endpoint: 'POST /admin/devices/:device_id/deactivate', key: 'blk-01', reason: expect.stringContaining('deleted again') },
    ]);
    const requests = (await p.backup.control.stats()).requests;
    expect(requests['POST /admin/devices/create']).toBe(1);
    expect(requests['POST /admin/devices/:device_id/deactivate']).toBe(2);
    expect(requests['DELETE /admin/devices/:device_id/delete']).toBe(1);
    expect(await deviceIds(p.backup)).not.toContain('blk-01');
    await expectSameAllowEverywhere(p.primary, p.backup);

    // Healed, the next run creates and blocks it.
    const next = await runJson(p);
    expect(next.run.exitCode, next.run.stderr).toBe(0);
    expect(await statusOn(p.backup, 'blk-01')).toBe('blocked');
    await expectSameAllowEverywhere(p.primary, p.backup);
  });

  it('says plainly when neither the block nor the removal worked', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [...inSync, allowedLicense('blk-01', { status: 'blocked' })] }), datasetOf({ licenses: inSync }));
    const seed = seedForFailures(0.5, ['pass', 'pass', 'fail', 'fail', 'fail', 'fail']);
    await p.backup.control.setFaults({ seed, failures: { rate: 0.5, kinds: ['503'], scope: 'writes', afterHandlerShare: 0 } });

    const { run, report } = await runJson(p, ['--retries', '2', '--concurrency', '1']);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(report.failures).toEqual([{ server: 'backup', endpoint: expect.any(String), key: 'blk-01', reason: expect.stringMatching(/may allow this license/) }]);
    expect(report.verified?.inSync).toBe(false);
    expect(report.verified?.remaining.map((operation) => `${operation.kind} ${operation.key}`)).toEqual(['block license:blk-01']);
  });
});
