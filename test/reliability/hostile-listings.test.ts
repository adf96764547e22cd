import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MalformedListingMode } from '../../src/emulator/fault-settings.js';
import { runJson, type JsonRun } from '../e2e/support/e2e-helpers.js';
import { LICENSE_FIELDS, USER_FIELDS } from '../support/license-api-helpers.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { expectBadRecordsLeftAlone } from './support/hostile-bad-records.js';
import { damagedRecords } from './support/hostile-damage.js';
import { syncedThenChanged } from './support/hostile-history.js';
import { allowMismatches, licenseRows, usernames, writeLog, writesTo } from './support/hostile-observer.js';
import { asDeviceRow, asUserSpec, listedLicense, listedUser, listingBody, serveListings, withMemberFirst } from './support/hostile-rows.js';
import { HostileFamily } from './support/hostile-scenario.js';
import {
  ROUTE,
  SYNC_ARGS,
  failedOperations,
  healedRun,
  loadStalePair,
  loadSyncedThenChangedPrimary,
  rejectedOn,
  serverOf,
  type Endpoint,
  type Side,
} from './support/hostile-stale-pair.js';

// Hostile and malformed listings: every damage the emulator can do, on either
// side and endpoint, and listings no real server sends (served in its place):
// wrong types in every field, repeated JSON members, prototype-named keys,
// broken envelopes, keys that cannot be used. A listing that cannot be read, or
// looks partial, stops the run before its first write; a bad record is skipped,
// reported and left alone on both servers, and the rest is synced. Each case
// then heals the input and checks that the next run converges without --force.

const pair = useSyncPair();

afterEach(() => {
  pair().primary.emulator.intercept(null);
  pair().backup.emulator.intercept(null);
});

const SIDES: readonly Side[] = ['primary', 'backup'];
const ENDPOINTS: readonly Endpoint[] = ['devices', 'users'];
const onEverySide = (mode: MalformedListingMode) => SIDES.flatMap((side) => ENDPOINTS.map((endpoint) => ({ mode, side, endpoint })));

const modeFamily = (mode: MalformedListingMode, scenario: string) =>
  new HostileFamily(mode, scenario, `malformedListing ${mode} on devices and users, primary and backup, never healing (--retries 2)`, 4);

const families = {
  truncated: modeFamily('truncated', 'a listing cut in the middle (invalid JSON, status 200)'),
  html: modeFamily('html', 'a listing answered with an HTML page (status 200)'),
  partial: modeFamily('partial', 'a listing that keeps 10% of its rows'),
  'bad-records': modeFamily('bad-records', 'three records with a missing field, a wrong type or an unreadable key'),
  'duplicate-ids': modeFamily('duplicate-ids', 'three keys listed twice, the copies disagreeing'),
  wrongTypes: new HostileFamily(
    'wrong-types',
    'a record with a wrong type in one field, for every field of a license (17) and a user (5)',
    'primary listings served in the server’s place: 19 license and 5 user records with one wrong field, 6 + 4 with a key that is not a string',
    2,
  ),
  duplicateKeys: new HostileFamily(
    'duplicate-keys',
    'a JSON member repeated in a record (status, device_id, role) or in the envelope (items)',
    'primary listings served in the server’s place',
    2,
  ),
  prototypeKeys: new HostileFamily(
    'prototype-keys',
    '__proto__ and constructor members in records; device_ids and usernames named __proto__, constructor, toString...',
    'primary listing served in the server’s place',
    1,
  ),
  envelope: new HostileFamily(
    'envelope',
    'a listing of the wrong shape: top-level array, items null/object/string, {}, empty body',
    'listings served in the server’s place, devices and users, primary and backup',
    1,
  ),
  unusableKeys: new HostileFamily(
    'unusable-keys',
    'keys that are lone surrogates or longer than 1,000 characters',
    'primary listings served in the server’s place',
    1,
  ),
};

afterAll(async () => {
  for (const family of Object.values(families)) await family.record();
});

