import { describe, expect, it } from 'vitest';
import type { RunResult, TargetResult } from '../../src/outcome/run-result.js';
import { JSON_REPORT_FORMAT, toJsonReport } from '../../src/report/json-report.js';
import type { GuardRefusal } from '../../src/plan/guards.js';
import { ONE_WAY, twoWaySides, type SideChangeFacts } from '../../src/plan/reasons.js';
import { renderTextReport } from '../../src/report/text-report.js';
import {
  aConflict,
  aFailure,
  aPlan,
  aRunOver,
  aRunResult,
  aRunWithOneBackupDown,
  aServer,
  aTarget,
  blockLicense,
  contentDiffers,
  createLicense,
  createUser,
  deleteLicense,
  done,
  driftItem,
  edited,
  failed,
  many,
  mergedWrite,
  reownLicense,
  skippedItem,
  to,
  updateLicense,
  upsertBody,
} from './support/run-result-builders.js';

// Times in the text report are shown in the machine's time zone: pin it for these tests.
process.env.TZ = 'UTC';

function roundTrip<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('toJsonReport: frame', () => {
  it('has the documented top-level keys, and the run facts as given', () => {
    const report = toJsonReport(aRunResult({ outcome: 'failed', exitCode: 1, startedAt: '2025-06-01T10:00:00.000Z', durationMs: 8432, today: '2025-06-01' }));
    expect(Object.keys(report).sort()).toEqual(
      [
        'format',
        'command',
        'mode',
        'resync',
        'outcome',
        'exitCode',
        'verdict',
        'startedAt',
        'durationMs',
        'today',
        'servers',
        'targets',
        'plan',
        'applied',
        'failures',
        'skipped',
        'drift',
        'expectedDifferences',
        'welcomeEmails',
        'guards',
        'forcedGuards',
        'interruptedRuns',
        'runId',
        'verified',
        'newUserPasswordsFile',
        'needsPerson',
      ].sort(),
    );
    expect(report).toMatchObject({ format: 'sync-dbs-report/1', command: 'sync', mode: 'one-way', resync: false, outcome: 'failed', exitCode: 1, verdict: 'NOT in sync: verification could not re-read the backup.', startedAt: '2025-06-01T10:00:00.000Z', durationMs: 8432, today: '2025-06-01' });
    expect(JSON_REPORT_FORMAT).toBe('sync-dbs-report/1');
  });

  it('copies the servers, rejected records included', () => {
    const rejected = [{ kind: 'license' as const, key: null, index: 4, reason: 'device_id is missing' }];
    const report = toJsonReport(aRunResult({ servers: [aServer('primary', { users: 5, licenses: 50, requests: 4 }), aServer('backup', { role: null, users: null, licenses: null, mustChangePassword: null, rejected })] }));
    expect(report.servers).toEqual([
      { name: 'primary', url: 'https://primary.example.com', username: 'sync-admin', role: 'admin', mustChangePassword: false, users: 5, licenses: 50, rejected: [], requests: 4, writes: null },
      { name: 'backup', url: 'https://backup.example.com', username: 'sync-admin', role: null, mustChangePassword: null, users: null, licenses: null, rejected, requests: 2, writes: null },
    ]);
  });

  it('gives the concurrency each server\'s writes reached (median, max) and their rate', () => {
    const writes = { requests: 14_785, medianInFlight: 18, maxInFlight: 24, perSecond: 291.4366, maxLatencyMs: 412 };
    const report = toJsonReport(aRunResult({ servers: [aServer('primary'), aServer('backup', { writes })] }));
    expect(report.servers.map((server) => server.writes)).toEqual([null, { requests: 14_785, concurrency: { median: 18, max: 24 }, perSecond: 291.4, maxLatencyMs: 412 }]);
  });

  it('round-trips through JSON.stringify and JSON.parse unchanged', () => {
    const ops = [createUser('alice'), createLicense('D1', 'deny:blocked'), updateLicense('D2'), reownLicense('D3'), blockLicense('D4'), deleteLicense('D5')];
    const report = toJsonReport(
      aRunResult({
        outcome: 'failed',
        plan: aPlan({ operations: ops, skipped: [skippedItem('backup-only', 'B1')], drift: [driftItem('license-dates', 'D9')] }),
        applied: [done(ops[0]!), failed(ops[1]!, 'block failed; deleted again')],
        failures: [aFailure()],
        guards: [{ guard: 'role', facts: { server: 'backup', role: 'user' } }],
        verified: { inSync: false, relisted: true, remaining: [ops[1]!] },
        newUserPasswordsFile: '/home/op/new-users.txt',
      }),
    );
    expect(roundTrip(report)).toStrictEqual(report);
  });
});

