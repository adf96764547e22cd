import { describe, expect, it } from 'vitest';
import { runVerdict } from '../../src/report/verdict.js';
import { license, user, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness, type Harness } from './support/run-harness.js';
import { guardMessage } from '../../src/report/wording/guard-words.js';
import type { GuardRefusal } from '../../src/plan/guards.js';

const messageOf = (guard: GuardRefusal | undefined): string => (guard === undefined ? '' : guardMessage(guard));

// The one-way pipeline through in-memory servers: every way a run can end,
// and what it writes, records and logs on the way.

const harness = useHarness();

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);

/** A primary holding D1..Dn and a user; the backup empty. */
function primaryWith(h: Harness, count = 3): { primary: InMemoryServer; backup: InMemoryServer } {
  h.primary.withLicenses(...ids('D', count).map((id) => license(id, TODAY))).withUsers(user('ana'));
  return { primary: h.primary, backup: h.backups[0] as InMemoryServer };
}

/** Both servers in step: a first sync that copied everything over and recorded the base and last good counts. */
async function inStep(h: Harness, count = 3) {
  const servers = primaryWith(h, count);
  const first = await h.sync();
  expect(first.exitCode, runVerdict(first)).toBe(0);
  servers.backup.writes.length = 0;
  return servers;
}

describe('one-way run: in sync', () => {
  it('writes what the backup lacks, verifies it by listing again, records the base and the listing counts', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    h.primary.withLicenses(license('X1', TODAY, { status: 'blocked' }));
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0, stoppedBeforeTargets: false });
    expect(backup.writes.sort()).toEqual(['block X1', 'create-user ana', 'upsert D1', 'upsert D2', 'upsert D3', 'upsert X1']);
    expect(result.targets[0]).toMatchObject({ outcome: 'in-sync', verified: { inSync: true, relisted: true, remaining: [] }, baseRecorded: true, base: null });
    expect(result.servers.map(({ name, users, licenses, requests }) => ({ name, users, licenses, requests }))).toEqual([
      { name: 'primary', users: 1, licenses: 4, requests: 4 },
      { name: 'backup', users: 0, licenses: 0, requests: 12 },
    ]);
    expect(runVerdict(result)).toBe('In sync: 5 writes applied and verified.');
    expect(h.bases()).toEqual([expect.objectContaining({ meta: expect.objectContaining({ mode: 'one-way', runId: 1 }), licenses: { primary: 4, peer: 4 } })]);
    expect(h.lines('info')).toContain('backup: plan: 5 operations');
    expect(result.newUserPasswordsFile).toMatch(/new-user-passwords\.txt$/);
  });

  it('writes nothing and lists nothing again when the backup already matches, and still records the base', async () => {
    const h = harness();
    const { backup } = await inStep(h);
    const before = h.bases()[0]?.meta.recordedAt;
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0 });
    expect(backup.writes).toEqual([]);
    expect(result.targets[0]).toMatchObject({ verified: { inSync: true, relisted: false, remaining: [] }, baseRecorded: true });
    expect(backup.requestCount).toBe(4);
    expect(h.bases()[0]?.meta.recordedAt).not.toBe(before);
    expect(runVerdict(result)).toBe('In sync: nothing to do.');
  });
});

describe('one-way run: plan only', () => {
  it('stops after planning: changes pending, nothing written, nothing recorded', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    const result = await h.plan();
    expect(result).toMatchObject({ command: 'plan', outcome: 'changes-pending', exitCode: 0, applied: [], verified: null, newUserPasswordsFile: null });
    expect(result.plan?.operations).toHaveLength(4);
    expect(backup.writes).toEqual([]);
    expect(result.targets[0]?.baseRecorded).toBe(false);
    expect(h.bases()).toEqual([]);
    expect(runVerdict(result)).toBe('Plan: 1 user to create, 3 licenses to create. Nothing was written.');
  });
});

