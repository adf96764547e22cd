import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/outcome/run-result.js';
import { runVerdict } from '../../src/report/verdict.js';
import { license, user, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness, type Harness, type RunOptions } from './support/run-harness.js';
import { guardMessage } from '../../src/report/wording/guard-words.js';
import type { GuardRefusal } from '../../src/plan/guards.js';

const messageOf = (guard: GuardRefusal | undefined): string => (guard === undefined ? '' : guardMessage(guard));

// The round trip (two-way) through in-memory servers: per backup, a gathering
// step (`backup → primary`, writes the primary) then a spreading step
// (`primary → backup`, writes the backup), joined into one result per backup;
// the base each pair merges against and records, the guards on the primary's
// listing, verification and interruption.

const ids = (count: number) => Array.from({ length: count }, (_, index) => `D${index + 1}`);
const twoWay = (options: RunOptions = {}): RunOptions => ({ ...options, config: { mode: 'two-way', ...options.config } });
const outcomes = (result: RunResult) => result.targets.map((target) => [target.server, target.outcome, target.exitCode, target.baseRecorded]);
const operationsOf = (operations: readonly { server: string; kind: string; key: string }[] | undefined) =>
  (operations ?? []).map((operation) => `${operation.server} ${operation.kind} ${operation.key}`);

/** Every server holding D1..Dn after a one-way sync that recorded each pair's base; the writes lists emptied. */
async function inStep(h: Harness, count = 4): Promise<{ primary: InMemoryServer; peer: InMemoryServer }> {
  const peer = h.backups[0] as InMemoryServer;
  h.primary.withLicenses(...ids(count).map((id) => license(id, TODAY))).withUsers(user('ana'));
  const first = await h.sync();
  expect(first.exitCode, runVerdict(first)).toBe(0);
  for (const server of [h.primary, ...h.backups]) server.writes.length = 0;
  return { primary: h.primary, peer };
}