describe('toJsonReport: plan', () => {
  it('sums the plan up by verb and lists every operation with its fields', () => {
    const operations = [
      createUser('alice'),
      createLicense('D1', 'deny:expired'),
      updateLicense('D2', contentDiffers('cpf')),
      reownLicense('D3', 'r1', { code: 'owner-differs', sides: ONE_WAY, targetOwner: 'admin', sourceOwner: 'r1' }),
      blockLicense('D4', { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'deny:pending' }),
    ];
    const report = toJsonReport(aRunResult({ plan: aPlan({ operations }) }));
    expect(report.plan?.summary).toEqual({ createUser: 1, create: 1, update: 1, reown: 1, block: 1, activate: 0, delete: 0 });
    expect(report.plan?.operations).toEqual([
      { server: 'backup', kind: 'create-user', key: 'user:alice', reason: 'missing on the backup', username: 'alice', email: 'alice@example.com', role: 'user' },
      { server: 'backup', kind: 'create-license', key: 'license:D1', reason: 'missing on the backup', body: upsertBody('D1'), thenBlock: 'the primary denies it (expired)' },
      { server: 'backup', kind: 'update-license', key: 'license:D2', reason: 'content differs (cpf)', body: upsertBody('D2') },
      { server: 'backup', kind: 'update-created-by', key: 'license:D3', reason: 'owner admin on the backup, r1 on the primary', deviceId: 'D3', createdBy: 'r1' },
      { server: 'backup', kind: 'block', key: 'license:D4', reason: 'blocked on the primary, pending on the backup', deviceId: 'D4' },
    ]);
  });

  it('lists operations in full, however many', () => {
    const report = toJsonReport(aRunResult({ plan: aPlan({ operations: many(2500, 'C', (key) => createLicense(key)) }) }));
    expect(report.plan?.operations).toHaveLength(2500);
    expect(report.plan?.summary.create).toBe(2500);
  });

  it('is null when the run stopped before planning', () => {
    const report = toJsonReport(aRunResult({ plan: null, verified: null }));
    expect(report.plan).toBeNull();
    expect(report.skipped).toEqual({ total: 0, byReason: {} });
    expect(report.drift).toEqual({ total: 0, byKind: {} });
  });
});

