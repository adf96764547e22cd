import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/run/run-result.js';
import { JSON_REPORT_FORMAT, toJsonReport } from '../../src/report/json-report.js';
import { renderTextReport } from '../../src/report/text-report.js';
import {
  aFailure,
  aPlan,
  aRunResult,
  aServer,
  blockLicense,
  createLicense,
  createUser,
  deleteLicense,
  done,
  driftItem,
  failed,
  many,
  reownLicense,
  skippedItem,
  updateLicense,
  upsertBody,
} from './support/run-result-builders.js';

function roundTrip<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

describe('toJsonReport: frame', () => {
  it('has the documented top-level keys, and the run facts as given', () => {
    const report = toJsonReport(aRunResult({ outcome: 'failed', exitCode: 1, verdict: 'failed.', startedAt: '2025-06-01T10:00:00.000Z', durationMs: 8432, today: '2025-06-01' }));
    expect(Object.keys(report).sort()).toEqual(
      [
        'format',
        'command',
        'outcome',
        'exitCode',
        'verdict',
        'startedAt',
        'durationMs',
        'today',
        'servers',
        'plan',
        'applied',
        'failures',
        'skipped',
        'drift',
        'guards',
        'forcedGuards',
        'interruptedRuns',
        'runId',
        'verified',
        'newUserPasswordsFile',
      ].sort(),
    );
    expect(report).toMatchObject({ format: 'sync-dbs-report/1', command: 'sync', outcome: 'failed', exitCode: 1, verdict: 'failed.', startedAt: '2025-06-01T10:00:00.000Z', durationMs: 8432, today: '2025-06-01' });
    expect(JSON_REPORT_FORMAT).toBe('sync-dbs-report/1');
  });

  it('copies the servers, rejected records included', () => {
    const rejected = [{ kind: 'license' as const, key: null, index: 4, reason: 'device_id is missing' }];
    const report = toJsonReport(aRunResult({ servers: [aServer('primary', { users: 5, licenses: 50, requests: 4 }), aServer('backup', { role: null, users: null, licenses: null, mustChangePassword: null, rejected })] }));
    expect(report.servers).toEqual([
      { name: 'primary', url: 'https://primary.example.com', username: 'sync-admin', role: 'admin', mustChangePassword: false, users: 5, licenses: 50, rejected: [], requests: 4 },
      { name: 'backup', url: 'https://backup.example.com', username: 'sync-admin', role: null, mustChangePassword: null, users: null, licenses: null, rejected, requests: 2 },
    ]);
  });

  it('round-trips through JSON.stringify and JSON.parse unchanged', () => {
    const ops = [createUser('alice'), createLicense('D1', 'the primary denies it (blocked)'), updateLicense('D2'), reownLicense('D3'), blockLicense('D4'), deleteLicense('D5')];
    const report = toJsonReport(
      aRunResult({
        outcome: 'failed',
        plan: aPlan({ operations: ops, skipped: [skippedItem('backup-only', 'B1')], drift: [driftItem('license-dates', 'D9')] }),
        applied: [done(ops[0]!), failed(ops[1]!, 'block failed; deleted again')],
        failures: [aFailure()],
        guards: [{ guard: 'role', message: 'not admin' }],
        verified: { inSync: false, relisted: true, remaining: [ops[1]!] },
        newUserPasswordsFile: '/home/op/new-users.txt',
      }),
    );
    expect(roundTrip(report)).toStrictEqual(report);
  });
});

