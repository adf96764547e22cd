import { describe, expect, it } from 'vitest';
import { licenseDecision } from '../../src/domain/decision.js';
import { generateDataset } from '../../src/emulator/dataset/generator.js';
import { makeStaleBackup } from '../../src/emulator/dataset/stale-backup.js';
import { TODAY, useSyncPair } from '../support/sync-pair.js';
import { allowMap, disagreements } from './support/report.js';
import { runJson } from './support/e2e-helpers.js';

// What a backup exists for: after one sync, every client the primary knows
// gets the same allow/deny answer from the backup's /verify as from the
// primary's, whatever the backup looked like before.

const pair = useSyncPair();

describe('verify parity after a sync of a stale backup', () => {
  it('gives every primary device_id the same /verify answer on the backup, and copies every user', async () => {
    const p = pair();
    const primary = generateDataset({ seed: 4242, licenses: 300, today: TODAY });
    const stale = makeStaleBackup(primary, { seed: 4242, today: TODAY });
    await p.load(primary, stale.dataset);

    const deviceIds = primary.devices.map((row) => row.device_id);
    // The data covers every decision, so parity is not reached by allowing (or denying) everything.
    const decisions = new Set(primary.devices.map((row) => licenseDecision(row, TODAY)));
    expect([...decisions].sort()).toEqual(['allow', 'deny:blocked', 'deny:expired', 'deny:pending']);

    const expected = await allowMap(p.primary, deviceIds);
    const before = disagreements(expected, await allowMap(p.backup, deviceIds));
    // The stale backup answers differently for the licenses it lacks, blocks, activates, re-dates...
    expect(before.length).toBeGreaterThan(20);

    const { report, exitCode, stderr } = await runJson(p);
    expect(exitCode, stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.verified).toMatchObject({ inSync: true, relisted: true, remaining: [] });
    expect(report.applied.summary.failed).toBe(0);

    expect(disagreements(expected, await allowMap(p.backup, deviceIds))).toEqual([]);
    // And the primary was not changed along the way.
    expect(disagreements(expected, await allowMap(p.primary, deviceIds))).toEqual([]);

    const backupState = await p.backup.control.state();
    const backupUsers = new Set(backupState.users.map((user) => user.username));
    const missingUsers = primary.users.map((user) => user.username).filter((username) => !backupUsers.has(username));
    expect(missingUsers).toEqual([]);
    expect(stale.changes['user-missing'].length).toBeGreaterThan(0);
    // Created users carry the primary's email and role.
    for (const username of stale.changes['user-missing']) {
      const source = primary.users.find((user) => user.username === username);
      const copy = backupState.users.find((user) => user.username === username);
      expect(copy && { email: copy.email, role: copy.role }, username).toEqual(source && { email: source.email, role: source.role });
    }
  });
});
