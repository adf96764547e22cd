import { describe, expect, it } from 'vitest';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { deviceIds, runJson, seedForFailures } from './support/e2e-helpers.js';

// The round trip (the default mode) verifies its writes to a backup by listing
// it again and merging once more against the same base: a write that never
// landed is still wanted. (Planning only against the next base, recorded from
// those very listings, reads a missing license as "unchanged on both": the run
// said in sync, recorded the gap in the base, and no later run filled it.)

const pair = useSyncPair();

describe('the round trip’s verification', () => {
  it('writes to the backup that never landed: exit 1, not in sync, no base; the next run puts them there', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('fail-1'), allowedLicense('fail-2')] }), datasetOf({}));
    // The login passes, the next four writes (2 creations x --retries 2) get a 503 before the handler.
    const seed = seedForFailures(0.9, ['pass', 'fail', 'fail', 'fail', 'fail']);
    await p.backup.control.setFaults({ seed, failures: { rate: 0.9, kinds: ['503'], scope: 'writes', afterHandlerShare: 0 } });

    const failed = await runJson(p, ['sync', '--retries', '2', '--concurrency', '1']);

    expect(failed.exitCode, failed.stderr).toBe(1);
    expect(failed.report.mode).toBe('two-way');
    expect(failed.report.outcome).toBe('failed');
    expect(failed.report.verified).toMatchObject({ inSync: false, relisted: true });
    expect(failed.report.applied.summary).toMatchObject({ done: 0, failed: 2 });
    expect(failed.report.targets.map((target) => target.baseRecorded)).toEqual([false]);
    expect(await deviceIds(p.backup)).toEqual([]);

    await p.backup.control.setFaults({});
    const next = await runJson(p, ['sync']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect((await deviceIds(p.backup)).sort(), 'the licenses on the backup after the next run').toEqual(['fail-1', 'fail-2']);
  });
});