describe('toJsonReport: applied, failures, guards, verification', () => {
  it('lists what was applied with status and note, and counts it', () => {
    const applied = [done(createLicense('D1'), 'created, then blocked'), done(blockLicense('D2')), failed(updateLicense('D3'))];
    const report = toJsonReport(aRunResult({ applied }));
    expect(report.applied.operations).toEqual([
      { server: 'backup', kind: 'create-license', key: 'license:D1', status: 'done', note: 'created, then blocked' },
      { server: 'backup', kind: 'block', key: 'license:D2', status: 'done', note: null },
      { server: 'backup', kind: 'update-license', key: 'license:D3', status: 'failed', note: null },
    ]);
    expect(report.applied.summary).toEqual({
      done: 2,
      failed: 1,
      notSent: 0,
      unknown: 0,
      doneByVerb: { createUser: 0, create: 1, update: 0, reown: 0, block: 1, activate: 0, delete: 0 },
      failedByVerb: { createUser: 0, create: 0, update: 1, reown: 0, block: 0, activate: 0, delete: 0 },
    });
  });

  it('lists failures and guard refusals in full', () => {
    const failures = many(30, 'F', (key) => aFailure({ key }));
    const guards: GuardRefusal[] = [
      { guard: 'shrunken-primary', facts: { field: 'licenses', primary: 1, reference: { kind: 'server', server: 'backup' }, referenceCount: 100, minRatio: 0.5 } },
    ];
    const report = toJsonReport(aRunResult({ failures, guards }));
    expect(report.failures).toHaveLength(30);
    expect(report.failures[29]).toEqual({ server: 'backup', endpoint: 'POST /admin/devices/create', key: 'F-30', reason: 'HTTP 500 after 3 attempts' });
    expect(report.guards).toEqual([
      {
        guard: 'shrunken-primary',
        message: 'the primary lists 1 license (GET /admin/devices) but the backup has 100, below the 50% minimum (--min-primary-ratio): the listing may be partial',
      },
    ]);
  });

  it('gives the verification with its remaining operations, or null', () => {
    expect(toJsonReport(aRunResult({ verified: { inSync: false, relisted: true, remaining: [blockLicense('D1')] } })).verified).toEqual({
      inSync: false,
      relisted: true,
      remaining: [{ server: 'backup', kind: 'block', key: 'license:D1', reason: 'blocked on the primary, allowed on the backup', deviceId: 'D1' }],
    });
    expect(toJsonReport(aRunResult({ verified: null })).verified).toBeNull();
  });

  it('gives the password file path, or null', () => {
    expect(toJsonReport(aRunResult({ newUserPasswordsFile: '/home/op/new-users.txt' })).newUserPasswordsFile).toBe('/home/op/new-users.txt');
    expect(toJsonReport(aRunResult()).newUserPasswordsFile).toBeNull();
  });
});

describe('toJsonReport: aggregation', () => {
  it('aggregates skipped records by reason, with the first 20 keys', () => {
    const skipped = [...many(25, 'OLD', (key) => skippedItem('backup-only', key)), skippedItem('backup-only', 'ghost', 'user'), skippedItem('unreadable', 'BAD')];
    const report = toJsonReport(aRunResult({ plan: aPlan({ skipped }) }));
    expect(report.skipped.total).toBe(27);
    expect(Object.keys(report.skipped.byReason)).toEqual(['backup-only', 'unreadable']);
    expect(report.skipped.byReason['backup-only']?.count).toBe(26);
    expect(report.skipped.byReason['backup-only']?.keys).toEqual(many(20, 'OLD', (key) => `license:${key}`));
    expect(report.skipped.byReason.unreadable).toEqual({ count: 1, keys: ['license:BAD'] });
  });

  it('aggregates drift by kind, with at most 5 examples', () => {
    const drift = [...many(12, 'LIC', (key) => driftItem('license-custom-interval', key)), driftItem('user-email', 'bob')];
    const report = toJsonReport(aRunResult({ plan: aPlan({ drift }) }));
    expect(report.drift.total).toBe(13);
    expect(report.drift.byKind).toEqual({
      'user-email': { count: 1, examples: [{ key: 'bob', detail: 'email none on the backup, "bob@example.com" on the primary' }] },
      'license-custom-interval': { count: 12, examples: many(5, 'LIC', (key) => ({ key, detail: '30 on the backup, 60 on the primary' })) },
    });
    expect(report.expectedDifferences).toEqual({ total: 0, byKind: {} });
  });

  it("keeps the sync's own differences out of drift, under expectedDifferences with the same detail", () => {
    const drift = [
      ...many(12, 'LIC', (key) => driftItem('license-telemetry', key)),
      driftItem('user-email', 'bob'),
      { kind: 'license-features', key: 'F1', sides: ONE_WAY, source: 'core,nfe', target: 'core' } as const,
    ];
    const report = toJsonReport(aRunResult({ plan: aPlan({ drift }) }));
    expect(report.drift).toEqual({ total: 1, byKind: { 'user-email': { count: 1, examples: [{ key: 'bob', detail: 'email none on the backup, "bob@example.com" on the primary' }] } } });
    expect(report.expectedDifferences.total).toBe(13);
    expect(report.expectedDifferences.byKind).toEqual({
      'license-features': { count: 1, examples: [{ key: 'F1', detail: '"core" on the backup, "core,nfe" on the primary' }] },
      'license-telemetry': { count: 12, examples: many(5, 'LIC', (key) => ({ key, detail: 'last-seen fields differ (written by clients on each server)' })) },
    });
  });

  it('counts the welcome e-mails each server may send (planned) and may have sent (done or unknown writes)', () => {
    const operations = [
      ...many(3, 'R', (key) => to('render', createLicense(key))),
      to('koyeb', updateLicense('K1')),
      to('koyeb', createLicense('K2')),
      to('koyeb', blockLicense('K3')),
      to('koyeb', { ...createLicense('K4'), body: upsertBody('K4', { email: '  ' }) }),
    ];
    const applied = [done(operations[0]!), { operation: operations[1]!, status: 'unknown' as const, note: null }, failed(operations[2]!), done(operations[3]!)];
    const report = toJsonReport(aRunResult({ plan: aPlan({ operations }), applied }));
    expect(report.welcomeEmails).toEqual({
      planned: { total: 5, byServer: { render: 3, koyeb: 2 } },
      sent: { total: 3, byServer: { render: 2, koyeb: 1 } },
    });
    expect(toJsonReport(aRunResult()).welcomeEmails).toEqual({ planned: { total: 0, byServer: {} }, sent: { total: 0, byServer: {} } });
  });

  it('stays small for a 100,000-license backup drifting everywhere', () => {
    const drift = many(100_000, 'LIC', (key) => driftItem('license-dates', key));
    const skipped = many(100_000, 'OLD', (key) => skippedItem('backup-only', key));
    const text = JSON.stringify(toJsonReport(aRunResult({ plan: aPlan({ drift, skipped }) })));
    expect(text.length).toBeLessThan(5_000);
    expect(text).toContain('"count":100000');
  });
});