describe('one-way run: refused by a guard', () => {
  it('role: the backup account is not an admin (that backup only)', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    backup.faults = { role: 'user' };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, stoppedBeforeTargets: false });
    expect(result.targets[0]?.guards.map((guard) => guard.guard)).toEqual(['role']);
    expect(backup.writes).toEqual([]);
    expect(h.lines('error')).toContain('backup: refused (role): the account on backup has role "user", not "admin": it would see only its own licenses');
  });

  it('role: the primary account is not an admin (the whole run)', async () => {
    const h = harness();
    const { primary, backup } = primaryWith(h);
    primary.faults = { role: 'user' };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, stoppedBeforeTargets: true });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['role']);
    expect(result.targets[0]).toMatchObject({ outcome: 'refused', guards: [], plan: null });
    expect(backup.writes).toEqual([]);
    expect(h.lines('error')).toContain('refused (role): the account on primary has role "user", not "admin": it would see only its own licenses');
  });

  it.each(['primary', 'backup'] as const)('unreadable-listing: the %s answers a listing that is not JSON', async (side) => {
    const h = harness();
    const servers = primaryWith(h);
    servers[side].faults = { malformedListing: 'licenses' };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, stoppedBeforeTargets: side === 'primary' });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['unreadable-listing']);
    expect(result.failures).toEqual([{ server: side, endpoint: 'GET /admin/devices', key: null, reason: 'HTTP 200 with an HTML page' }]);
    expect(servers.backup.writes).toEqual([]);
  });

  it('shrunken-primary: the primary lists far less than the backup holds', async () => {
    const h = harness();
    const { primary, backup } = primaryWith(h, 10);
    backup.withLicenses(...ids('D', 10).map((id) => license(id, TODAY)));
    primary.faults = { partialLicenses: 3 };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['shrunken-primary']);
    expect(messageOf(result.guards[0])).toContain('the primary lists 3 licenses (GET /admin/devices) but the backup has 10');
    expect(backup.writes).toEqual([]);
    // The partial listing would have the 7 licenses it lacks blocked on the backup: the guard is what stops that.
    expect(result.targets[0]?.plan?.operations.filter((operation) => operation.kind === 'block')).toHaveLength(7);
    expect(h.bases()).toEqual([]);
  });

  it('shrunk-since-last-good-run: the primary lists far less than at the last good run', async () => {
    const h = harness();
    const { primary, backup } = await inStep(h, 10);
    for (const id of ids('D', 5)) primary.licenses.delete(id);
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['shrunk-since-last-good-run']);
    expect(backup.writes).toEqual([]);
  });

  it('deletion-limit: --delete would delete more than --max-delete allows, even with --force', async () => {
    const h = harness();
    const { backup } = await inStep(h);
    backup.withLicenses(license('OLD1', TODAY), license('OLD2', TODAY));
    const result = await h.sync({ config: { delete: true, maxDelete: 1 }, force: true });
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['deletion-limit']);
    expect(messageOf(result.guards[0])).toBe('the plan deletes 2 backup-only licenses, more than --max-delete 1 allows');
    expect(backup.writes).toEqual([]);
  });

  it('backup-changed-since-base: licenses created on the backup since the last sync would be undone', async () => {
    const h = harness();
    const { backup } = await inStep(h);
    backup.edit('D1', { owner_name: 'Edited on the backup' });
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['backup-changed-since-base']);
    expect(messageOf(result.guards[0])).toContain('1 license was created or changed on backup since the last sync');
    expect(backup.writes).toEqual([]);
  });

  it('backup-changed-since-base: a sale made only on the backup is refused even when the plan would write nothing else, and the round trip then carries it', async () => {
    const h = harness();
    const { primary, backup } = await inStep(h);
    const baseBefore = h.bases()[0]?.meta.recordedAt;
    backup.withLicenses(license('SOLD-DURING-OUTAGE', TODAY));
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, newUserPasswordsFile: null });
    expect(result.guards.map((guard) => guard.guard)).toEqual(['backup-changed-since-base']);
    const message = messageOf(result.guards[0]);
    expect(message).toContain('(SOLD-DURING-OUTAGE)');
    expect(message).toContain('run: sync-dbs sync --mode two-way --backup backup');
    expect(message).toContain('--force instead destroys that work');
    expect(backup.writes).toEqual([]);
    // Not absorbed: the base still predates the sale, so the round trip sees it as the backup's work.
    expect(h.bases()[0]?.meta.recordedAt).toBe(baseBefore);
    const merged = await h.sync({ config: { mode: 'two-way' } });
    expect(merged.exitCode, runVerdict(merged)).toBe(0);
    expect(primary.licenses.get('SOLD-DURING-OUTAGE')?.status).toBe('active');
  });
});

describe('one-way run: a sale the backup already refuses', () => {
  it('is still work of the backup: refused, not absorbed into the base', async () => {
    const h = harness();
    const { backup } = await inStep(h);
    backup.withLicenses({ ...license('SOLD-BLOCKED', TODAY), status: 'blocked' });
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4 });
    expect(messageOf(result.guards[0])).toContain('(SOLD-BLOCKED)');
    expect(backup.writes).toEqual([]);
  });
});

describe('one-way run: --force', () => {
  it('overrides a forcible guard, says so, writes and becomes the new reference', async () => {
    const h = harness();
    const { backup } = await inStep(h);
    backup.edit('D1', { owner_name: 'Edited on the backup' });
    const result = await h.sync({ force: true });
    expect(result).toMatchObject({ outcome: 'in-sync', exitCode: 0, guards: [] });
    expect(result.forcedGuards.map((guard) => guard.guard)).toEqual(['backup-changed-since-base']);
    expect(backup.writes).toEqual(['upsert D1']);
    expect(h.lines('warn')).toEqual([expect.stringMatching(/^backup: --force: going on although 1 license was created or changed on backup/)]);
    expect(result.targets[0]?.baseRecorded).toBe(true);
  });
});