describe('toJsonReport: plan', () => {
  it('sums the plan up by verb and lists every operation with its fields', () => {
    const operations = [createUser('alice'), createLicense('D1', 'the primary denies it (expired)'), updateLicense('D2', 'content differs (cpf)'), reownLicense('D3', 'r1', 'owner differs'), blockLicense('D4', 'blocked on the primary')];
    const report = toJsonReport(aRunResult({ plan: aPlan({ operations }) }));
    expect(report.plan?.summary).toEqual({ createUser: 1, create: 1, update: 1, reown: 1, block: 1, activate: 0, delete: 0 });
    expect(report.plan?.operations).toEqual([
      { server: 'backup', kind: 'create-user', key: 'user:alice', reason: 'missing on the backup', username: 'alice', email: 'alice@example.com', role: 'user' },
      { server: 'backup', kind: 'create-license', key: 'license:D1', reason: 'missing on the backup', body: upsertBody('D1'), thenBlock: 'the primary denies it (expired)' },
      { server: 'backup', kind: 'update-license', key: 'license:D2', reason: 'content differs (cpf)', body: upsertBody('D2') },
      { server: 'backup', kind: 'update-created-by', key: 'license:D3', reason: 'owner differs', deviceId: 'D3', createdBy: 'r1' },
      { server: 'backup', kind: 'block', key: 'license:D4', reason: 'blocked on the primary', deviceId: 'D4' },
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
      doneByVerb: { createUser: 0, create: 1, update: 0, reown: 0, block: 1, activate: 0, delete: 0 },
      failedByVerb: { createUser: 0, create: 0, update: 1, reown: 0, block: 0, activate: 0, delete: 0 },
    });
  });

  it('lists failures and guard refusals in full', () => {
    const failures = many(30, 'F', (key) => aFailure({ key }));
    const guards = [{ guard: 'shrunken-primary' as const, message: 'the primary lists 1 licenses but the backup has 100' }];
    const report = toJsonReport(aRunResult({ failures, guards }));
    expect(report.failures).toHaveLength(30);
    expect(report.failures[29]).toEqual({ server: 'backup', endpoint: 'POST /admin/devices/create', key: 'F-30', reason: 'HTTP 500 after 3 attempts' });
    expect(report.guards).toEqual(guards);
  });

  it('gives the verification with its remaining operations, or null', () => {
    expect(toJsonReport(aRunResult({ verified: { inSync: false, relisted: true, remaining: [blockLicense('D1', 'still allowed')] } })).verified).toEqual({
      inSync: false,
      relisted: true,
      remaining: [{ server: 'backup', kind: 'block', key: 'license:D1', reason: 'still allowed', deviceId: 'D1' }],
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
    const drift = [...many(12, 'LIC', (key) => driftItem('license-telemetry', key, 'last-seen fields differ')), driftItem('user-email', 'bob', 'email differs')];
    const report = toJsonReport(aRunResult({ plan: aPlan({ drift }) }));
    expect(report.drift.total).toBe(13);
    expect(report.drift.byKind).toEqual({
      'user-email': { count: 1, examples: [{ key: 'bob', detail: 'email differs' }] },
      'license-telemetry': { count: 12, examples: many(5, 'LIC', (key) => ({ key, detail: 'last-seen fields differ' })) },
    });
  });

  it('stays small for a 100,000-license backup drifting everywhere', () => {
    const drift = many(100_000, 'LIC', (key) => driftItem('license-dates', key, '2025-01-01..2026-01-01 on the backup, 2025-01-02..2026-01-02 on the primary'));
    const skipped = many(100_000, 'OLD', (key) => skippedItem('backup-only', key));
    const text = JSON.stringify(toJsonReport(aRunResult({ plan: aPlan({ drift, skipped }) })));
    expect(text.length).toBeLessThan(5_000);
    expect(text).toContain('"count":100000');
  });
});

describe('toJsonReport: no password ever', () => {
  // A RunResult as it might arrive at run time, parsed from text, with secrets
  // riding along on objects that should never carry them.
  const SECRET = 'Sup3r-S3cret-Pa55';
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.secret-token';
  const parsed = JSON.parse(`{
    "command": "sync", "outcome": "in-sync", "exitCode": 0, "verdict": "in sync.",
    "startedAt": "2025-06-01T10:00:00.000Z", "durationMs": 900, "today": "2025-06-01",
    "servers": [
      {"name": "primary", "url": "https://primary.example.com", "username": "sync-admin", "password": "${SECRET}", "token": "${TOKEN}",
       "role": "admin", "mustChangePassword": false, "users": 2, "licenses": 1, "rejected": [], "requests": 2},
      {"name": "backup", "url": "https://backup.example.com", "username": "sync-admin", "password": "${SECRET}",
       "role": "admin", "mustChangePassword": false, "users": 1, "licenses": 1,
       "rejected": [{"kind": "user", "key": "eve", "index": 0, "reason": "bad role", "password": "${SECRET}"}], "requests": 3}
    ],
    "plan": {
      "operations": [
        {"kind": "create-user", "key": "user:carla", "reason": "missing on the backup", "username": "carla", "email": null, "role": "user", "password": "${SECRET}"},
        {"kind": "create-license", "key": "license:D1", "reason": "missing on the backup", "thenBlock": null,
         "body": {"device_id": "D1", "license_type": "anual", "owner_name": null, "cpf": null, "email": null, "address": null, "created_by": "admin", "password": "${SECRET}"}}
      ],
      "skipped": [{"kind": "user", "key": "ghost", "reason": "backup-only", "detail": "x", "password": "${SECRET}"}],
      "drift": [{"kind": "user-email", "key": "bob", "detail": "email differs", "password": "${SECRET}"}]
    },
    "applied": [
      {"operation": {"kind": "create-user", "key": "user:carla", "reason": "missing on the backup", "username": "carla", "email": null, "role": "user", "password": "${SECRET}"},
       "status": "done", "note": null, "password": "${SECRET}"}
    ],
    "failures": [{"server": "backup", "endpoint": "POST /admin/users/create", "key": "carla", "reason": "HTTP 400", "password": "${SECRET}", "headers": {"Authorization": "Bearer ${TOKEN}"}}],
    "guards": [{"guard": "role", "message": "m", "password": "${SECRET}"}],
    "forcedGuards": [{"guard": "shrunken-primary", "message": "m", "password": "${SECRET}"}],
    "interruptedRuns": [{"id": 3, "startedAt": "2025-06-01T09:00:00.000Z", "pid": 42, "hostname": "ops", "done": 1, "failed": 0, "unknown": 1, "notSent": 2, "password": "${SECRET}"}],
    "runId": 4,
    "verified": {"inSync": true, "relisted": true, "remaining": [], "password": "${SECRET}"},
    "newUserPasswordsFile": "/home/op/new-users.txt",
    "password": "${SECRET}"
  }`) as RunResult;

  it('leaves every password and token out of the JSON report', () => {
    const text = JSON.stringify(toJsonReport(parsed));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/"password"/i);
    // The records themselves are still there.
    expect(text).toContain('"username":"carla"');
    expect(text).toContain('/home/op/new-users.txt');
  });

  it('leaves every password and token out of the text report', () => {
    const text = renderTextReport(parsed);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('+ user carla: missing on the backup');
  });
});