describe('two-way run: the base', () => {
  const harness = useHarness();

  it('without a base (a first run) the primary wins: the backup is filled, what only it lists is blocked, the primary is not written, a base is recorded', async () => {
    const h = harness();
    const peer = h.backups[0] as InMemoryServer;
    h.primary.withLicenses(license('D1', TODAY), license('D2', TODAY));
    peer.withLicenses(license('D2', TODAY), license('ONLY-ON-BACKUP', TODAY));
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ mode: 'two-way', outcome: 'in-sync', exitCode: 0, guards: [] });
    expect(h.primary.writes).toEqual([]);
    expect(peer.writes.sort()).toEqual(['block ONLY-ON-BACKUP', 'upsert D1']);
    expect(result.targets).toHaveLength(1);
    expect(result.targets[0]).toMatchObject({ server: 'backup', base: null, baseRecorded: true, verified: { inSync: true } });
    expect(h.bases()[0]).toMatchObject({ meta: { mode: 'two-way', runId: 1 }, licenses: { primary: 2, peer: 3 } });
    expect(h.lines('info')).toEqual(
      expect.arrayContaining(['backup → primary: plan: 0 operations on the primary (0 conflicts)', 'primary → backup: plan: 2 operations']),
    );
  });

  it('refuses a base recorded with another primary', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY));
    const elsewhere = { ...h.config().primary, url: 'https://old-primary.license.test' };
    expect((await h.sync({ config: { primary: elsewhere } })).exitCode).toBe(0);
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(messageOf(result.guards[0])).toMatch(/^the base kept for backup \(https:\/\/backup\.license\.test\) was recorded with another primary \(https:\/\/old-primary\.license\.test, /);
    expect(h.primary.writes).toEqual([]);
  });

  it('refuses a base that cannot be read', async () => {
    const h = harness();
    await inStep(h);
    h.damage('UPDATE pair_bases SET format = 2');
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards[0]).toMatchObject({ guard: 'two-way-base', facts: { problem: 'unreadable', peer: 'backup' } });
    expect(messageOf(result.guards[0])).toMatch(/^the base of primary ↔ backup cannot be used: .*format version/);
    expect([h.primary.writes, h.backups[0]?.writes]).toEqual([[], []]);
  });

  it('merges against the base: the backup\'s work is gathered into the primary, the primary\'s spread to the backup, and the new base is recorded', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    const before = h.bases()[0];
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    primary.edit('D2', { owner_name: 'Edited on the primary' });
    peer.edit('D3', { status: 'blocked' });
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
    expect(primary.writes.sort()).toEqual(['block D3', 'upsert SOLD-ON-PEER']);
    expect(peer.writes).toEqual(['upsert D2']);
    expect(result.targets).toHaveLength(1);
    expect(result.targets[0]).toMatchObject({
      base: { recordedAt: before?.meta.recordedAt, runId: 1, mode: 'one-way' },
      baseRecorded: true,
      verified: { inSync: true, relisted: true, remaining: [] },
    });
    expect(operationsOf(result.targets[0]?.plan?.operations).sort()).toEqual([
      'backup update-license license:D2',
      'primary block license:D3',
      'primary create-license license:SOLD-ON-PEER',
    ]);
    expect(h.bases()[0]).toMatchObject({ meta: { mode: 'two-way', runId: 2 }, licenses: { primary: 5, peer: 5 } });
    expect(h.lines('info')).toEqual(
      expect.arrayContaining(['backup → primary: plan: 2 operations on the primary (0 conflicts)', 'primary → backup: plan: 1 operation']),
    );
    // A second run right after plans nothing.
    const again = await h.sync(twoWay());
    expect(again.plan?.operations).toEqual([]);
    expect(runVerdict(again)).toBe('In sync: nothing to do.');
  });

  it('--resync leaves the base aside: the primary wins, nothing is written to it, and a new base is recorded', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    peer.edit('D3', { owner_name: 'Edited on the backup' });
    const result = await h.sync(twoWay({ resync: true }));
    expect(result).toMatchObject({ resync: true, outcome: 'in-sync', exitCode: 0 });
    expect(primary.writes).toEqual([]);
    expect(peer.writes.sort()).toEqual(['block SOLD-ON-PEER', 'upsert D3']);
    expect(result.targets[0]).toMatchObject({ base: null, baseRecorded: true });
    expect(h.bases()[0]).toMatchObject({ meta: { mode: 'two-way', runId: 2 }, licenses: { primary: 4, peer: 5 } });
  });
  it('a deletion on the backup without --delete: restored there and kept pending in the base; a later --delete run carries it out on the primary', async () => {
    const h = harness();
    // One of twelve: within --max-shrink, a deletion rather than a reset.
    const { primary, peer } = await inStep(h, 12);
    peer.licenses.delete('D1');
    const restored = await h.sync(twoWay());
    expect(restored).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
    expect([primary.writes, peer.writes]).toEqual([[], ['upsert D1']]);
    expect(restored.plan?.skipped.map((item) => [item.reason, item.key])).toEqual([['deletion-pending', 'D1']]);
    for (const server of [primary, peer]) server.writes.length = 0;
    const carried = await h.sync(twoWay({ config: { delete: true, maxDelete: 5 } }));
    expect(carried).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
    expect([primary.licenses.has('D1'), peer.licenses.has('D1')]).toEqual([false, false]);
  });
});

