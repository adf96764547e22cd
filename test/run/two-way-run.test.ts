import { describe, expect, it } from 'vitest';
import { runVerdict } from '../../src/report/verdict.js';
import { license, user, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness, type Harness, type RunOptions } from './support/run-harness.js';
import { guardMessage } from '../../src/report/wording/guard-words.js';
import type { GuardRefusal } from '../../src/plan/guards.js';

const messageOf = (guard: GuardRefusal | undefined): string => (guard === undefined ? '' : guardMessage(guard));

// The two-way pipeline through in-memory servers: the base it needs, its
// guards, its writes both ways, its verification and the base it records.

const harness = useHarness();

const ids = (count: number) => Array.from({ length: count }, (_, index) => `D${index + 1}`);
const twoWay = (options: RunOptions = {}): RunOptions => ({ ...options, config: { mode: 'two-way', ...options.config } });

/** Both servers holding D1..Dn after a one-way sync that recorded their base. */
async function pairInStep(h: Harness, count = 4): Promise<{ primary: InMemoryServer; peer: InMemoryServer }> {
  const peer = h.backups[0] as InMemoryServer;
  h.primary.withLicenses(...ids(count).map((id) => license(id, TODAY))).withUsers(user('ana'));
  const first = await h.sync();
  expect(first.exitCode, runVerdict(first)).toBe(0);
  peer.writes.length = 0;
  return { primary: h.primary, peer };
}

describe('two-way run: the base', () => {
  it('refuses without a base, before reading anything, and says to --resync', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY));
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ mode: 'two-way', outcome: 'refused', exitCode: 4, stoppedBeforeTargets: false });
    expect(result.guards).toEqual([{ guard: 'two-way-base', facts: { problem: 'none', peer: 'backup' } }]);
    expect(messageOf(result.guards[0])).toContain('there is no base for primary ↔ backup yet');
    expect(result.servers.map((server) => server.licenses)).toEqual([null, null]);
    expect(result.targets[0]).toMatchObject({ plan: null, base: null, baseRecorded: false });
    expect(h.lines('error')).toContain(`primary ⇄ backup: refused (two-way-base): ${messageOf(result.guards[0])}`);
  });

  it('refuses a base recorded with another primary', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY));
    const elsewhere = { ...h.config().primary, url: 'https://old-primary.license.test' };
    expect((await h.sync({ config: { primary: elsewhere } })).exitCode).toBe(0);
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(messageOf(result.guards[0])).toMatch(/^the base kept for backup \(https:\/\/backup\.license\.test\) was recorded with another primary \(https:\/\/old-primary\.license\.test, /);
  });

  it('refuses a base that cannot be read', async () => {
    const h = harness();
    await pairInStep(h);
    h.damage('UPDATE pair_bases SET format = 2');
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards[0]).toMatchObject({ guard: 'two-way-base', facts: { problem: 'unreadable', peer: 'backup' } });
    expect(messageOf(result.guards[0])).toMatch(/^the base of primary ↔ backup cannot be used: .*format version/);
  });

  it('merges against the base: work done on each side since goes to the other, and the new base is recorded', async () => {
    const h = harness();
    const { primary, peer } = await pairInStep(h);
    const before = h.bases()[0];
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    primary.edit('D2', { owner_name: 'Edited on the primary' });
    peer.edit('D3', { status: 'blocked' });
    primary.writes.length = 0;
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
    expect(primary.writes.sort()).toEqual(['block D3', 'upsert SOLD-ON-PEER']);
    expect(peer.writes).toEqual(['upsert D2']);
    expect(result.targets[0]).toMatchObject({
      base: { recordedAt: before?.meta.recordedAt, runId: 1, mode: 'one-way' },
      baseRecorded: true,
      verified: { inSync: true, relisted: true, remaining: [] },
    });
    expect(h.bases()[0]).toMatchObject({ meta: { mode: 'two-way', runId: 2 }, licenses: { primary: 5, peer: 5 } });
    expect(h.lines('info')).toContain('primary ⇄ backup: plan: 3 operations (0 conflicts)');
    // A second run right after plans nothing.
    const again = await h.sync(twoWay());
    expect(again.plan?.operations).toEqual([]);
    expect(runVerdict(again)).toBe('In sync: nothing to do.');
  });

  it('--resync merges the union without a base, and records one', async () => {
    const h = harness();
    const peer = h.backups[0] as InMemoryServer;
    h.primary.withLicenses(license('D1', TODAY), license('D2', TODAY));
    peer.withLicenses(license('D2', TODAY), license('P1', TODAY));
    const result = await h.sync(twoWay({ resync: true }));
    expect(result).toMatchObject({ resync: true, outcome: 'in-sync', exitCode: 0 });
    expect(h.primary.writes).toEqual(['upsert P1']);
    expect(peer.writes).toEqual(['upsert D1']);
    expect(result.targets[0]).toMatchObject({ base: null, baseRecorded: true });
    expect(h.bases()[0]).toMatchObject({ meta: { mode: 'two-way' }, licenses: { primary: 3, peer: 3 } });
  });
});