describe('toJsonReport: mode and targets', () => {
  const NO_VERBS = { createUser: 0, create: 0, update: 0, reown: 0, block: 0, activate: 0, delete: 0 };

  it('says one-way without --resync for a one-way run, with its one backup as the one target', () => {
    const report = toJsonReport(aRunResult());
    expect(report.mode).toBe('one-way');
    expect(report.resync).toBe(false);
    expect(report.targets).toEqual([
      {
        server: 'backup',
        url: 'https://backup.example.com',
        outcome: 'in-sync',
        exitCode: 0,
        verdict: 'In sync: nothing to do.',
        plan: { summary: NO_VERBS, operations: 0, conflicts: 0 },
        applied: { done: 0, failed: 0, notSent: 0 },
        failures: 0,
        guards: [],
        forcedGuards: [],
        verified: { inSync: true, relisted: false, remaining: 0 },
        base: null,
        baseRecorded: false,
      },
    ]);
  });

  it('gives each backup its own outcome, exit code, verdict and counts, and the run the worst', () => {
    const report = toJsonReport(aRunWithOneBackupDown());
    expect(report).toMatchObject({ mode: 'one-way', resync: false, outcome: 'unreachable', exitCode: 3 });
    expect(report.verdict).toBe(
      '1 of 2 backups in sync. render: In sync: 2 writes applied and verified. koyeb: Unreachable: koyeb (GET /health: timed out after 60 s). Nothing was written.',
    );
    expect(report.targets).toEqual([
      {
        server: 'render',
        url: 'https://render.example.com',
        outcome: 'in-sync',
        exitCode: 0,
        verdict: 'In sync: 2 writes applied and verified.',
        plan: { summary: { ...NO_VERBS, create: 1, block: 1 }, operations: 2, conflicts: 0 },
        applied: { done: 2, failed: 0, notSent: 0 },
        failures: 0,
        guards: [],
        forcedGuards: [],
        verified: { inSync: true, relisted: true, remaining: 0 },
        base: null,
        baseRecorded: false,
      },
      {
        server: 'koyeb',
        url: 'https://koyeb.example.com',
        outcome: 'unreachable',
        exitCode: 3,
        verdict: 'Unreachable: koyeb (GET /health: timed out after 60 s). Nothing was written.',
        plan: null,
        applied: { done: 0, failed: 0, notSent: 0 },
        failures: 1,
        guards: [],
        forcedGuards: [],
        verified: null,
        base: null,
        baseRecorded: false,
      },
    ]);
    // The run-level keys sum the targets up: each backup's writes and failures, each naming its server.
    expect(report.plan?.operations.map(({ server, key }) => `${server} ${key}`)).toEqual(['render license:D1', 'render license:D2']);
    expect(report.applied.operations.map(({ server, key, status }) => `${server} ${key} ${status}`)).toEqual(['render license:D1 done', 'render license:D2 done']);
    expect(report.failures).toEqual([{ server: 'koyeb', endpoint: 'GET /health', key: null, reason: 'timed out after 60 s' }]);
  });

  it('counts failed and unsent writes, guards and remaining operations per target', () => {
    const ops = [to('koyeb', createLicense('D1')), to('koyeb', blockLicense('D2')), to('koyeb', updateLicense('D3'))];
    const guard: GuardRefusal = { guard: 'shrunken-primary', facts: { field: 'licenses', primary: 1, reference: { kind: 'server', server: 'koyeb' }, referenceCount: 100, minRatio: 0.5 } };
    const koyeb = aTarget('koyeb', {
      outcome: 'interrupted',
      exitCode: 6,
      plan: aPlan({ operations: ops }),
      applied: [done(ops[0]!), failed(ops[1]!), { operation: ops[2]!, status: 'not-sent', note: null }],
      failures: [aFailure({ server: 'koyeb' }), aFailure({ server: 'koyeb', key: 'D2' })],
      guards: [guard],
      verified: { inSync: false, relisted: true, remaining: [ops[1]!, ops[2]!] },
    });
    const [target] = toJsonReport(aRunOver([aTarget('render'), koyeb])).targets.slice(1);
    expect(target).toMatchObject({
      server: 'koyeb',
      outcome: 'interrupted',
      exitCode: 6,
      plan: { summary: { ...NO_VERBS, create: 1, update: 1, block: 1 }, operations: 3, conflicts: 0 },
      applied: { done: 1, failed: 1, notSent: 1 },
      failures: 2,
      guards: [{ guard: 'shrunken-primary', message: 'the primary lists 1 license (GET /admin/devices) but koyeb has 100, below the 50% minimum (--min-primary-ratio): the listing may be partial' }],
      verified: { inSync: false, relisted: true, remaining: 2 },
    });
  });

  it('gives a two-way run its mode, the base it merged against and whether it recorded the next one', () => {
    const peer = aTarget('render', {
      plan: aPlan({ conflicts: [aConflict({ key: 'D1' }), aConflict({ key: 'D2', resolution: 'block', kind: 'block-vs-edit' })] }),
      base: { recordedAt: '2025-05-31T22:00:00.000Z', runId: 41, mode: 'two-way' },
      baseRecorded: true,
    });
    const report = toJsonReport(aRunOver([peer], { mode: 'two-way' }));
    expect(report.mode).toBe('two-way');
    expect(report.resync).toBe(false);
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0]).toMatchObject({
      server: 'render',
      plan: { operations: 0, conflicts: 2 },
      base: { recordedAt: '2025-05-31T22:00:00.000Z', runId: 41, mode: 'two-way' },
      baseRecorded: true,
    });
  });

  it('says --resync, with no base, for the first two-way run of a pair', () => {
    const report = toJsonReport(aRunOver([aTarget('render', { baseRecorded: true })], { mode: 'two-way', resync: true }));
    expect(report).toMatchObject({ mode: 'two-way', resync: true });
    expect(report.targets[0]?.base).toBeNull();
    expect(report.targets[0]?.baseRecorded).toBe(true);
  });

  it('copies a base recorded by a one-way run without a run number as it is', () => {
    const report = toJsonReport(aRunOver([aTarget('render', { base: { recordedAt: '2025-05-30T08:00:00.000Z', runId: null, mode: 'one-way' } })], { mode: 'two-way' }));
    expect(report.targets[0]?.base).toEqual({ recordedAt: '2025-05-30T08:00:00.000Z', runId: null, mode: 'one-way' });
  });

  it('lists no target-level operations: they stay in the run-level plan, each naming its server', () => {
    const text = JSON.stringify(toJsonReport(aRunWithOneBackupDown()).targets);
    expect(text).not.toContain('license:D1');
  });
});