describe('two-way run: several backups', () => {
  const harness = useHarness(2);

  it('gathers every backup\'s work into the primary in configured order, then spreads the result to each; one result and one base per backup', async () => {
    const h = harness();
    const { primary } = await inStep(h);
    const [first, second] = h.backups as [InMemoryServer, InMemoryServer];
    first.withLicenses(license('SOLD-ON-1', TODAY));
    second.withLicenses(license('SOLD-ON-2', TODAY));
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
    expect(outcomes(result)).toEqual([
      ['backup', 'in-sync', 0, true],
      ['backup-2', 'in-sync', 0, true],
    ]);
    expect(primary.writes).toEqual(['upsert SOLD-ON-1', 'upsert SOLD-ON-2']);
    expect([first.writes, second.writes]).toEqual([['upsert SOLD-ON-2'], ['upsert SOLD-ON-1']]);
    expect(h.bases().map((base) => [base.peerUrl, base.meta.mode, base.licenses.peer])).toEqual([
      ['https://backup-2.license.test', 'two-way', 6],
      ['https://backup.license.test', 'two-way', 6],
    ]);
    const steps = h.lines('info').filter((line) => line.includes(': plan: '));
    expect(steps).toEqual([
      'backup → primary: plan: 1 operation on the primary (0 conflicts)',
      'backup-2 → primary: plan: 1 operation on the primary (0 conflicts)',
      'primary → backup: plan: 1 operation',
      'primary → backup-2: plan: 1 operation',
    ]);
  });

  it('an unreachable backup fails alone: the other is gathered and spread to, and only its base is recorded', async () => {
    const h = harness();
    const { primary } = await inStep(h);
    const [first, second] = h.backups as [InMemoryServer, InMemoryServer];
    const before = h.bases().find((base) => base.peerUrl === 'https://backup-2.license.test');
    first.withLicenses(license('SOLD-ON-1', TODAY));
    second.faults = { unreachable: true };
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3, stoppedBeforeTargets: false });
    expect(outcomes(result)).toEqual([
      ['backup', 'in-sync', 0, true],
      ['backup-2', 'unreachable', 3, false],
    ]);
    expect(result.failures).toEqual([{ server: 'backup-2', endpoint: 'GET /health', key: null, reason: 'no answer (ECONNREFUSED)' }]);
    expect(primary.writes).toEqual(['upsert SOLD-ON-1']);
    expect(h.bases().find((base) => base.peerUrl === 'https://backup-2.license.test')).toEqual(before);
  });

  it('an unreachable primary stops everything: exit 3, nothing written anywhere, no base recorded', async () => {
    const h = harness();
    const { primary } = await inStep(h);
    const [first, second] = h.backups as [InMemoryServer, InMemoryServer];
    first.withLicenses(license('SOLD-ON-1', TODAY));
    primary.faults = { unreachable: true };
    const before = h.bases();
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3, stoppedBeforeTargets: true });
    expect(result.failures).toEqual([{ server: 'primary', endpoint: 'GET /health', key: null, reason: 'no answer (ECONNREFUSED)' }]);
    expect(outcomes(result)).toEqual([
      ['backup', 'unreachable', 3, false],
      ['backup-2', 'unreachable', 3, false],
    ]);
    expect([primary.writes, first.writes, second.writes]).toEqual([[], [], []]);
    expect(h.bases()).toEqual(before);
  });

  it('a backup whose gathering failed is held (not spread to) while the other completes', async () => {
    const h = harness();
    const { primary } = await inStep(h);
    const [first, second] = h.backups as [InMemoryServer, InMemoryServer];
    const before = h.bases().find((base) => base.peerUrl === 'https://backup.license.test');
    first.withLicenses(license('SOLD-ON-1', TODAY));
    second.withLicenses(license('SOLD-ON-2', TODAY));
    primary.edit('D2', { owner_name: 'Edited on the primary' });
    primary.failWrite({ call: 'upsert', key: 'SOLD-ON-1' });
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(outcomes(result)).toEqual([
      ['backup', 'failed', 1, false],
      ['backup-2', 'in-sync', 0, true],
    ]);
    expect(result.failures).toEqual([{ server: 'primary', endpoint: 'POST /admin/devices/create', key: 'SOLD-ON-1', reason: 'HTTP 500' }]);
    // Held: the primary's edit did not reach the backup whose work could not be gathered.
    expect(first.writes).toEqual([]);
    expect(second.writes).toEqual(['upsert D2']);
    expect(h.lines('info')).not.toContain('primary → backup: plan: 1 operation');
    expect(h.bases().find((base) => base.peerUrl === 'https://backup.license.test')).toEqual(before);
  });

  it('a non-admin backup is refused alone; the other goes on', async () => {
    const h = harness();
    await inStep(h);
    const [first, second] = h.backups as [InMemoryServer, InMemoryServer];
    first.faults = { role: 'user' };
    second.withLicenses(license('SOLD-ON-2', TODAY));
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, stoppedBeforeTargets: false });
    expect(outcomes(result)).toEqual([
      ['backup', 'refused', 4, false],
      ['backup-2', 'in-sync', 0, true],
    ]);
    expect(result.guards.map((guard) => guard.guard)).toEqual(['role']);
    expect(first.writes).toEqual([]);
    expect(h.primary.writes).toEqual(['upsert SOLD-ON-2']);
  });
});

