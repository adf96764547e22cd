import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MalformedListingMode } from '../../../src/emulator/fault-settings.js';
import { useEmulator } from '../../support/emulator-fixture.js';
import type { RawResponse } from '../../support/raw-http.js';
import {
  listingItems,
  seedLicenses,
  seedUsers,
} from '../../support/fault-testing.js';
import { expectJson } from '../../support/response-assertions.js';

type Row = Record<string, unknown>;
type Endpoint = 'devices' | 'users';

const handle = useEmulator();
const LICENSES = 7;
const USERS = 5;
let token = '';
/** The listings as a healthy server sends them. */
const healthy: Record<Endpoint, Row[]> = { devices: [], users: [] };

const KEY: Record<Endpoint, string> = { devices: 'device_id', users: 'username' };

const list = (endpoint: Endpoint): Promise<RawResponse> => handle().request({ path: `/admin/${endpoint}`, token });

beforeAll(async () => {
  token = await handle().login();
  await seedLicenses(handle(), token, LICENSES);
  await seedUsers(handle(), token, USERS);
  healthy.devices = listingItems(await list('devices'));
  healthy.users = listingItems(await list('users'));
});

afterEach(async () => {
  await handle().control.setFaults({});
});

// What a well-formed row looks like, per the contract.
const isText = (value: unknown) => value === null || typeof value === 'string';
const isDate = (value: unknown) => value === null || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value));
const isInt = (value: unknown) => typeof value === 'number' && Number.isInteger(value);

function isWellFormedDevice(row: Row): boolean {
  return (
    isInt(row.id) &&
    typeof row.device_id === 'string' &&
    row.device_id.length > 0 &&
    ['owner_name', 'cpf', 'email', 'address', 'features', 'created_by', 'last_seen_at', 'last_seen_ip', 'last_hostname', 'last_version'].every(
      (field) => field in row && isText(row[field]),
    ) &&
    ['mensal', 'trimestral', 'semestral', 'anual', 'trianual', 'vitalicia'].includes(row.license_type as string) &&
    ['active', 'blocked', 'pending'].includes(row.status as string) &&
    'start_date' in row &&
    isDate(row.start_date) &&
    'end_date' in row &&
    isDate(row.end_date) &&
    (row.custom_interval === null || isInt(row.custom_interval))
  );
}

function isWellFormedUser(row: Row): boolean {
  return (
    isInt(row.id) &&
    typeof row.username === 'string' &&
    row.username.length > 0 &&
    'email' in row &&
    isText(row.email) &&
    (row.role === 'admin' || row.role === 'user') &&
    typeof row.created_at === 'string'
  );
}

const WELL_FORMED: Record<Endpoint, (row: Row) => boolean> = { devices: isWellFormedDevice, users: isWellFormedUser };

async function damage(mode: MalformedListingMode, endpoints: Endpoint[], extra: { times?: number; keepFraction?: number } = {}) {
  await handle().control.setFaults({ malformedListing: { mode, endpoints, ...extra } });
}

describe('malformed listings: the healthy baseline', () => {
  it('lists every seeded record, all well formed', () => {
    expect(healthy.devices).toHaveLength(LICENSES);
    expect(healthy.users).toHaveLength(USERS);
    expect(healthy.devices.every(isWellFormedDevice)).toBe(true);
    expect(healthy.users.every(isWellFormedUser)).toBe(true);
  });
});