describe('toJsonReport: conflicts and directions', () => {
  const CREATED_ON = (side: string): SideChangeFacts => ({ code: 'created', side, held: null });
  const blockedOn = (side: string): SideChangeFacts => ({ code: 'edited', side, content: [], owner: null, held: 'blocked', opened: false, renewed: false });
  const BLOCKED_ON_PEER = blockedOn('render');
  const BLOCKED_ON_PRIMARY = blockedOn('primary');
  const R1_REASON = 'blocked on primary since the base (a block always wins); blocked on primary, allowed on render';

  it('lists every conflict with kind, key, resolution and detail', () => {
    const conflicts = [
      aConflict({ kind: 'both-edited', key: 'D1', resolution: 'primary' }),
      aConflict({ kind: 'block-vs-edit', key: 'D2', resolution: 'block', changes: { primary: edited('primary', 'email'), peer: BLOCKED_ON_PEER }, outcome: { code: 'block-wins', from: null } }),
      aConflict({
        kind: 'deleted-vs-edited',
        key: 'D4',
        resolution: 'peer',
        changes: { primary: { code: 'deleted', side: 'primary' }, peer: edited('render', 'cpf') },
        outcome: { code: 'won-restored', winner: 'render', policy: 'peer', restoredOn: 'primary' },
      }),
      aConflict({ kind: 'created-on-both', key: 'D5', resolution: 'left', changes: { primary: CREATED_ON('primary'), peer: CREATED_ON('render') }, outcome: { code: 'left' } }),
    ];
    const report = toJsonReport(aRunOver([aTarget('render', { plan: aPlan({ conflicts }) })], { mode: 'two-way' }));
    expect(report.plan?.conflicts).toEqual([
      {
        kind: 'both-edited',
        key: 'D1',
        resolution: 'primary',
        detail: 'edited on primary since the base (content: owner_name); edited on render since the base (content: owner_name); primary wins (--conflict primary)',
      },
      {
        kind: 'block-vs-edit',
        key: 'D2',
        resolution: 'block',
        detail:
          'edited on primary since the base (content: email); blocked on render since the base (a block always wins); the block wins; content and owner left as they are (--conflict none)',
      },
      {
        kind: 'deleted-vs-edited',
        key: 'D4',
        resolution: 'peer',
        detail: 'deleted on primary since the base; edited on render since the base (content: cpf); render wins (--conflict peer): restored on primary',
      },
      { kind: 'created-on-both', key: 'D5', resolution: 'left', detail: 'created on primary since the base; created on render since the base; left as is (--conflict none)' },
    ]);
  });

  it('lists conflicts in full, however many', () => {
    const conflicts = many(500, 'K', (key) => aConflict({ key }));
    const report = toJsonReport(aRunOver([aTarget('render', { plan: aPlan({ conflicts }) })], { mode: 'two-way' }));
    expect(report.plan?.conflicts).toHaveLength(500);
    expect(report.plan?.conflicts[499]?.key).toBe('K-500');
    expect(report.targets[0]?.plan?.conflicts).toBe(500);
  });

  it('has an empty conflict list for a one-way plan', () => {
    expect(toJsonReport(aRunResult()).plan?.conflicts).toEqual([]);
  });

  it('names the server written to on every planned, applied and remaining operation', () => {
    const toPrimary = to('primary', createLicense('P1', null, mergedWrite(CREATED_ON('render'), { code: 'missing', sides: twoWaySides('render', 'primary') })));
    const toPeer = to('render', blockLicense('R1', mergedWrite(BLOCKED_ON_PRIMARY, { code: 'denied-on-source', sides: twoWaySides('primary', 'render'), source: 'deny:blocked', target: 'allow' })));
    const user = to('primary', createUser('carla', { code: 'user-created-on-source', sides: twoWaySides('render', 'primary') }));
    const peer = aTarget('render', {
      outcome: 'failed',
      plan: aPlan({ operations: [toPrimary, toPeer, user] }),
      applied: [done(toPrimary), failed(toPeer, 'HTTP 500'), done(user)],
      verified: { inSync: false, relisted: true, remaining: [toPeer] },
    });
    const report = toJsonReport(aRunOver([peer], { mode: 'two-way', outcome: 'failed' }));
    expect(report.plan?.operations).toEqual([
      { server: 'primary', kind: 'create-license', key: 'license:P1', reason: 'created on render since the base; missing on primary', body: upsertBody('P1'), thenBlock: null },
      { server: 'render', kind: 'block', key: 'license:R1', reason: R1_REASON, deviceId: 'R1' },
      { server: 'primary', kind: 'create-user', key: 'user:carla', reason: 'created on render; missing on primary', username: 'carla', email: 'carla@example.com', role: 'user' },
    ]);
    expect(report.applied.operations).toEqual([
      { server: 'primary', kind: 'create-license', key: 'license:P1', status: 'done', note: null },
      { server: 'render', kind: 'block', key: 'license:R1', status: 'failed', note: 'HTTP 500' },
      { server: 'primary', kind: 'create-user', key: 'user:carla', status: 'done', note: null },
    ]);
    expect(report.verified?.remaining).toEqual([{ server: 'render', kind: 'block', key: 'license:R1', reason: R1_REASON, deviceId: 'R1' }]);
  });

  it('round-trips a run over several backups through JSON unchanged', () => {
    const report = toJsonReport(aRunWithOneBackupDown());
    expect(roundTrip(report)).toStrictEqual(report);
  });
});