describe('two-way run: guards on the primary\'s listing, and --force', () => {
  const harness = useHarness();

  it('shrunken-primary: a primary that lists far less than a backup refuses; --force goes on and says so', async () => {
    const h = harness();
    const peer = h.backups[0] as InMemoryServer;
    h.primary.withLicenses(license('D1', TODAY));
    peer.withLicenses(...ids(4).map((id) => license(id, TODAY)));
    const refused = await h.sync(twoWay());
    expect(refused).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(refused.guards.map((guard) => guard.guard)).toEqual(['shrunken-primary']);
    expect([h.primary.writes, peer.writes]).toEqual([[], []]);
    expect(h.bases()).toEqual([]);
    const forced = await h.sync(twoWay({ force: true }));
    expect(forced).toMatchObject({ outcome: 'in-sync', exitCode: 0, guards: [] });
    // Both steps of the backup guard the primary's listing; the result names the override once.
    expect(forced.forcedGuards).toEqual(refused.guards);
    expect(h.lines('warn')).toContain(`backup → primary: --force: going on although ${messageOf(refused.guards[0])}`);
    expect(peer.writes.sort()).toEqual(['block D2', 'block D3', 'block D4']);
  });

  it('shrunk-since-last-good-run: a primary that lists far less than at the last good run refuses', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h, 10);
    for (const id of ids(5)) primary.licenses.delete(id);
    // Without a base, only the last good run is compared with.
    const result = await h.sync(twoWay({ resync: true }));
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['shrunk-since-last-good-run']);
    expect([primary.writes, peer.writes]).toEqual([[], []]);
  });

  it('shrunk-since-base: a primary that lists far less than at its base refuses, and nothing is deleted from the backup', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h, 10);
    h.damage('DELETE FROM last_good_counts');
    for (const id of ids(5)) primary.licenses.delete(id);
    const before = h.bases();
    const result = await h.sync(twoWay({ config: { delete: true, maxDelete: 100 } }));
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['shrunk-since-base']);
    expect(messageOf(result.guards[0])).toMatch(/^primary lists 5 licenses \(GET \/admin\/devices\) but held 10 at the base/);
    expect([primary.writes, peer.writes]).toEqual([[], []]);
    expect(h.bases()).toEqual(before);
  });

  it('a backup that lists far less than at its base is no guard: it is filled again from the primary', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h, 10);
    for (const id of ids(8)) peer.licenses.delete(id);
    const result = await h.sync(twoWay({ config: { delete: true, maxDelete: 100 } }));
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0, guards: [] });
    expect(primary.writes).toEqual([]);
    expect(peer.writes.sort()).toEqual(ids(8).map((id) => `upsert ${id}`).sort());
  });

  it('unreadable-listing: the backup answers a listing that is not JSON', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    peer.faults = { malformedListing: 'users' };
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, stoppedBeforeTargets: false });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['unreadable-listing']);
    expect(result.servers.map((server) => server.licenses)).toEqual([4, null]);
    expect([primary.writes, peer.writes]).toEqual([[], []]);
  });
});

