import { describe, expect, it } from 'vitest';
import { license, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness } from './support/run-harness.js';

// The round trip as stages: each backup's outage work gathered into the
// primary, one backup after the other, then every backup brought in step.

const harness = useHarness(2);

describe('the round trip: a gathering stage per backup, then one spreading stage', () => {
  it('gathers each backup into the primary in turn, then brings every backup in step, in one run', async () => {
    const h = harness();
    const [first, second] = h.backups as [InMemoryServer, InMemoryServer];
    h.primary.withLicenses(license('D1', TODAY), license('D2', TODAY));
    expect((await h.sync({ config: { mode: 'two-way' } })).exitCode).toBe(0);
    // The primary is down for a while; resellers work on both backups.
    first.withLicenses(license('SOLD-ON-1', TODAY));
    second.withLicenses(license('SOLD-ON-2', TODAY));
    second.edit('D1', { status: 'blocked' });

    const result = await h.sync({ config: { mode: 'two-way' } });
    expect(result.exitCode).toBe(0);
    expect(result.targets.map((target) => [target.server, target.outcome, target.applied.map((entry) => `${entry.operation.server} ${entry.operation.kind} ${entry.operation.key}`), target.baseRecorded])).toEqual([
      ['backup', 'in-sync', ['primary create-license license:SOLD-ON-1', 'backup block license:D1', 'backup create-license license:SOLD-ON-2'], true],
      ['backup-2', 'in-sync', ['primary block license:D1', 'primary create-license license:SOLD-ON-2', 'backup-2 create-license license:SOLD-ON-1'], true],
    ]);
    const held = (server: InMemoryServer) => [...server.licenses.values()].map((row) => `${row.device_id} ${row.status}`).sort();
    const everything = ['D1 blocked', 'D2 active', 'SOLD-ON-1 active', 'SOLD-ON-2 active'];
    expect(held(h.primary)).toEqual(everything);
    expect(held(first)).toEqual(everything);
    expect(held(second)).toEqual(everything);
    // The Read section gives each server as first listed, not as a later stage found it after this run's writes.
    expect(result.servers.map((server) => [server.name, server.licenses])).toEqual([
      ['primary', 2],
      ['backup', 3],
      ['backup-2', 3],
    ]);
    // Each server woke and logged in once; the primary was read once, then planned from as each write left it (listed again to verify).
    expect(h.log.lines.filter((line) => line.endsWith('(role admin)'))).toHaveLength(3);
    expect(h.log.lines.filter((line) => line.startsWith('info read '))).toEqual([
      'info read primary: 0 users, 2 licenses',
      'info read backup: 0 users, 3 licenses',
      'info read backup-2: 0 users, 3 licenses',
    ]);
    // The next run plans nothing.
    const again = await h.sync({ config: { mode: 'two-way' } });
    expect(again.exitCode).toBe(0);
    expect(again.plan?.operations).toEqual([]);
    // As cheap as a one-way run: each server is woken, logged into and listed once (users, licenses).
    expect([h.primary, first, second].map((server) => server.requestCount)).toEqual([4, 4, 4]);
  });
});
