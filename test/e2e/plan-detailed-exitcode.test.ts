import { describe, expect, it } from 'vitest';
import { allowedLicense, datasetOf, useSyncPair, writesReceived } from '../support/sync-pair.js';
import { closedPort } from './support/e2e-helpers.js';

// `plan --detailed-exitcode`, as terraform's: 0 nothing to write, 2 the plan
// has changes, 1 any error; the JSON report keeps the outcome and the
// ordinary exit code, for whoever needs to know which error.

const pair = useSyncPair();

describe('plan --detailed-exitcode', () => {
  it('exits 2 while a sync would write, 0 once in step, writing nothing itself; without the flag both exit 0', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('plan-1'), allowedLicense('plan-2')] }), datasetOf({}));

    const changes = await p.cli(['plan', '--detailed-exitcode', '--json']);
    expect(changes.exitCode, changes.stderr).toBe(2);
    expect(changes.json()).toMatchObject({ command: 'plan', outcome: 'changes-pending', exitCode: 0 });
    const plain = await p.cli(['plan']);
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(await writesReceived(p.backup)).toBe(0);

    const synced = await p.cli(['sync']);
    expect(synced.exitCode, synced.stderr).toBe(0);
    const inStep = await p.cli(['plan', '--detailed-exitcode', '--json']);
    expect(inStep.exitCode, inStep.stderr).toBe(0);
    expect(inStep.json()).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
  });

  it('exits 1 when a server is unreachable (3 without the flag), the JSON still saying unreachable', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('down-1')] }), datasetOf({}));
    const env = { SYNC_DBS_BACKUP_URL: `http://127.0.0.1:${await closedPort()}`, SYNC_DBS_WAKE_TIMEOUT: '0' };

    const detailed = await p.cli(['plan', '--detailed-exitcode', '--json'], { env });
    expect(detailed.exitCode, detailed.stderr).toBe(1);
    expect(detailed.json()).toMatchObject({ outcome: 'unreachable', exitCode: 3 });
    const plain = await p.cli(['plan'], { env });
    expect(plain.exitCode, plain.stderr).toBe(3);
  });
});