describe('a listing that cannot be read stops the run before its first write', () => {
  it.each([...onEverySide('truncated'), ...onEverySide('html')])('$mode $endpoint listing on the $side', async ({ mode, side, endpoint }) => {
    const p = pair();
    await loadStalePair(p);
    await serverOf(p, side).control.setFaults({ malformedListing: { mode, endpoints: [endpoint], times: 1000 } });
    const run = await runJson(p, SYNC_ARGS);

    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.report.outcome).toBe('refused');
    expect(run.report.guards).toEqual([{ guard: 'unreadable-listing', message: expect.stringContaining(`the ${side} server`) }]);
    expect(run.report.failures).toContainEqual(expect.objectContaining({ server: side, endpoint: ROUTE[endpoint] }));
    expect(run.report.verdict).toMatch(/Nothing was written/);
    expect(run.stderr).toContain(`${side} ${ROUTE[endpoint]}: HTTP 200 with ${mode === 'html' ? 'an HTML page' : 'a body that is not valid JSON'}`);
    expect(run.report.plan).toBeNull();
    expect(writeLog(p.backup)).toEqual([]);
    expect(writeLog(p.primary)).toEqual([]);
    // --retries 2: asked twice, then given up.
    const served = (await serverOf(p, side).control.stats()).faults[`malformed-listing:${mode}`] ?? 0;
    expect(served).toBe(2);

    const healed = await healedRun(p);
    families[mode].add({ runs: 2, operationsFailed: failedOperations(run, healed), requestsRetried: served - 1, lost: [], note: `${side} ${endpoint}: exit 4` });
  });
});

describe('a partial listing', () => {
  it.each(ENDPOINTS)('on the primary (%s) is refused as shrunken before any write', async (endpoint) => {
    const p = pair();
    await loadStalePair(p);
    await p.primary.control.setFaults({ malformedListing: { mode: 'partial', endpoints: [endpoint], times: 1000 } });
    const run = await runJson(p, SYNC_ARGS);

    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.report.outcome).toBe('refused');
    const [what, route] = endpoint === 'devices' ? ['licenses?', 'GET /admin/devices'] : ['users?', 'GET /admin/users'];
    // The refusal names the server and the endpoint whose listing it doubts.
    expect(run.report.guards).toEqual([
      { guard: 'shrunken-primary', message: expect.stringMatching(new RegExp(`^the primary lists \\d+ ${what} \\(${route.replace(/\//g, '\\/')}\\) but the backup has \\d+`)) },
    ]);
    expect(run.report.verdict).toMatch(/Nothing was written/);
    expect(writeLog(p.backup)).toEqual([]);

    const healed = await healedRun(p);
    families.partial.add({ runs: 2, operationsFailed: failedOperations(run, healed), requestsRetried: 0, lost: [], note: `primary ${endpoint}: exit 4` });
  });

  it.each(ENDPOINTS)('on the backup (%s): no delete of a listed-away license, no denied license let in, no user created twice; verification fails', async (endpoint) => {
    const p = pair();
    await loadStalePair(p);
    await p.backup.control.setFaults({ malformedListing: { mode: 'partial', endpoints: [endpoint], times: 1000 } });
    const run = await runJson(p, SYNC_ARGS);

    // Verification lists the backup again, still partially: the run cannot claim to be in sync.
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.report.outcome).toBe('failed');
    expect(run.report.verified?.inSync).toBe(false);
    const log = writeLog(p.backup);
    for (const entry of log.filter((write) => write.effect === 'deleted')) expect(entry.key).toMatch(/^b-only-/);
    const held = ['rev-0', 'rev-1', 'rev-2'];
    expect(log.filter((entry) => entry.effect === 'user-created' && held.includes(entry.key ?? ''))).toEqual([]);
    const rows = await licenseRows(p.primary);
    expect(await allowMismatches(p.primary, p.backup, rows.keys())).toEqual([]);
    // Licenses the backup still held but did not list looked missing: each "creation" was an upsert over it, which re-dates it.
    const creations = new Set((run.report.plan?.operations ?? []).filter((operation) => operation.kind === 'create-license').map((operation) => operation.key.replace(/^license:/, '')));
    const overwritten = log.filter((entry) => entry.effect === 'overwritten' && creations.has(entry.key ?? '')).length;

    const healed = await healedRun(p);
    families.partial.add({
      runs: 2,
      operationsFailed: failedOperations(run, healed),
      requestsRetried: 0,
      lost: overwritten > 0 ? [`backup ${endpoint}: start/end dates of ${overwritten} licenses (upserted over as if missing)`] : [],
      note: `backup ${endpoint}: exit 1, ${overwritten} upserts over listed-away licenses, ${run.report.failures.length} creates refused`,
    });
  });
});

