import { describe, expect, it } from 'vitest';
import { runVerdict } from '../../src/report/verdict.js';
import { license, user, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness, type Harness } from './support/run-harness.js';

// One-way runs over two backups: each goes its own way, the exit code is the
// worst of theirs, and a stop of the primary stops them all.

const harness = useHarness(2);

function servers(h: Harness): { primary: InMemoryServer; first: InMemoryServer; second: InMemoryServer } {
  h.primary.withLicenses(license('D1', TODAY), license('D2', TODAY)).withUsers(user('ana'));
  return { primary: h.primary, first: h.backups[0] as InMemoryServer, second: h.backups[1] as InMemoryServer };
}

const outcomes = (h: Awaited<ReturnType<Harness['sync']>>) => h.targets.map((target) => [target.server, target.outcome, target.exitCode, target.baseRecorded]);

describe('several backups', () => {
  it('brings each in step from one listing of the primary, and records a base per pair', async () => {
    const h = harness();
    const { primary, first, second } = servers(h);
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
    expect(outcomes(result)).toEqual([
      ['backup', 'in-sync', 0, true],
      ['backup-2', 'in-sync', 0, true],
    ]);
    expect(first.writes.sort()).toEqual(second.writes.sort());
    expect(primary.requestCount).toBe(4);
    expect(h.bases().map((base) => base.peerUrl).sort()).toEqual(['https://backup-2.license.test', 'https://backup.license.test']);
    expect(runVerdict(result)).toBe('2 of 2 backups in sync. backup: In sync: 3 writes applied and verified. backup-2: In sync: 3 writes applied and verified.');
  });

  it('one down while the other syncs: exit 3, the other in sync with its base recorded', async () => {
    const h = harness();
    const { first, second } = servers(h);
    second.faults = { unreachable: true };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3, stoppedBeforeTargets: false });
    expect(outcomes(result)).toEqual([
      ['backup', 'in-sync', 0, true],
      ['backup-2', 'unreachable', 3, false],
    ]);
    expect(first.writes).toHaveLength(3);
    expect(h.bases().map((base) => base.peerUrl)).toEqual(['https://backup.license.test']);
    expect(runVerdict(result)).toBe(
      '1 of 2 backups in sync. backup: In sync: 3 writes applied and verified. backup-2: Unreachable: backup-2 (GET /health: no answer (ECONNREFUSED)). Nothing was written.',
    );
  });

  it('a guard refusing one: exit 4, the other synced', async () => {
    const h = harness();
    const { first, second } = servers(h);
    first.faults = { role: 'user' };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(outcomes(result)).toEqual([
      ['backup', 'refused', 4, false],
      ['backup-2', 'in-sync', 0, true],
    ]);
    expect(first.writes).toEqual([]);
    expect(second.writes).toHaveLength(3);
  });

  it('a failed write on one: exit 1; with the other down as well: exit 3', async () => {
    const h = harness();
    const { first, second } = servers(h);
    first.failWrite({ call: 'upsert' });
    const failed = await h.sync();
    expect(failed).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(outcomes(failed)).toEqual([
      ['backup', 'failed', 1, false],
      ['backup-2', 'in-sync', 0, true],
    ]);
    second.faults = { unreachable: true };
    const worse = await h.sync();
    expect(worse.targets.map((target) => target.exitCode)).toEqual([1, 3]);
    expect(worse.exitCode).toBe(3);
  });

  it('an unreachable primary stops every backup: one verdict for the run', async () => {
    const h = harness();
    const { primary, first, second } = servers(h);
    primary.faults = { unreachable: true };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3, stoppedBeforeTargets: true });
    expect(outcomes(result)).toEqual([
      ['backup', 'unreachable', 3, false],
      ['backup-2', 'unreachable', 3, false],
    ]);
    expect([...first.writes, ...second.writes]).toEqual([]);
    expect(runVerdict(result)).toBe('Unreachable: the primary (GET /health: no answer (ECONNREFUSED)). Nothing was written.');
  });

  it('plan only: a plan per backup, nothing written', async () => {
    const h = harness();
    const { first, second } = servers(h);
    second.withLicenses(license('D1', TODAY), license('D2', TODAY)).withUsers(user('ana'));
    const result = await h.plan();
    expect(outcomes(result)).toEqual([
      ['backup', 'changes-pending', 0, false],
      ['backup-2', 'in-sync', 0, false],
    ]);
    expect([...first.writes, ...second.writes]).toEqual([]);
    expect(runVerdict(result)).toBe('Plan for 2 backups. backup: Plan: 1 user to create, 2 licenses to create. Nothing was written. backup-2: In sync: nothing to do.');
  });
});