describe('two-way run: plan only, failures, verification, interruption', () => {
  const harness = useHarness();

  it('plan only: nothing written, the base left as it was', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    primary.edit('D2', { owner_name: 'Edited on the primary' });
    const before = h.bases();
    const result = await h.plan(twoWay());
    expect(result).toMatchObject({ command: 'plan', outcome: 'changes-pending', exitCode: 0, verified: null });
    expect(operationsOf(result.plan?.operations).sort()).toEqual(['backup update-license license:D2', 'primary create-license license:SOLD-ON-PEER']);
    expect([primary.writes, peer.writes]).toEqual([[], []]);
    expect(h.bases()).toEqual(before);
  });

  it('a failed write on the primary: exit 1, the backup not spread to, the base kept as it was', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    primary.edit('D2', { owner_name: 'Edited on the primary' });
    primary.failWrite({ call: 'upsert', key: 'SOLD-ON-PEER' });
    const before = h.bases();
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(result.failures).toEqual([{ server: 'primary', endpoint: 'POST /admin/devices/create', key: 'SOLD-ON-PEER', reason: 'HTTP 500' }]);
    expect(result.targets[0]?.baseRecorded).toBe(false);
    expect(peer.writes).toEqual([]);
    expect(h.bases()).toEqual(before);
  });

  it('a primary that still lacks the gathered work after writing: exit 1, what remains reported, no new base', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    // The primary's listings in this run: 1 the gathering stage's, 2 the gathering step's verification.
    primary.beforeLicenseListing = (listing) => {
      if (listing === 2) primary.licenses.delete('SOLD-ON-PEER');
    };
    const before = h.bases();
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, failures: [] });
    expect(result.verified).toMatchObject({ inSync: false, relisted: true });
    expect(operationsOf(result.verified?.remaining)).toEqual(['primary create-license license:SOLD-ON-PEER']);
    expect(h.bases()).toEqual(before);
    expect(h.lines('warn')).toContain('backup → primary: verification: the primary still needs 1 operation');
  });

  it('a backup that still differs after spreading: exit 1, what remains reported, no new base', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    primary.edit('D2', { owner_name: 'Edited on the primary' });
    // The backup's listings in this run: 1 the gathering step's (the spreading step plans from it), 2 its verification.
    peer.beforeLicenseListing = (listing) => {
      if (listing === 2) peer.edit('D2', { owner_name: 'Changed back' });
    };
    const before = h.bases();
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, failures: [] });
    expect(result.targets[0]).toMatchObject({ baseRecorded: false, verified: { inSync: false, relisted: true } });
    expect(operationsOf(result.verified?.remaining)).toContain('backup update-license license:D2');
    expect(h.bases()).toEqual(before);
    expect(h.lines('warn')).toContainEqual(expect.stringMatching(/^primary → backup: verification: still needs \d+ operations?$/));
  });

  it('interrupted while gathering: exit 6, the rest not sent, the backup not spread to, no new base', async () => {
    const h = harness();
    const { primary, peer } = await inStep(h);
    peer.withLicenses(license('P1', TODAY), license('P2', TODAY));
    const stop = new AbortController();
    primary.afterWrite = () => stop.abort();
    const before = h.bases();
    const result = await h.sync(twoWay({ signal: stop.signal, config: { concurrency: 1 } }));
    expect(result).toMatchObject({ outcome: 'interrupted', exitCode: 6 });
    expect(result.applied.map((applied) => applied.status)).toEqual(['done', 'not-sent']);
    expect(peer.writes).toEqual([]);
    expect(h.bases()).toEqual(before);
    expect(h.lines('warn')).toContain('backup → primary: interrupted: 1 of 2 operations were not sent; the next run plans them again');
  });
});
