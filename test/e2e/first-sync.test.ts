import { describe, expect, it } from 'vitest';
import { allowedLicense, datasetOf, useSyncPair, writesReceived } from '../support/sync-pair.js';

const pair = useSyncPair();

describe('a first sync into an empty backup', () => {
  it('creates what is missing, verifies, and a second run writes nothing', async () => {
    const { load, cli, backup } = pair();
    await load(datasetOf({ licenses: [allowedLicense('dev-1'), allowedLicense('dev-2', { status: 'blocked' })] }), datasetOf({}));

    const first = await cli(['--json']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.json<{ outcome: string }>().outcome).toBe('in-sync');
    expect(await writesReceived(backup)).toBe(3);

    await backup.control.resetStats();
    const second = await cli(['--json']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(await writesReceived(backup)).toBe(0);
  });
});