describe('bad records are skipped, reported and left alone; the rest is synced', () => {
  it('a backup user record without a username could be any missing user: no user is created (as for licenses)', async () => {
    const p = pair();
    const users = [{ username: 'rev-a', password: 'senha-segura', role: 'user' as const }];
    await p.load(datasetOf({ users: [...users, { username: 'rev-b', password: 'senha-segura', role: 'user' }] }), datasetOf({ users }));
    serveListings(p.backup, { users: listingBody([listedUser(1, 'rev-a', { username: null })]) });
    const run = await runJson(p, SYNC_ARGS);
    expect(writeLog(p.backup).filter((entry) => entry.route === 'POST /admin/users/create')).toEqual([]);
    expect(run.exitCode, run.stderr).toBe(0);
  });

  it.each([...onEverySide('bad-records'), ...onEverySide('duplicate-ids')])('$mode in the $endpoint listing of the $side', async ({ mode, side, endpoint }) => {
    const p = pair();
    await loadSyncedThenChangedPrimary(p);
    const server = serverOf(p, side);
    await server.control.setFaults({ malformedListing: { mode, endpoints: [endpoint], times: 1000 } });
    const damaged = await damagedRecords(server, endpoint);
    expect(damaged.length).toBeGreaterThanOrEqual(3);
    await server.control.resetStats();

    const run = await runJson(p, SYNC_ARGS);
    await expectBadRecordsLeftAlone(p, run, { side, endpoint, mode }, damaged);

    const healed = await healedRun(p);
    families[mode].add({
      runs: 2,
      operationsFailed: failedOperations(run, healed),
      requestsRetried: 0,
      lost: [],
      note: `${side} ${endpoint}: exit ${run.exitCode}, ${rejectedOn(run, side).length} rejected`,
    });
  });
});

/** Every contract field of a license, given a value of the wrong type (some twice: also null where null is not allowed). */
const WRONG_LICENSE_VALUES: readonly [field: (typeof LICENSE_FIELDS)[number], value: unknown][] = [
  ['id', '7'],
  ['id', null],
  ['owner_name', 42],
  ['cpf', 52998224725],
  ['email', ['cliente@example.com']],
  ['address', { rua: 'Rua A, 1' }],
  ['license_type', 7],
  ['license_type', null],
  ['status', true],
  ['status', null],
  ['start_date', 20250101],
  ['end_date', false],
  ['custom_interval', '60'],
  ['features', ['core']],
  ['last_seen_at', 1_700_000_000],
  ['last_seen_ip', 2_130_706_433],
  ['last_hostname', {}],
  ['last_version', 1.2],
  ['created_by', 7],
];
const WRONG_USER_VALUES: readonly [field: (typeof USER_FIELDS)[number], value: unknown][] = [
  ['id', '3'],
  ['email', 42],
  ['role', 7],
  ['role', null],
  ['created_at', 20240101],
];
const WRONG_KEYS: readonly unknown[] = [42, null, true, [], {}, undefined];

/**
 * Licenses that stay the same on both servers, so that the records rejected
 * stay within the shrink guards (a tenth of the last good run's count).
 */
const unchanged = (count: number) => Array.from({ length: count }, (_, n) => `same-${String(n).padStart(3, '0')}`);