describe('two-way run: guards and --force', () => {
  it('shrunk-since-base: a side lists far fewer licenses than it held at the base', async () => {
    const h = harness();
    const { peer } = await pairInStep(h, 10);
    for (const id of ids(5)) peer.licenses.delete(id);
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['shrunk-since-base']);
    expect(messageOf(result.guards[0])).toMatch(/^backup lists 5 licenses \(GET \/admin\/devices\) but held 10 at the base/);
    expect(h.primary.writes).toEqual([]);
    expect(peer.writes).toEqual([]);
  });

  it('shrunken-side: a side lists far less than the other; --force goes on and says so', async () => {
    const h = harness();
    const peer = h.backups[0] as InMemoryServer;
    h.primary.withLicenses(...ids(4).map((id) => license(id, TODAY)));
    peer.withLicenses(license('D1', TODAY));
    const refused = await h.sync(twoWay({ resync: true }));
    expect(refused).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(refused.guards.map((guard) => guard.guard)).toEqual(['shrunken-side']);
    expect(peer.writes).toEqual([]);
    const forced = await h.sync(twoWay({ resync: true, force: true }));
    expect(forced).toMatchObject({ outcome: 'in-sync', exitCode: 0, guards: [] });
    expect(forced.forcedGuards.map((guard) => guard.guard)).toEqual(['shrunken-side']);
    expect(peer.writes.sort()).toEqual(['upsert D2', 'upsert D3', 'upsert D4']);
  });

  it('role: a non-admin peer stops the run (both sides are needed)', async () => {
    const h = harness();
    const { peer } = await pairInStep(h);
    peer.faults = { role: 'user' };
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, stoppedBeforeTargets: true });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['role']);
  });

  it('unreadable-listing: the peer answers a listing that is not JSON', async () => {
    const h = harness();
    const { peer } = await pairInStep(h);
    peer.faults = { malformedListing: 'users' };
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, stoppedBeforeTargets: false });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['unreadable-listing']);
    expect(result.servers.map((server) => server.licenses)).toEqual([4, null]);
  });
});

describe('two-way run: plan only, failures, verification, interruption', () => {
  it('plan only: nothing written, the base left as it was', async () => {
    const h = harness();
    const { primary, peer } = await pairInStep(h);
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    const before = h.bases();
    primary.writes.length = 0;
    const result = await h.plan(twoWay());
    expect(result).toMatchObject({ command: 'plan', outcome: 'changes-pending', exitCode: 0, verified: null });
    expect(result.plan?.operations.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`)).toEqual(['primary create-license license:SOLD-ON-PEER']);
    expect(primary.writes).toEqual([]);
    expect(h.bases()).toEqual(before);
  });

  it('an unreachable peer stops the run: exit 3, nothing written', async () => {
    const h = harness();
    const { primary, peer } = await pairInStep(h);
    peer.faults = { unreachable: true };
    primary.writes.length = 0;
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3, stoppedBeforeTargets: true });
    expect(result.failures).toEqual([{ server: 'backup', endpoint: 'GET /health', key: null, reason: 'no answer (ECONNREFUSED)' }]);
    expect(primary.writes).toEqual([]);
  });

  it('a failed write on the primary: exit 1, the base kept as it was', async () => {
    const h = harness();
    const { primary, peer } = await pairInStep(h);
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    primary.failWrite({ call: 'upsert', key: 'SOLD-ON-PEER' });
    const before = h.bases();
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(result.failures).toEqual([{ server: 'primary', endpoint: 'POST /admin/devices/create', key: 'SOLD-ON-PEER', reason: 'HTTP 500' }]);
    expect(result.targets[0]?.baseRecorded).toBe(false);
    expect(h.bases()).toEqual(before);
  });

  it('sides that still differ after writing: exit 1, what remains reported, no new base', async () => {
    const h = harness();
    const { primary, peer } = await pairInStep(h);
    peer.withLicenses(license('SOLD-ON-PEER', TODAY));
    primary.beforeLicenseListing = (listing) => {
      if (listing === 2) primary.licenses.delete('SOLD-ON-PEER');
    };
    const before = h.bases();
    const result = await h.sync(twoWay());
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, failures: [] });
    expect(result.verified).toMatchObject({ inSync: false, relisted: true });
    expect(result.verified?.remaining.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`)).toEqual(['primary create-license license:SOLD-ON-PEER']);
    expect(h.bases()).toEqual(before);
    expect(h.lines('warn')).toContain('primary ⇄ backup: verification: the two sides still differ by 1 operations');
  });

  it('interrupted while writing: exit 6, the rest not sent, no new base', async () => {
    const h = harness();
    const { primary, peer } = await pairInStep(h);
    peer.withLicenses(license('P1', TODAY), license('P2', TODAY));
    const stop = new AbortController();
    primary.afterWrite = () => stop.abort();
    const before = h.bases();
    const result = await h.sync(twoWay({ signal: stop.signal, config: { concurrency: 1 } }));
    expect(result).toMatchObject({ outcome: 'interrupted', exitCode: 6 });
    expect(result.applied.map((applied) => applied.status)).toEqual(['done', 'not-sent']);
    expect(h.bases()).toEqual(before);
    expect(h.lines('warn')).toContain('primary ⇄ backup: interrupted: 1 of 2 operations were not sent; the next run plans them again');
  });
});