describe.each(['devices', 'users'] as const)('malformed %s listing', (endpoint) => {
  it("'truncated': 200 with a JSON content type, but the body does not parse", async () => {
    await damage('truncated', [endpoint]);
    const res = await list(endpoint);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text.length).toBeGreaterThan(0);
    expect(res.json).toBeUndefined();
    expect(() => JSON.parse(res.text) as unknown).toThrow(SyntaxError);
    // It is the start of the real listing, cut short.
    await handle().control.setFaults({});
    const full = (await list(endpoint)).text;
    expect(full.startsWith(res.text)).toBe(true);
    expect(res.text.length).toBeLessThan(full.length);
  });

  it("'html': 200 with a text/html page instead of JSON", async () => {
    await damage('html', [endpoint]);
    const res = await list(endpoint);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<html/i);
    expect(res.json).toBeUndefined();
  });

  it("'bad-records': valid JSON in which some records are damaged and the others intact", async () => {
    await damage('bad-records', [endpoint]);
    const res = await list(endpoint);
    expectJson(res, 200);
    const items = listingItems(res);
    expect(items).toHaveLength(healthy[endpoint].length);

    const wellFormed = WELL_FORMED[endpoint];
    const damaged = items.filter((row) => !wellFormed(row));
    const intact = items.filter((row) => wellFormed(row));
    expect(damaged.length).toBeGreaterThanOrEqual(1);
    expect(intact.length).toBeGreaterThanOrEqual(1);
    // Intact records are exactly what a healthy server sends, at the same place.
    items.forEach((row, index) => {
      if (wellFormed(row)) expect(row).toEqual(healthy[endpoint][index]);
    });
    // Both kinds of damage occur: a field missing, and a field of the wrong type.
    const fields = Object.keys(healthy[endpoint][0] ?? {});
    expect(damaged.some((row) => fields.some((field) => !(field in row)))).toBe(true);
    expect(damaged.some((row) => fields.every((field) => field in row))).toBe(true);
  });


  it("'duplicate-ids': the same key appears twice with differing content", async () => {
    await damage('duplicate-ids', [endpoint]);
    const res = await list(endpoint);
    expectJson(res, 200);
    const items = listingItems(res);
    const key = KEY[endpoint];

    const byKey = new Map<unknown, Row[]>();
    for (const row of items) byKey.set(row[key], [...(byKey.get(row[key]) ?? []), row]);
    const duplicated = [...byKey.values()].filter((rows) => rows.length > 1);
    expect(duplicated.length).toBeGreaterThanOrEqual(1);
    for (const rows of duplicated) expect(rows[0]).not.toEqual(rows[1]);
    // Nothing is lost: every stored key is still listed.
    expect(new Set(byKey.keys())).toEqual(new Set(healthy[endpoint].map((row) => row[key])));
  });

  it("'partial': fewer records than stored, per keepFraction, all of them real", async () => {
    const stored = await handle().control.state();
    const storedCount = endpoint === 'devices' ? stored.devices.length : stored.users.length;
    await damage('partial', [endpoint], { keepFraction: 0.4 });

    const items = listingItems(await list(endpoint));
    expect(items.length).toBeLessThan(storedCount);
    expect(items.length).toBe(Math.ceil(storedCount * 0.4));
    for (const row of items) expect(healthy[endpoint]).toContainEqual(row);
  });

  it("'partial' keeps a tenth of the records by default", async () => {
    await damage('partial', [endpoint]);
    const items = listingItems(await list(endpoint));
    expect(items.length).toBe(Math.ceil(healthy[endpoint].length * 0.1));
  });

  it('times: 1 damages only the next listing', async () => {
    await damage('html', [endpoint], { times: 1 });
    const first = await list(endpoint);
    expect(first.headers['content-type']).toMatch(/^text\/html/);

    const second = await list(endpoint);
    expectJson(second, 200);
    expect(listingItems(second)).toEqual(healthy[endpoint]);
    expect(listingItems(await list(endpoint))).toEqual(healthy[endpoint]);
  });

  it('times: 2 damages the next two listings', async () => {
    await damage('truncated', [endpoint], { times: 2 });
    expect((await list(endpoint)).json).toBeUndefined();
    expect((await list(endpoint)).json).toBeUndefined();
    expect(listingItems(await list(endpoint))).toEqual(healthy[endpoint]);
  });

  it('without times, every listing is damaged until healed', async () => {
    await damage('html', [endpoint]);
    for (let i = 0; i < 3; i++) expect((await list(endpoint)).headers['content-type']).toMatch(/^text\/html/);
    await handle().control.setFaults({});
    expect(listingItems(await list(endpoint))).toEqual(healthy[endpoint]);
  });
});

describe("malformed listings: 'bad-records' in detail", () => {
  it('a devices listing includes an id sent as a string', async () => {
    await damage('bad-records', ['devices']);
    const items = listingItems(await list('devices'));
    const stringIds = items.filter((row) => typeof row.id === 'string');
    expect(stringIds.length).toBeGreaterThanOrEqual(1);
    for (const row of stringIds) expect(healthy.devices.map((device) => String(device.id))).toContain(row.id);
  });

  it('a users listing includes a user without a username', async () => {
    await damage('bad-records', ['users']);
    const items = listingItems(await list('users'));
    expect(items.some((row) => !('username' in row))).toBe(true);
  });
});

describe('malformed listings: which endpoints', () => {
  it("endpoints ['users'] leaves the devices listing intact", async () => {
    await damage('html', ['users']);
    expect(listingItems(await list('devices'))).toEqual(healthy.devices);
    expect((await list('users')).headers['content-type']).toMatch(/^text\/html/);
  });

  it("endpoints ['devices'] leaves the users listing intact", async () => {
    await damage('truncated', ['devices']);
    expect(listingItems(await list('users'))).toEqual(healthy.users);
    expect((await list('devices')).json).toBeUndefined();
  });

  it('damages only the devices listing when endpoints is not given', async () => {
    await handle().control.setFaults({ malformedListing: { mode: 'html' } });
    expect(listingItems(await list('users'))).toEqual(healthy.users);
    expect((await list('devices')).headers['content-type']).toMatch(/^text\/html/);
  });

  it('a listing of an endpoint that is not damaged does not use up times', async () => {
    await damage('html', ['devices'], { times: 1 });
    expect(listingItems(await list('users'))).toEqual(healthy.users);
    expect((await list('devices')).headers['content-type']).toMatch(/^text\/html/);
    expect(listingItems(await list('devices'))).toEqual(healthy.devices);
  });

  it('damages listings only: other JSON answers are untouched', async () => {
    await damage('truncated', ['devices', 'users']);
    const health = await handle().request({ path: '/health' });
    expectJson(health, 200);
    const unauthorized = await handle().request({ path: '/admin/devices' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.json).toEqual({ error: 'Unauthorized' });
  });
});