describe('a record with one field of the wrong type', () => {
  it('is skipped and reported naming that field, for every field of a license and a user; the rest is synced', async () => {
    // Every contract field is in the tables (the keys in the next test).
    expect(new Set([...WRONG_LICENSE_VALUES.map(([field]) => field), 'device_id'])).toEqual(new Set(LICENSE_FIELDS));
    expect(new Set([...WRONG_USER_VALUES.map(([field]) => field), 'username'])).toEqual(new Set(USER_FIELDS));
    const p = pair();
    const wrongLicense = WRONG_LICENSE_VALUES.map(([field, value], n) => ({ field, value, key: `wt-${n}-${field}` }));
    const wrongUser = WRONG_USER_VALUES.map(([field, value], n) => ({ field, value, key: `wt-user-${n}-${field}` }));
    const same = unchanged(250);
    const before = datasetOf({ licenses: [...wrongLicense.map(({ key }) => allowedLicense(key)), allowedLicense('good-1'), allowedLicense('b-only-1'), ...same.map((key) => allowedLicense(key))] });
    const changed = { owner_name: 'Novo Dono' };
    const after = [...wrongLicense.map(({ key }) => listedLicense(0, key, changed)), listedLicense(0, 'good-1', changed), listedLicense(0, 'good-2'), ...same.map((key) => listedLicense(0, key))].map((row, n): Record<string, unknown> => ({ ...row, id: n + 1 }));
    const users = [...wrongUser.map(({ key }) => key), 'good-user'].map((username, n) => listedUser(n + 1, username));
    await syncedThenChanged(p, before, datasetOf({ users: users.map(asUserSpec), licenses: after.map(asDeviceRow) }), SYNC_ARGS);
    serveListings(p.primary, {
      devices: listingBody(after.map((row, n) => (n < wrongLicense.length ? { ...row, [wrongLicense[n]!.field]: wrongLicense[n]!.value } : row))),
      users: listingBody(users.map((user, n) => (n < wrongUser.length ? { ...user, [wrongUser[n]!.field]: wrongUser[n]!.value } : user))),
    });

    const run = await runJson(p, SYNC_ARGS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.report.outcome).toBe('in-sync');
    const rejected = rejectedOn(run, 'primary');
    for (const { field, key } of [...wrongLicense, ...wrongUser]) {
      const matching = rejected.filter((entry) => entry.key === key);
      expect(matching, `${key} reported once`).toHaveLength(1);
      expect(matching[0]?.reason, key).toMatch(new RegExp(`^${field}: `));
    }
    expect(rejected).toHaveLength(wrongLicense.length + wrongUser.length);
    expect(writesTo(p.backup, [...wrongLicense, ...wrongUser].map(({ key }) => key))).toEqual([]);
    const rows = await licenseRows(p.backup);
    for (const { key } of wrongLicense) expect(rows.get(key)?.owner_name, `${key} left as it was`).toBe(`Owner of ${key}`);
    expect(rows.get('good-1')?.owner_name).toBe('Novo Dono');
    expect(rows.has('good-2')).toBe(true);
    expect(rows.has('b-only-1'), 'deletions go on: every bad record has a readable key').toBe(false);
    expect(await usernames(p.backup)).toEqual(['good-user']);

    const healed = await healAndConverge(p, after.map((row) => String(row.device_id)));
    expect((await licenseRows(p.backup)).get(wrongLicense[0]!.key)?.owner_name).toBe('Novo Dono');
    expect(await usernames(p.backup)).toEqual(users.map((user) => String(user.username)).sort());
    families.wrongTypes.add({ runs: 2, operationsFailed: failedOperations(run, healed), requestsRetried: 0, lost: [], note: `${rejected.length} records with a wrong field: exit 0` });
  });

  it('whose key is not a string is reported without a key; deletions wait for a readable listing; the rest is synced', async () => {
    const p = pair();
    const keyless = WRONG_KEYS.map((value, n) => ({ value, key: `kl-${n}` }));
    const same = unchanged(100);
    const before = datasetOf({ licenses: [...keyless.map(({ key }) => allowedLicense(key)), allowedLicense('b-only-1'), ...same.map((key) => allowedLicense(key))] });
    const after = [...keyless.map(({ key }) => listedLicense(0, key)), listedLicense(0, 'good-1'), ...same.map((key) => listedLicense(0, key))].map((row, n): Record<string, unknown> => ({ ...row, id: n + 1 }));
    const users = [...keyless.slice(0, 4).map(({ key }) => `${key}-user`), 'good-user'].map((username, n) => listedUser(n + 1, username));
    await syncedThenChanged(p, before, datasetOf({ users: users.map(asUserSpec), licenses: after.map(asDeviceRow) }), SYNC_ARGS);
    const withKey = (row: Record<string, unknown>, field: string, value: unknown) => {
      const { [field]: _key, ...rest } = row;
      return value === undefined ? rest : { ...rest, [field]: value };
    };
    serveListings(p.primary, {
      devices: listingBody(after.map((row, n) => (n < keyless.length ? withKey(row, 'device_id', keyless[n]!.value) : row))),
      users: listingBody(users.map((user, n) => (n < 4 ? withKey(user, 'username', keyless[n]!.value) : user))),
    });

    const run = await runJson(p, SYNC_ARGS);
    expect(run.exitCode, run.stderr).toBe(0);
    const rejected = rejectedOn(run, 'primary');
    expect(rejected).toHaveLength(keyless.length + 4);
    for (const entry of rejected) {
      expect(entry.key).toBeNull();
      expect(entry.reason).toMatch(entry.kind === 'license' ? /^device_id: / : /^username: /);
    }
    // The backup's copies of the keyless records look backup-only: they, and the truly backup-only one, are kept.
    expect(writeLog(p.backup).filter((entry) => entry.effect === 'deleted')).toEqual([]);
    const suspended = run.report.skipped.byReason['deletions-suspended'];
    expect(suspended?.keys.slice().sort()).toEqual(['b-only-1', ...keyless.map(({ key }) => key)].map((key) => `license:${key}`).sort());
    expect((await licenseRows(p.backup)).has('good-1')).toBe(true);
    expect(await usernames(p.backup)).toEqual(['good-user']);

    const healed = await healAndConverge(p, after.map((row) => String(row.device_id)));
    expect((await licenseRows(p.backup)).has('b-only-1')).toBe(false);
    families.wrongTypes.add({ runs: 2, operationsFailed: failedOperations(run, healed), requestsRetried: 0, lost: [], note: `${rejected.length} records without a readable key: exit 0, deletions suspended` });
  });
});

