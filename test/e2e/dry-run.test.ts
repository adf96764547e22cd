import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/emulator/dataset/generator.js';
import { staleBackupOf } from '../../src/emulator/dataset/stale-backup.js';
import { TODAY, useSyncPair, writesReceived, type SyncPair } from '../support/sync-pair.js';
import { countKinds } from './support/report.js';
import { runJson } from './support/e2e-helpers.js';
import { expectedPlan, operationLines } from './support/expected-plan.js';

// `plan` and `sync --dry-run` read both servers and print what a sync would
// do, and never write: not a single POST or DELETE, the backup's data as it was.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const primary = generateDataset({ seed: 77, licenses: 120, today: TODAY });
const backup = staleBackupOf(primary, { seed: 77, today: TODAY });
const EXPECTED = expectedPlan(primary, backup, TODAY);

async function loadStalePair(p: SyncPair) {
  await p.load(primary, backup);
  return { primaryBefore: await p.primary.control.state(), backupBefore: await p.backup.control.state() };
}

async function expectNothingWritten(p: SyncPair, before: Awaited<ReturnType<typeof loadStalePair>>) {
  expect(await writesReceived(p.backup)).toBe(0);
  expect(await writesReceived(p.primary)).toBe(0);
  expect((await p.backup.control.stats()).emailsSent).toBe(0);
  expect(await p.backup.control.state()).toEqual(before.backupBefore);
  expect(await p.primary.control.state()).toEqual(before.primaryBefore);
}

describe.each([
  ['plan', ['plan']],
  ['sync --dry-run', ['sync', '--dry-run']],
  ['--dry-run (default command)', ['--dry-run']],
])('%s on a stale pair', (_name, args) => {
  it('lists the planned operations, exits 0 with changes-pending and writes nothing (JSON report)', async () => {
    const p = pair();
    const before = await loadStalePair(p);

    const { report, exitCode, stderr } = await runJson(p, args);
    expect(exitCode, stderr).toBe(0);
    expect(report.command).toBe('plan');
    expect(report.outcome).toBe('changes-pending');
    expect(report.exitCode).toBe(0);
    // Every kind a stale backup calls for, each on the records the rules say.
    expect(Object.keys(countKinds(report.plan?.operations ?? [])).sort()).toEqual(['activate', 'block', 'create-license', 'create-user', 'update-created-by', 'update-license']);
    expect(operationLines(report.plan?.operations ?? [])).toEqual(EXPECTED);
    expect(report.applied.operations).toEqual([]);
    expect(report.applied.summary).toMatchObject({ done: 0, failed: 0 });
    expect(report.newUserPasswordsFile).toBeNull();

    await expectNothingWritten(p, before);
  });

  it('says in the text report that nothing was written, and writes nothing', async () => {
    const p = pair();
    const before = await loadStalePair(p);

    const run = await p.cli(args);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/nothing (was )?written/i);
    expect(run.stdout).toMatch(/^Plan: \d+ users to create, \d+ licenses to create/m);
    expect(run.stdout).not.toMatch(/^Applied: \d+ of/m);
    // The listed operations name the records concerned.
    const blocked = EXPECTED.find((line) => line.startsWith('block '))?.slice('block license:'.length) ?? 'no block planned';
    expect(run.stdout).toContain(blocked);

    await expectNothingWritten(p, before);
  });
});