describe('one-way run: servers that cannot be reached', () => {
  it('an unreachable primary stops the run for every backup: exit 3, nothing written', async () => {
    const h = harness();
    const { primary, backup } = primaryWith(h);
    primary.faults = { unreachable: true };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3, stoppedBeforeTargets: true, plan: null });
    expect(result.failures).toEqual([{ server: 'primary', endpoint: 'GET /health', key: null, reason: 'no answer (ECONNREFUSED)' }]);
    expect(backup.writes).toEqual([]);
    expect(runVerdict(result)).toBe('Unreachable: the primary (GET /health: no answer (ECONNREFUSED)). Nothing was written.');
    expect(h.lines('error')).toContain('primary GET /health: no answer (ECONNREFUSED)');
  });

  it('an unreachable backup: exit 3, the primary still read', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    backup.faults = { unreachable: true };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3, stoppedBeforeTargets: false });
    expect(result.targets[0]?.failures).toEqual([{ server: 'backup', endpoint: 'GET /health', key: null, reason: 'no answer (ECONNREFUSED)' }]);
    expect(result.servers[0]).toMatchObject({ name: 'primary', licenses: 3 });
    expect(h.lines('error')).toContain('backup GET /health: no answer (ECONNREFUSED)');
  });

  it('a refused login is unreachable too', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    backup.faults = { refuseLogin: true };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: 3 });
    expect(runVerdict(result)).toBe('Login failed on the backup (POST /admin/login: HTTP 401: invalid credentials). Nothing was written.');
  });

  it('a backup that cannot be listed again after writing: failed, not verified, no base', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    backup.faults = { unreachableFromListing: 2 };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(result.targets[0]).toMatchObject({ verified: { inSync: false, relisted: false, remaining: [] }, baseRecorded: false });
    expect(result.failures).toEqual([expect.objectContaining({ server: 'backup', reason: 'no answer (ECONNRESET)' })]);
    expect(h.bases()).toEqual([]);
  });
});

describe('one-way run: writes that fail, and verification', () => {
  it('a failed write: exit 1, the failure listed, the rest written, no base', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    backup.failWrite({ call: 'upsert', key: 'D2' });
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1 });
    expect(result.failures).toEqual([{ server: 'backup', endpoint: 'POST /admin/devices/create', key: 'D2', reason: 'HTTP 500' }]);
    expect(backup.writes.sort()).toEqual(['create-user ana', 'upsert D1', 'upsert D3']);
    expect(result.targets[0]?.verified).toMatchObject({ inSync: false, relisted: true });
    expect(result.targets[0]?.baseRecorded).toBe(false);
    expect(h.bases()).toEqual([]);
    expect(runVerdict(result)).toBe('NOT in sync: 1 of 4 writes failed; verification found 1 operation still needed.');
  });

  it('a backup changed between the listing and the verification: exit 1, the remaining operation reported, no base', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    backup.beforeLicenseListing = (listing) => {
      if (listing === 2) backup.edit('D1', { owner_name: 'Changed behind our back' });
    };
    const result = await h.sync();
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, failures: [] });
    expect(result.verified?.remaining.map((operation) => `${operation.kind} ${operation.key}`)).toEqual(['update-license license:D1']);
    expect(result.targets[0]?.baseRecorded).toBe(false);
    expect(h.bases()).toEqual([]);
    expect(h.lines('warn')).toContain('backup: verification: still needs 1 operation');
  });
});

describe('one-way run: interrupted', () => {
  it('stops sending once the signal is aborted: exit 6, the rest not sent, no base', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    const stop = new AbortController();
    backup.afterWrite = () => stop.abort();
    const result = await h.sync({ signal: stop.signal, config: { concurrency: 1 } });
    expect(result).toMatchObject({ outcome: 'interrupted', exitCode: 6 });
    expect(backup.writes).toHaveLength(1);
    expect(result.applied.filter((applied) => applied.status === 'not-sent')).toHaveLength(3);
    expect(result.targets[0]).toMatchObject({ verified: null, baseRecorded: false });
    expect(h.lines('warn')).toContain('backup: interrupted: 3 of 4 operations were not sent; the next run plans them again');
    expect(runVerdict(result)).toBe('Interrupted: 1 of 4 writes sent, the rest left for the next run.');
  });

  it('before reading the backups when the signal comes while the primary is listed: the whole run stops', async () => {
    const h = harness();
    const { primary, backup } = primaryWith(h);
    const stop = new AbortController();
    primary.beforeLicenseListing = () => stop.abort();
    const result = await h.sync({ signal: stop.signal });
    expect(result).toMatchObject({ outcome: 'interrupted', exitCode: 6, stoppedBeforeTargets: true, plan: null });
    expect(result.servers.map((server) => server.licenses)).toEqual([null, null]);
    expect(backup.writes).toEqual([]);
    expect(runVerdict(result)).toBe('Interrupted before writing anything.');
  });

  it('before writing anything when the signal comes while reading', async () => {
    const h = harness();
    const { backup } = primaryWith(h);
    const stop = new AbortController();
    backup.beforeLicenseListing = () => stop.abort();
    const result = await h.sync({ signal: stop.signal });
    expect(result).toMatchObject({ outcome: 'interrupted', exitCode: 6 });
    expect(backup.writes).toEqual([]);
    expect(runVerdict(result)).toBe('Interrupted before writing anything.');
  });
});