/** Removes the interceptors and runs again without --force: in sync, the backup allowing what the primary allows. */
async function healAndConverge(p: ReturnType<typeof pair>, deviceIds: readonly string[]): Promise<JsonRun> {
  p.primary.emulator.intercept(null);
  p.backup.emulator.intercept(null);
  const healed = await runJson(p, SYNC_ARGS);
  expect(healed.exitCode, healed.stderr).toBe(0);
  expect(healed.report.outcome).toBe('in-sync');
  expect(await allowMismatches(p.primary, p.backup, deviceIds)).toEqual([]);
  return healed;
}

describe('repeated JSON members', () => {
  it('in a record: the record is rejected naming the member (status, device_id, role), never read as JSON.parse would', async () => {
    const p = pair();
    const same = unchanged(40);
    const before = datasetOf({ licenses: [allowedLicense('dk-status', { status: 'blocked' }), allowedLicense('dk-two'), allowedLicense('good-1'), ...same.map((key) => allowedLicense(key))] });
    const after = [listedLicense(1, 'dk-status'), listedLicense(2, 'dk-one'), listedLicense(3, 'good-1'), listedLicense(4, 'good-2'), ...same.map((key, n) => listedLicense(5 + n, key))];
    const users = [listedUser(1, 'du-role'), listedUser(2, 'good-user')];
    await syncedThenChanged(p, before, datasetOf({ users: users.map(asUserSpec), licenses: after.map(asDeviceRow) }), SYNC_ARGS);
    // JSON.parse keeps the last copy: "active" would unblock dk-status, "dk-two" would pass for a key the
    // primary holds (saving it from --delete), and "admin" would create a reseller with admin rights.
    const { status: _status, ...statusLess } = after[0]!;
    const { device_id: _id, ...idLess } = after[1]!;
    const { role: _role, ...roleLess } = users[0]!;
    serveListings(p.primary, {
      devices: listingBody([
        `{"status": "blocked", ${JSON.stringify(statusLess).slice(1, -1)}, "status": "active"}`,
        `{"device_id": "dk-one", ${JSON.stringify(idLess).slice(1, -1)}, "device_id": "dk-two"}`,
        ...after.slice(2),
      ]),
      users: listingBody([`{"role": "user", ${JSON.stringify(roleLess).slice(1, -1)}, "role": "admin"}`, users[1]!]),
    });

    const run = await runJson(p, SYNC_ARGS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(rejectedOn(run, 'primary')).toEqual([
      { kind: 'user', key: 'du-role', index: 0, reason: 'field "role" appears twice' },
      { kind: 'license', key: 'dk-status', index: 0, reason: 'field "status" appears twice' },
      { kind: 'license', key: null, index: 1, reason: expect.stringContaining('field "device_id" appears twice') },
    ]);
    expect(writesTo(p.backup, ['dk-status', 'dk-one', 'dk-two', 'du-role'])).toEqual([]);
    const rows = await licenseRows(p.backup);
    expect(rows.get('dk-status')?.status).toBe('blocked');
    expect(rows.has('dk-two'), 'a key that cannot be read suspends deletions').toBe(true);
    expect(rows.has('good-2')).toBe(true);
    expect(await usernames(p.backup)).toEqual(['good-user']);

    const healed = await healAndConverge(p, ['dk-status', 'dk-one', 'good-1', 'good-2']);
    expect(await usernames(p.backup)).toEqual(['du-role', 'good-user']);
    families.duplicateKeys.add({ runs: 2, operationsFailed: failedOperations(run, healed), requestsRetried: 0, lost: [], note: 'status, device_id and role twice: 3 records rejected, exit 0' });
  });

  it.each(ENDPOINTS)('"items" twice in the %s envelope: the whole listing is refused, nothing written', async (endpoint) => {
    const p = pair();
    await loadStalePair(p);
    serveListings(p.primary, { [endpoint]: `{"items": [], "items": ${JSON.stringify([listedLicense(1, 'x')])}}` });
    const run = await runJson(p, SYNC_ARGS);
    expectListingRefused(run, 'primary', endpoint);
    expect(run.report.failures).toContainEqual(expect.objectContaining({ reason: expect.stringContaining('"items" repeated') }));
    expect(writeLog(p.backup)).toEqual([]);
    if (endpoint === 'users') {
      const healed = await healedRun(p);
      families.duplicateKeys.add({ runs: 2, operationsFailed: failedOperations(run, healed), requestsRetried: 1, lost: [], note: '"items" twice: exit 4' });
    }
  });
});

function expectListingRefused(run: JsonRun, side: Side, endpoint: Endpoint): void {
  expect(run.exitCode, run.stderr).toBe(4);
  expect(run.report.outcome).toBe('refused');
  expect(run.report.guards).toEqual([{ guard: 'unreadable-listing', message: expect.stringContaining(`the ${side} server`) }]);
  expect(run.report.failures).toContainEqual(expect.objectContaining({ server: side, endpoint: ROUTE[endpoint] }));
  expect(run.stderr).toContain(`${side} ${ROUTE[endpoint]}: `);
}

describe('a listing of the wrong shape', () => {
  const SHAPES: readonly { side: Side; endpoint: Endpoint; body: string; what: string }[] = [
    { side: 'primary', endpoint: 'devices', body: JSON.stringify([listedLicense(1, 'p-00')]), what: 'a top-level array' },
    { side: 'primary', endpoint: 'devices', body: '{"items": null}', what: 'items null' },
    { side: 'primary', endpoint: 'devices', body: '{"items": {"0": {}}}', what: 'items an object' },
    { side: 'primary', endpoint: 'devices', body: '{"items": "[]"}', what: 'items a string' },
    { side: 'primary', endpoint: 'devices', body: '{}', what: 'no items' },
    { side: 'primary', endpoint: 'devices', body: '', what: 'an empty body' },
    { side: 'primary', endpoint: 'users', body: '[]', what: 'a top-level array' },
    { side: 'primary', endpoint: 'users', body: '', what: 'an empty body' },
    { side: 'backup', endpoint: 'devices', body: '{"items": null}', what: 'items null' },
    { side: 'backup', endpoint: 'users', body: '[]', what: 'a top-level array' },
  ];

  it('is refused (exit 4, server and endpoint named, nothing written), whatever the shape, side and endpoint', async () => {
    const p = pair();
    await loadStalePair(p);
    const runs: JsonRun[] = [];
    for (const { side, endpoint, body, what } of SHAPES) {
      serveListings(serverOf(p, side), { [endpoint]: body });
      const run = await runJson(p, SYNC_ARGS);
      serverOf(p, side).emulator.intercept(null);
      expect(run.exitCode, `${side} ${endpoint}: ${what}\n${run.stderr}`).toBe(4);
      expectListingRefused(run, side, endpoint);
      expect(writeLog(p.backup), `${side} ${endpoint}: ${what}`).toEqual([]);
      runs.push(run);
    }
    const healed = await healedRun(p);
    families.envelope.add({
      runs: 2,
      operationsFailed: failedOperations(...runs, healed),
      requestsRetried: SHAPES.length,
      lost: [],
      note: `${SHAPES.length} shapes, each refused with exit 4 in its own run; the first healthy run in sync`,
    });
  });
});

describe('prototype-named members and keys', () => {
  const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

  it('are plain data: __proto__ never supplies a missing field, and licenses and users named after Object members sync like any other', async () => {
    const p = pair();
    const before = datasetOf({
      users: [{ username: 'constructor', password: 'senha-segura', role: 'user' }],
      licenses: [allowedLicense('valueOf', { status: 'blocked' }), allowedLicense('hasOwnProperty'), allowedLicense('pp-status', { status: 'blocked' }), allowedLicense('prototype')],
    });
    const licenses = [
      listedLicense(1, '__proto__'),
      listedLicense(2, 'constructor', { status: 'blocked' }),
      listedLicense(3, 'toString', { status: 'pending' }),
      listedLicense(4, 'valueOf'),
      listedLicense(5, 'pp-status'),
      listedLicense(6, 'pp-extra'),
      listedLicense(7, 'prototype', { created_by: 'toString' }),
    ];
    const users = ['__proto__', 'constructor', 'toString'].map((username, n) => listedUser(n + 1, username));
    await syncedThenChanged(
      p,
      before,
      datasetOf({ users: users.map(asUserSpec), licenses: licenses.map(asDeviceRow) }),
      SYNC_ARGS,
    );
    const { status: _status, ...statusLess } = licenses[4]!;
    serveListings(p.primary, {
      devices: listingBody([
        ...licenses.slice(0, 4),
        // A missing status that a prototype would fill in with "active": the record must be rejected.
        withMemberFirst(statusLess, '__proto__', { status: 'active' }),
        withMemberFirst(withMemberFirstObject(licenses[5]!, 'constructor', { prototype: { status: 'blocked' } }), '__proto__', { device_id: 'evil', status: 'blocked' }),
        licenses[6]!,
      ]),
      users: listingBody([withMemberFirst(users[0]!, '__proto__', { role: 'admin' }), users[1]!, users[2]!]),
    });

    const run = await runJson(p, SYNC_ARGS);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(rejectedOn(run, 'primary')).toEqual([{ kind: 'license', key: 'pp-status', index: 4, reason: expect.stringMatching(/^status: /) }]);
    expect(writesTo(p.backup, ['pp-status', 'evil'])).toEqual([]);
    const rows = await licenseRows(p.backup);
    expect(rows.get('pp-status')?.status).toBe('blocked');
    expect(rows.has('evil')).toBe(false);
    expect(rows.get('pp-extra')?.status, 'the __proto__ and constructor members are ignored').toBe('active');
    expect(rows.get('prototype')?.created_by).toBe('toString');
    expect(rows.has('hasOwnProperty'), 'deleted with --delete').toBe(false);
    expect(await allowMismatches(p.primary, p.backup, NAMES.filter((name) => name !== 'hasOwnProperty').concat('pp-extra'))).toEqual([]);
    expect(await usernames(p.backup)).toEqual(['__proto__', 'constructor', 'toString']);
    const created = (await p.backup.control.state()).users.find((user) => user.username === '__proto__');
    expect(created?.role, '__proto__ member of a user record is ignored').toBe('user');

    // The same hostile listing again: nothing left to do (pp-status stays skipped).
    const again = await runJson(p, SYNC_ARGS);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.report.plan?.operations).toEqual([]);
    families.prototypeKeys.add({ runs: 1, operationsFailed: failedOperations(run, again), requestsRetried: 0, lost: [], note: '1 record rejected (status only in __proto__), 10 Object-named keys synced, second run plans nothing' });
  });
});

