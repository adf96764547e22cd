import { describe, expect, it } from 'vitest';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { expectSameAllowEverywhere, runJson, seedForFailures, statusOn } from './support/e2e-helpers.js';

// A write whose every answer was lost (the server did the work, then the
// connection was reset or a proxy answered 500) is "unknown", not "failed":
// the verification that lists the backup again settles it, and the run's
// outcome follows the verification.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const ATTEMPTS = 6;
/** Backup writes in order: the login, then every attempt of the one upsert. */
const LOGIN_THEN_ALL_ATTEMPTS_FAIL = ['pass', ...Array.from({ length: ATTEMPTS }, () => 'fail' as const)] as const;

/** Syncs one license into an empty backup whose every write attempt fails, each after (share 1) or before (share 0) the server did the work. */
async function syncThroughLostAnswers(deviceId: string, afterHandlerShare: 0 | 1) {
  const p = pair();
  await p.load(datasetOf({ licenses: [allowedLicense(deviceId)] }), datasetOf({}));
  const seed = seedForFailures(0.5, LOGIN_THEN_ALL_ATTEMPTS_FAIL);
  await p.backup.control.setFaults({ seed, failures: { rate: 0.5, kinds: ['reset', '500'], scope: 'writes', afterHandlerShare } });
  return { p, ...(await runJson(p, ['--retries', String(ATTEMPTS), '--concurrency', '1'])) };
}

describe('a write whose every answer was lost', () => {
  it('applied each time (answers lost after the handler): done by the verification, the run in sync, exit 0', async () => {
    const { p, run, report } = await syncThroughLostAnswers('lost-1', 1);

    const faults = (await p.backup.control.stats()).faults;
    expect(Object.entries(faults).filter(([name]) => name.endsWith('-after-handler')).reduce((sum, [, count]) => sum + count, 0)).toBe(ATTEMPTS);
    expect((await p.backup.control.writes()).writes.map((write) => `${write.route} ${write.answerLost}`)).toEqual(
      Array.from({ length: ATTEMPTS }, () => 'POST /admin/devices/create true'),
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(report.failures).toEqual([]);
    expect(report.applied.operations).toEqual([
      { server: 'backup', kind: 'create-license', key: 'license:lost-1', status: 'done', note: 'no attempt got a clear answer, but the verification found it applied' },
    ]);
    expect(report.applied.summary).toMatchObject({ done: 1, failed: 0, unknown: 0 });
    expect(report.verified).toMatchObject({ inSync: true, relisted: true, remaining: [] });
    expect(run.stderr).toMatch(/lost-1.*may have been applied: the verification will tell/);
    expect(await statusOn(p.backup, 'lost-1')).toBe('active');
    await expectSameAllowEverywhere(p.primary, p.backup);

    const history = (await p.cli(['history', '--json'])).json<{ runs: { outcome: string; exitCode: number }[] }>();
    expect(history.runs[0]).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
  });

  it('never applied (every attempt failed before the handler): failed by the verification, exit 1', async () => {
    const { p, run, report } = await syncThroughLostAnswers('lost-2', 0);

    expect(run.exitCode, run.stderr).toBe(1);
    expect(report.outcome).toBe('failed');
    expect(report.applied.operations.map((operation) => operation.status)).toEqual(['failed']);
    expect(report.failures).toEqual([
      { server: 'backup', endpoint: 'POST /admin/devices/create', key: 'lost-2', reason: expect.stringMatching(/after 6 attempts\); the verification found it not applied$/) as unknown },
    ]);
    expect(report.verified?.remaining.map((operation) => `${operation.kind} ${operation.key}`)).toEqual(['create-license license:lost-2']);
    expect(await statusOn(p.backup, 'lost-2')).toBeUndefined();
  });
});
