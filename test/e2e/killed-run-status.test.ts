import { describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/state/run-records.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { runJson } from './support/e2e-helpers.js';

// A run killed mid-way (SIGKILL, power cut) stays "running" in the journal:
// until the next run marks it interrupted, `status` must not call the job
// healthy on the strength of the good run before it.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

describe('status after a run killed mid-way, following a good run', () => {
  it('is INTERRUPTED with exit 6, names the killed run and its unsent writes; healthy again after the next good run', async () => {
    const p = pair();
    const all = Array.from({ length: 6 }, (_, index) => allowedLicense(`DEV-${index}`));
    await p.load(datasetOf({ licenses: all }), datasetOf({ licenses: all }));
    expect((await runJson(p)).exitCode).toBe(0);
    expect((await p.cli(['status'])).exitCode).toBe(0);

    // The next run finds work; its first write is held until the process is killed.
    await p.backup.control.loadState(datasetOf({ licenses: all.slice(0, 2) }));
    let seen: () => void = () => {};
    const writeSeen = new Promise<void>((resolve) => (seen = resolve));
    p.backup.emulator.intercept((request) => {
      if (request.method === 'GET' || request.route === 'POST /admin/login') return undefined;
      seen();
      return new Promise(() => {});
    });
    try {
      const killed = p.start([], { env: { SYNC_DBS_CONCURRENCY: '1' } });
      await writeSeen;
      killed.child.kill('SIGKILL');
      await killed.done;
    } finally {
      p.backup.emulator.intercept(null);
    }

    const text = await p.cli(['status']);
    expect(text.exitCode, text.stderr).toBe(6);
    expect(text.stdout).toContain('sync-dbs status: INTERRUPTED (the last run was killed before it finished)');
    expect(text.stdout).toMatch(/run #2, started .* ago \(pid \d+ on .+\), is still recorded as running but no process holds the lock: it was killed or crashed before it finished/);
    expect(text.stdout).toMatch(/killed run: {4}#2 running/);
    expect(text.stdout).toMatch(/operations of run #2 not done \(4\):\n {4}create-license license:DEV-\d: sent, no answer/);

    const json = await p.cli(['status', '--json']);
    expect(json.exitCode).toBe(6);
    expect(json.json<StatusReport & { exitCode: number }>()).toMatchObject({ health: 'interrupted', exitCode: 6, interruptedRun: { id: 2, outcome: 'running' } });

    expect((await runJson(p)).exitCode).toBe(0);
    const after = await p.cli(['status']);
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain('sync-dbs status: healthy');
  }, 40_000);
});
