import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/emulator/dataset/generator.js';
import { staleBackupOf } from '../../src/emulator/dataset/stale-backup.js';
import type { EmulatorHandle } from '../support/emulator-fixture.js';
import { TODAY, useSyncPair, writesReceived } from '../support/sync-pair.js';
import { countKinds, requestsOf } from './support/report.js';
import { runJson } from './support/e2e-helpers.js';
import { expectedPlan, operationLines } from './support/expected-plan.js';

// "A second run right after a successful one plans nothing": after a sync that
// used every kind of operation, the next run writes nothing and reads each
// server once.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const READS = ['GET /health', 'POST /admin/login', 'GET /admin/users', 'GET /admin/devices'] as const;

async function resetStats(...servers: EmulatorHandle[]) {
  await Promise.all(servers.map((server) => server.control.resetStats()));
}

describe('a second run right after a successful sync', () => {
  it('plans nothing, writes nothing, and reads each server once', async () => {
    const p = pair();
    const primary = generateDataset({ seed: 31, licenses: 150, today: TODAY });
    const backup = staleBackupOf(primary, { seed: 31, today: TODAY });
    await p.load(primary, backup);
    const flags = ['--delete', '--max-delete', '50'];

    const first = await runJson(p, flags);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.report.outcome).toBe('in-sync');
    expect(Object.keys(countKinds(first.report.plan?.operations ?? [])).sort()).toEqual([
      'activate',
      'block',
      'create-license',
      'create-user',
      'delete-license',
      'update-created-by',
      'update-license',
    ]);
    expect(operationLines(first.report.plan?.operations ?? [])).toEqual(expectedPlan(primary, backup, TODAY, { delete: true }));
    expect(first.report.applied.summary).toMatchObject({ done: first.report.plan?.operations.length, failed: 0 });
    expect(await writesReceived(p.backup)).toBeGreaterThan(0);

    await resetStats(p.primary, p.backup);
    const second = await runJson(p, flags);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.report.outcome).toBe('in-sync');
    expect(second.report.plan?.operations).toEqual([]);
    expect(second.report.applied.operations).toEqual([]);
    expect(second.report.verified?.relisted).toBe(false);
    expect(second.report.verified?.inSync).toBe(true);

    for (const server of [p.primary, p.backup]) {
      expect(await writesReceived(server)).toBe(0);
      const requests = await requestsOf(server);
      for (const route of READS) expect(requests[route] ?? 0, `${route} on ${server.url}`).toBeLessThanOrEqual(1);
      // Nothing beyond those reads (no retries, no extra listings, no writes).
      const others = Object.entries(requests).filter(([route]) => !(READS as readonly string[]).includes(route));
      expect(others, `other requests to ${server.url}`).toEqual([]);
      expect(requests['GET /admin/devices']).toBe(1);
    }
    expect((await p.backup.control.stats()).emailsSent).toBe(0);
  });
});