/** A listed record with one more member (an object) written first. */
function withMemberFirstObject(record: Readonly<Record<string, unknown>>, name: string, value: unknown): Record<string, unknown> {
  return JSON.parse(withMemberFirst(record, name, value)) as Record<string, unknown>;
}

describe('keys the sync cannot use', () => {
  it('lone surrogates and keys over 1,000 characters are rejected without a key and never printed or stored; a 1,000-character key syncs', async () => {
    const p = pair();
    const longKey = `long-key-${'x'.repeat(1_000)}`;
    const longest = `edge-${'y'.repeat(995)}`;
    expect(longest).toHaveLength(1_000);
    const same = unchanged(40);
    const before = datasetOf({ licenses: [allowedLicense('good-1'), allowedLicense('b-only-1'), ...same.map((key) => allowedLicense(key))] });
    const licenses = [listedLicense(1, 'good-1'), listedLicense(2, longest, { status: 'blocked' }), listedLicense(3, 'good-2'), ...same.map((key, n) => listedLicense(4 + n, key))];
    const users = [listedUser(1, 'good-user')];
    await syncedThenChanged(p, before, datasetOf({ users: [{ username: 'good-user', password: 'senha-segura', role: 'user' }], licenses: licenses.map(asDeviceRow) }), SYNC_ARGS);
    serveListings(p.primary, {
      devices: listingBody([
        ...licenses,
        JSON.stringify(listedLicense(4, 'lone-SURROGATE')).replace('"device_id":"lone-SURROGATE"', '"device_id":"lone-\\ud800"'),
        listedLicense(5, longKey),
      ]),
      users: listingBody([...users, JSON.stringify(listedUser(2, 'lone-SURROGATE')).replace('"username":"lone-SURROGATE"', '"username":"lone-\\udc00"'), listedUser(3, longKey)]),
    });

    const run = await runJson(p, SYNC_ARGS);
    expect(run.exitCode, run.stderr).toBe(0);
    const rejected = rejectedOn(run, 'primary');
    expect(rejected).toEqual(
      expect.arrayContaining([
        { kind: 'license', key: null, index: licenses.length, reason: expect.stringMatching(/^device_id: .*lone surrogate/) },
        { kind: 'license', key: null, index: licenses.length + 1, reason: expect.stringMatching(/^device_id: is \d+ characters long \(at most 1000\)/) },
        { kind: 'user', key: null, index: 1, reason: expect.stringMatching(/^username: .*lone surrogate/) },
        { kind: 'user', key: null, index: 2, reason: expect.stringMatching(/^username: is \d+ characters long/) },
      ]),
    );
    expect(rejected).toHaveLength(4);
    const rows = await licenseRows(p.backup);
    expect(rows.get(longest)?.status, 'the 1,000-character key is created, then blocked through its URL path').toBe('blocked');
    expect(rows.has('good-2')).toBe(true);
    expect(rows.has('b-only-1'), 'a key that cannot be read suspends deletions').toBe(true);
    expect(await usernames(p.backup)).toEqual(['good-user']);
    const stored = await everythingStoredIn(p.stateDir);
    const probe = longKey.slice(0, 60);
    expect(run.stdout.includes(probe) || run.stderr.includes(probe) || stored.includes(probe), 'the over-long key is printed or stored').toBe(false);

    const healed = await healAndConverge(p, ['good-1', 'good-2', longest]);
    families.unusableKeys.add({ runs: 2, operationsFailed: failedOperations(run, healed), requestsRetried: 0, lost: [], note: '4 records rejected with key null; a 1,000-character key created and blocked' });
  });
});

