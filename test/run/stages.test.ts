import { describe, expect, it } from 'vitest';
import { PasswordFile } from '../../src/execute/password-file.js';
import { writablePairBases } from '../../src/run/recorded-run.js';
import type { RunContext } from '../../src/run/run-context.js';
import { runStages } from '../../src/run/run-stages.js';
import { openServers, closeServers } from '../../src/run/servers.js';
import type { Stage } from '../../src/run/step.js';
import { oneWayStrategy } from '../../src/run/one-way-step.js';
import { twoWayStrategy } from '../../src/run/two-way-step.js';
import { StateStore } from '../../src/state/state-store.js';
import { recordingLog } from '../notify/support/recording-log.js';
import { license, type InMemoryServer } from './support/in-memory-server.js';
import { NOW, TODAY, useHarness } from './support/run-harness.js';

// What the next issue needs: merge every backup's outage work into the
// primary, one after the other, then bring every backup in step; the same
// steps and strategies as today, in more stages.

const harness = useHarness(2);

describe('a run of several merge steps, then several spread steps', () => {
  it('merges each backup into the primary in turn, then brings every backup in step', async () => {
    const h = harness();
    const [first, second] = h.backups as [InMemoryServer, InMemoryServer];
    h.primary.withLicenses(license('D1', TODAY), license('D2', TODAY));
    expect((await h.sync()).exitCode).toBe(0);
    // The primary is down for a while; resellers work on both backups.
    first.withLicenses(license('SOLD-ON-1', TODAY));
    second.withLicenses(license('SOLD-ON-2', TODAY));
    second.edit('D1', { status: 'blocked' });

    const config = h.config();
    const servers = openServers(h.open, config);
    const store = StateStore.open(h.stateDir);
    const log = recordingLog();
    const context: RunContext = {
      command: 'sync',
      config,
      log,
      today: TODAY,
      now: () => NOW,
      passwords: new PasswordFile(h.stateDir),
      journal: undefined,
      signal: undefined,
      force: false,
      bases: writablePairBases(store),
      runId: null,
    };
    const merge = twoWayStrategy(false);
    const spread = oneWayStrategy(null);
    const source = servers.primary;
    const stages: Stage[] = [
      ...servers.backups.map((target) => [{ strategy: merge, source, target }]),
      servers.backups.map((target) => ({ strategy: spread, source, target })),
    ];
    try {
      const ran = await runStages(context, stages);
      expect(ran.stop).toBeNull();
      expect(ran.steps.map(({ target }) => [target.server, target.outcome, target.applied.length, target.baseRecorded])).toEqual([
        ['backup', 'in-sync', 1, true],
        ['backup-2', 'in-sync', 3, true],
        ['backup', 'in-sync', 2, true],
        ['backup-2', 'in-sync', 0, true],
      ]);
    } finally {
      closeServers(servers);
      store.close();
    }
    const held = (server: InMemoryServer) => [...server.licenses.values()].map((row) => `${row.device_id} ${row.status}`).sort();
    const everything = ['D1 blocked', 'D2 active', 'SOLD-ON-1 active', 'SOLD-ON-2 active'];
    expect(held(h.primary)).toEqual(everything);
    expect(held(first)).toEqual(everything);
    expect(held(second)).toEqual(everything);
    // Each server woke and logged in once, and the primary was listed afresh for the spread stage.
    expect(log.lines.filter((line) => line.endsWith('(role admin)'))).toHaveLength(3);
    expect(log.lines.filter((line) => line.startsWith('info read primary:'))).toEqual([
      'info read primary: 0 users, 2 licenses',
      'info read primary: 0 users, 3 licenses',
      'info read primary: 0 users, 4 licenses',
    ]);
  });
});
