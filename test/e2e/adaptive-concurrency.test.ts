import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/emulator/dataset/generator.js';
import { freshDataset } from '../support/license-api-helpers.js';
import { TODAY, useSyncPair } from '../support/sync-pair.js';
import { expectSameAllowEverywhere, runJson, type JsonRun } from './support/e2e-helpers.js';

// A saturated backup: it serves 20 requests a second, the rest queue, so that
// latency grows with the requests in flight. With a 1 s request timeout, 64
// writes in flight wait about 3 s each and time out; the adaptive limit finds
// the few the server can take and loses nothing.

const pair = useSyncPair();

const PRIMARY = generateDataset({ seed: 18, licenses: 120, users: 10, today: TODAY });
const SATURATED = { latency: { fixedMs: 50, jitterMs: 0 }, capacity: { requestsPerSecond: 20 } };
const ARGS = ['--timeout', '1', '--retries', '2'];

function backupWrites(run: JsonRun) {
  return run.report.servers.find((server) => server.name === 'backup')?.writes ?? null;
}

describe('a saturated backup (20 requests/s, 1 s timeout)', () => {
  it('is filled without a failed operation by the adaptive limit, where a fixed 64 in flight times out and fails', { timeout: 90_000 }, async () => {
    const p = pair();
    await p.load(PRIMARY, freshDataset());
    await p.backup.control.setFaults(SATURATED);
    const adaptive = await runJson(p, [...ARGS, '--log-level', 'debug']);
    expect(adaptive.exitCode, adaptive.stderr.slice(-3000)).toBe(0);
    expect(adaptive.report.outcome).toBe('in-sync');
    expect(adaptive.report.failures).toEqual([]);
    expect(adaptive.report.applied.summary).toMatchObject({ failed: 0, notSent: 0, done: adaptive.report.plan?.operations.length });
    const writes = backupWrites(adaptive);
    expect(writes?.concurrency.max).toBeLessThanOrEqual(12);
    expect(writes?.maxLatencyMs).toBeLessThan(1_000);
    expect(writes?.perSecond).toBeGreaterThan(20 * 0.7);
    expect(adaptive.stderr).not.toMatch(/no answer within/);
    expect(adaptive.stderr).toMatch(/backup: write concurrency 4 -> 5 \(latency steady/);
    await p.backup.control.setFaults({});
    await expectSameAllowEverywhere(p.primary, p.backup);

    await p.load(PRIMARY, freshDataset());
    await p.backup.control.setFaults(SATURATED);
    const fixed = await runJson(p, [...ARGS, '--concurrency', '64']);
    expect(fixed.exitCode).not.toBe(0);
    expect(fixed.report.outcome).toBe('failed');
    expect(fixed.report.failures.length).toBeGreaterThan(0);
    expect(fixed.report.failures.every((failure) => failure.server === 'backup' && /no answer within 1 s/.test(failure.reason))).toBe(true);
    expect(backupWrites(fixed)?.concurrency.max).toBe(64);
  });
});