describe('toJsonReport: no password ever', () => {
  // RunResults as they might arrive at run time, parsed from text, with secrets
  // riding along on objects that should never carry them: one backup, two
  // backups, and a two-way run with its base and conflicts.
  const SECRET = 'Sup3r-S3cret-Pa55';
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-token';
  const PW = `"password": "${SECRET}"`;

  function serverText(name: string, url: string): string {
    return `{"name": "${name}", "url": "${url}", "username": "sync-admin", ${PW}, "token": "${TOKEN}",
      "role": "admin", "mustChangePassword": false, "users": 1, "licenses": 1,
      "rejected": [{"kind": "user", "key": "eve", "index": 0, "reason": "bad role", ${PW}}], "requests": 3,
      "writes": {"requests": 5, "medianInFlight": 2, "maxInFlight": 3, "perSecond": 10, "maxLatencyMs": 50, ${PW}, "token": "${TOKEN}"}}`;
  }

  function targetText(name: string, url: string, licenseTo: string): string {
    const carla = `{"server": "${name}", "kind": "create-user", "key": "user:carla", "reason": {"code": "missing", "sides": {"mode": "one-way", ${PW}}, ${PW}}, "username": "carla", "email": null, "role": "user", ${PW}}`;
    const license = `{"server": "${licenseTo}", "kind": "create-license", "key": "license:D1", "reason": {"code": "missing", "sides": {"mode": "one-way"}, ${PW}}, "thenBlock": null, ${PW},
      "body": {"device_id": "D1", "license_type": "anual", "owner_name": null, "cpf": null, "email": null, "address": null, "created_by": "admin", ${PW}}}`;
    return `{
      "server": "${name}", "url": "${url}", "outcome": "failed", "exitCode": 1, "verdict": "NOT in sync.", ${PW}, "token": "${TOKEN}",
      "plan": {
        "operations": [${carla}, ${license}],
        "skipped": [{"kind": "user", "key": "ghost", "reason": "backup-only", ${PW}}],
        "drift": [{"kind": "user-email", "key": "bob", "sides": {"mode": "one-way", ${PW}}, "source": "bob@example.com", "target": null, ${PW}}],
        "conflicts": [{"kind": "both-edited", "key": "D7", "resolution": "primary", ${PW},
          "changes": {"primary": {"code": "edited", "side": "primary", "content": ["owner_name"], "owner": null, "held": null, "opened": false, "renewed": false, ${PW}},
            "peer": {"code": "edited", "side": "render", "content": ["owner_name"], "owner": null, "held": null, "opened": false, "renewed": false}, ${PW}},
          "outcome": {"code": "won", "winner": "primary", "policy": "primary", ${PW}}}],
        ${PW}
      },
      "applied": [{"operation": ${carla}, "status": "done", "note": null, ${PW}}, {"operation": ${license}, "status": "failed", "note": null, ${PW}}],
      "failures": [{"server": "${name}", "endpoint": "POST /admin/devices/create", "key": "D1", "reason": "HTTP 400", ${PW}, "headers": {"Authorization": "Bearer ${TOKEN}"}}],
      "guards": [{"guard": "role", "facts": {"server": "primary", "role": "user", ${PW}}, ${PW}}],
      "forcedGuards": [{"guard": "shrunken-primary", ${PW},
        "facts": {"field": "users", "primary": 1, "reference": {"kind": "server", "server": "backup", ${PW}}, "referenceCount": 9, "minRatio": 0.5, ${PW}}}],
      "verified": {"inSync": false, "relisted": true, "remaining": [${license}], ${PW}},
      "base": {"recordedAt": "2025-05-31T22:00:00.000Z", "runId": 41, "mode": "two-way", ${PW}, "token": "${TOKEN}"},
      "baseRecorded": true
    }`;
  }

  /** The run as runSync assembles it: its plan, writes and failures are the targets' own objects. */
  function parsedRun(mode: 'one-way' | 'two-way', backups: readonly (readonly [name: string, url: string])[]): RunResult {
    const targets = backups.map(([name, url]) => JSON.parse(targetText(name, url, mode === 'two-way' ? 'primary' : name)) as TargetResult);
    const run = JSON.parse(`{
      "command": "sync", "mode": "${mode}", "resync": false, "outcome": "failed", "exitCode": 1, "verdict": "NOT in sync.",
      "startedAt": "2025-06-01T10:00:00.000Z", "durationMs": 900, "today": "2025-06-01",
      "servers": [${[['primary', 'https://primary.example.com'] as const, ...backups].map(([name, url]) => serverText(name, url)).join(', ')}],
      "interruptedRuns": [{"id": 3, "startedAt": "2025-06-01T09:00:00.000Z", "pid": 42, "hostname": "ops", "done": 1, "failed": 0, "unknown": 1, "notSent": 2, ${PW}}],
      "runId": 4,
      "newUserPasswordsFile": "/home/op/new-users.txt",
      ${PW}, "token": "${TOKEN}"
    }`) as Partial<RunResult>;
    return aRunOver(targets, run);
  }

  const BOTH_EDITED = 'edited on primary since the base (content: owner_name); edited on render since the base (content: owner_name); primary wins (--conflict primary)';

  const RUNS = [
    ['one backup', parsedRun('one-way', [['backup', 'https://backup.example.com']]), ['    + → backup user carla: missing on the backup']],
    [
      'two backups',
      parsedRun('one-way', [
        ['render', 'https://render.example.com'],
        ['koyeb', 'https://koyeb.example.com'],
      ]),
      ['── render (https://render.example.com): NOT in sync: 1 of 2 writes failed; verification found 1 operation still needed.', '      + → render user carla: missing on the backup', '── koyeb (https://koyeb.example.com): NOT in sync: 1 of 2 writes failed; verification found 1 operation still needed.', '      + → koyeb user carla: missing on the backup'],
    ],
    [
      'a two-way run',
      parsedRun('two-way', [['render', 'https://render.example.com']]),
      ['  base: both sides as recorded 05/31/2025 22:00:00 UTC by run #41 (two-way)', '    + ← primary license D1: missing on the backup', `  both-edited license D7: ${BOTH_EDITED}; the primary's version is now on both sides`],
    ],
  ] as const;

  it.each(RUNS)('leaves every password and token out of the JSON report of %s', (_, parsed) => {
    const report = toJsonReport(parsed);
    const text = JSON.stringify(report);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/"password"/i);
    expect(text).not.toMatch(/"token"|"headers"|Authorization/i);
    // The records themselves are still there.
    expect(report.targets).toHaveLength(parsed.targets.length);
    expect(text).toContain('"username":"carla"');
    expect(text).toContain(`"conflicts":[{"kind":"both-edited","key":"D7","resolution":"primary","detail":"${BOTH_EDITED}"}`);
    expect(text).toContain('/home/op/new-users.txt');
  });

  it.each(RUNS)('leaves every password and token out of the text report of %s', (_, parsed, lines) => {
    const text = renderTextReport(parsed);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    for (const line of lines) expect(text.split('\n')).toContain(line);
  });
});
