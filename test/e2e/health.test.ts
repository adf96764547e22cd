import { describe, expect, it } from 'vitest';
import type { HealthResult } from '../../src/run/health-run.js';
import { allowedLicense, datasetOf, useSyncPair, writesReceived } from '../support/sync-pair.js';

// `sync-dbs health`: for each server, reachable and latency, login and role,
// record counts; exit 0 only when both are fine; never a write.

const pair = useSyncPair();

const PRIMARY = () =>
  datasetOf({
    users: [
      { username: 'revenda-1', password: 'revenda-1-senha', role: 'user' },
      { username: 'revenda-2', password: 'revenda-2-senha', role: 'admin' },
    ],
    licenses: [allowedLicense('h-1'), allowedLicense('h-2'), allowedLicense('h-3', { status: 'blocked' })],
  });
const BACKUP = () => datasetOf({ licenses: [allowedLicense('h-1')] });

async function expectNoWrites(p: ReturnType<typeof pair>): Promise<void> {
  expect(await writesReceived(p.primary)).toBe(0);
  expect(await writesReceived(p.backup)).toBe(0);
}

describe('sync-dbs health', () => {
  it('prints both servers with reachability, latency, login, role and counts; exit 0; writes nothing', async () => {
    const p = pair();
    await p.load(PRIMARY(), BACKUP());
    const run = await p.cli(['health']);
    expect(run.exitCode, run.stderr).toBe(0);
    const [primaryPart, backupPart] = run.stdout.split('\n\n');
    expect(primaryPart).toContain(`primary ${p.primary.url}`);
    expect(primaryPart).toMatch(/reachable: yes \(\d+ ms\)/);
    expect(primaryPart).toMatch(/login: works, role admin/);
    expect(primaryPart).toMatch(/records: 2 users, 3 licenses/);
    expect(backupPart).toContain(`backup  ${p.backup.url}`);
    expect(backupPart).toMatch(/reachable: yes \(\d+ ms\)/);
    expect(backupPart).toMatch(/login: works, role admin/);
    expect(backupPart).toMatch(/records: 0 users, 1 license/);
    expect(run.stdout).toMatch(/Healthy/);
    await expectNoWrites(p);
  });

  it('--json gives the same facts as one document', async () => {
    const p = pair();
    await p.load(PRIMARY(), BACKUP());
    const run = await p.cli(['health', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const health = run.json<HealthResult>();
    expect(health.exitCode).toBe(0);
    expect(health.servers).toEqual([
      expect.objectContaining({ server: 'primary', url: p.primary.url, reachable: true, loginWorks: true, role: 'admin', users: 2, licenses: 3, unreadableRecords: 0, problem: null }),
      expect.objectContaining({ server: 'backup', url: p.backup.url, reachable: true, loginWorks: true, role: 'admin', users: 0, licenses: 1, unreadableRecords: 0, problem: null }),
    ]);
    for (const server of health.servers) expect(server.latencyMs).toEqual(expect.any(Number));
    await expectNoWrites(p);
  });

  it('exits 3 when one server is down, still reporting the other', async () => {
    const p = pair();
    await p.load(PRIMARY(), BACKUP());
    await p.backup.control.setFaults({ down: true });
    const run = await p.cli(['health', '--json', '--wake-timeout', '0']);
    expect(run.exitCode, run.stderr).toBe(3);
    const health = run.json<HealthResult>();
    expect(health.exitCode).toBe(3);
    expect(health.servers[0]).toMatchObject({ server: 'primary', reachable: true, loginWorks: true, role: 'admin', licenses: 3 });
    expect(health.servers[1]).toMatchObject({ server: 'backup', reachable: false, latencyMs: null, loginWorks: null, licenses: null });
    expect(health.servers[1]?.problem).toMatch(/GET \/health/);

    const text = await p.cli(['health', '--wake-timeout', '0']);
    expect(text.exitCode).toBe(3);
    expect(text.stdout).toMatch(/backup .*\n\s+reachable: no/);
    expect(text.stdout).toMatch(/NOT healthy/);
    await expectNoWrites(p);
  });

  it('exits 3 when a login is refused, and 4 when an account is not an admin', async () => {
    const p = pair();
    await p.load(PRIMARY(), BACKUP());
    const refused = await p.cli(['health', '--json'], { env: { SYNC_DBS_PRIMARY_PASSWORD: 'wrong-password' } });
    expect(refused.exitCode).toBe(3);
    expect(refused.json<HealthResult>().servers[0]).toMatchObject({ server: 'primary', reachable: true, loginWorks: false, role: null });

    const reseller = await p.cli(['health', '--json'], { env: { SYNC_DBS_PRIMARY_USER: 'revenda-1', SYNC_DBS_PRIMARY_PASSWORD: 'revenda-1-senha' } });
    expect(reseller.exitCode).toBe(4);
    expect(reseller.json<HealthResult>().servers[0]).toMatchObject({ server: 'primary', loginWorks: true, role: 'user', problem: expect.stringMatching(/not an admin/) });
    await expectNoWrites(p);
  });
});