/** Every file of the state directory (database, logs, password file), as one latin1 string to search. */
async function everythingStoredIn(dir: string): Promise<string> {
  const texts: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) texts.push((await readFile(path.join(entry.parentPath, entry.name))).toString('latin1'));
  }
  return texts.join('\n');
}

// The next run converges without --force: the guard against undoing work done
// on the backup (backup-changed-since-base) must not take for such work what a
// hostile run left unreconciled, nor the sync's own writes of a failed run.
describe('the run after a hostile one converges without --force', () => {
  it('after a first run (no base yet) that skipped an unreadable primary record', async () => {
    const p = pair();
    const same = unchanged(20).map((key) => allowedLicense(key));
    await p.load(datasetOf({ licenses: [allowedLicense('lic-a', { owner_name: 'Novo Dono' }), ...same] }), datasetOf({ licenses: [allowedLicense('lic-a'), ...same] }));
    serveListings(p.primary, { devices: listingBody([listedLicense(1, 'lic-a', { owner_name: 'Novo Dono', status: 7 }), ...same.map((row, n) => ({ id: n + 2, ...row }))]) });
    const hostile = await runJson(p, SYNC_ARGS);
    expect(hostile.exitCode, hostile.stderr).toBe(0);
    expect(writeLog(p.backup)).toEqual([]);
    await healAndConverge(p, ['lic-a']);
  });

  it('after a run that wrote, then failed one write (an earlier good run’s base in place)', async () => {
    const p = pair();
    const same = unchanged(20).map((key) => allowedLicense(key));
    await syncedThenChanged(p, datasetOf({ licenses: same }), datasetOf({ licenses: [...same, allowedLicense('new-1'), allowedLicense('new-2')] }), SYNC_ARGS);
    p.backup.emulator.intercept((request) =>
      request.route === 'POST /admin/devices/create' && (request.body as { device_id?: unknown }).device_id === 'new-2' ? { status: 400, body: '{"error": "Recusado."}' } : undefined,
    );
    const failed = await runJson(p, SYNC_ARGS);
    expect(failed.exitCode, failed.stderr).toBe(1);
    expect((await licenseRows(p.backup)).has('new-1')).toBe(true);
    await healAndConverge(p, ['new-1', 'new-2']);
  });
});
