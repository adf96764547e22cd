import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/emulator/dataset/dataset-file.js';
import { openEmulator, useEmulator } from '../support/emulator-fixture.js';
import type { RawRequest, RawResponse } from '../support/raw-http.js';
import {
  deviceIdFor,
  listingItems,
  seedLicenses,
} from '../support/fault-testing.js';
import { expectHtmlPage, expectJson } from '../support/response-assertions.js';

const SECRET = 'control-secret-for-tests';
const handle = useEmulator({ controlSecret: SECRET });
let token = '';

beforeAll(async () => {
  token = await handle().login();
  await seedLicenses(handle(), token, 3, 'e0');
});

afterEach(async () => {
  await handle().control.setFaults({});
  await handle().control.setClock({ now: null });
});

/** A raw request to the control endpoint, with the right secret unless told otherwise. */
function control(method: string, path: string, options: { body?: unknown; secret?: string | null } = {}): Promise<RawResponse> {
  const secret = options.secret === undefined ? SECRET : options.secret;
  const req: RawRequest = {
    method,
    path: `/_emulator${path}`,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(secret === null ? {} : { headers: { 'x-emulator-secret': secret } }),
  };
  return handle().request(req);
}

function errorOf(res: RawResponse): string {
  const error = (res.json as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? error : '';
}

describe('control endpoint: the secret', () => {
  it.each([
    ['missing', null],
    ['wrong', 'not-the-secret'],
    ['wrong, of the same length', 'control-secret-for-test5'],
    ['empty', ''],
  ] as const)('a %s x-emulator-secret gets 403 and the faults stay unchanged', async (_label, secret) => {
    const res = await control('PUT', '/faults', { body: { down: true }, secret });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(errorOf(res)).toMatch(/secret/);

    expect((await handle().control.faults()).down).toBe(false);
    expectJson(await handle().request({ path: '/health' }), 200);
  });

  it('refuses every control route without the secret, reads and writes alike', async () => {
    const before = await handle().control.state();
    const attempts: [string, string, unknown?][] = [
      ['GET', '/faults'],
      ['GET', '/state'],
      ['PUT', '/state', { format: 'sync-dbs-emulator-dataset/1', admin_users: [], users: [], devices: [] }],
      ['GET', '/stats'],
      ['POST', '/stats/reset'],
      ['GET', '/clock'],
      ['PUT', '/clock', { today: '2040-01-01' }],
      ['POST', '/rotate-secret'],
      ['GET', '/no-such-route'],
    ];
    for (const [method, path, body] of attempts) {
      const res = await control(method, path, { body, secret: 'nope' });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.text).not.toMatch(/password_hash/);
    }
    expect(await handle().control.state()).toEqual(before);
    expect((await control('GET', '/clock')).json).toMatchObject({ fixed: false });
    expect((await handle().control.faults()).down).toBe(false);
    // The token issued before is still valid: the secret was not rotated.
    expectJson(await handle().request({ path: '/admin/devices', token }), 200);
  });
});

describe('control endpoint: fault settings', () => {
  it('GET /faults returns the settings with their defaults filled in', async () => {
    await handle().control.setFaults({ failures: { rate: 0.25 }, latency: { fixedMs: 5 } });
    const res = await control('GET', '/faults');
    expectJson(res, 200);
    expect(res.json).toEqual({
      seed: 1,
      down: false,
      failures: { rate: 0.25, kinds: ['500', '502', '503', 'reset'], scope: 'all', afterHandlerShare: 0 },
      latency: { fixedMs: 5, jitterMs: 0 },
    });
  });

  it.each([
    ['failures.rate above 1', { failures: { rate: 2 } }, 'failures.rate'],
    ['a negative latency', { latency: { fixedMs: -1 } }, 'latency.fixedMs'],
    ['an unknown failure kind', { failures: { rate: 1, kinds: ['418'] } }, 'failures.kinds'],
    ['an unknown listing mode', { malformedListing: { mode: 'shuffled' } }, 'malformedListing.mode'],
    ['a non-integer rate limit', { rateLimit: { requests: 1.5, windowMs: 100 } }, 'rateLimit.requests'],
    ['a cold start without wakeMs', { coldStart: { idleMs: 100 } }, 'coldStart.wakeMs'],
    ['down as a string', { down: 'yes' }, 'down'],
    ['an unknown top-level key', { explode: true }, 'explode'],
    ['an unknown nested key', { latency: { fixedMs: 1, spikes: 3 } }, 'spikes'],
  ] as const)('refuses %s with 400 and a message naming the field', async (_label, settings, field) => {
    const res = await control('PUT', '/faults', { body: settings });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(errorOf(res)).toContain('invalid fault settings');
    expect(errorOf(res)).toContain(field);
  });

  it('keeps the previous settings when new ones are refused', async () => {
    const previous = await handle().control.setFaults({ latency: { fixedMs: 1 }, down: false, seed: 9 });
    const res = await control('PUT', '/faults', { body: { down: true, failures: { rate: 2 } } });
    expect(res.status).toBe(400);
    expect(await handle().control.faults()).toEqual(previous);
    expectJson(await handle().request({ path: '/health' }), 200);
  });

  it('PUT {} heals everything at once', async () => {
    await handle().control.setFaults({
      seed: 5,
      down: true,
      latency: { fixedMs: 300 },
      failures: { rate: 1, kinds: ['500'] },
      coldStart: { idleMs: 0, wakeMs: 400, mode: 'error', asleepNow: true },
      rateLimit: { requests: 1, windowMs: 400 },
      revokeTokens: { afterRequests: 5 },
      malformedListing: { mode: 'html', endpoints: ['devices', 'users'] },
    });
    expectHtmlPage(await handle().request({ path: '/health' }), 530);

    const res = await control('PUT', '/faults', { body: {} });
    expectJson(res, 200);
    expect(res.json).toEqual({ seed: 1, down: false });
    expect(await handle().control.faults()).toEqual({ seed: 1, down: false });

    for (let i = 0; i < 6; i++) expectJson(await handle().request({ path: '/health' }), 200);
    // The pending revocation was cancelled: the token from before still works, and listings are intact.
    const listing = await handle().request({ path: '/admin/devices', token });
    expectJson(listing, 200);
    expect(listingItems(listing).length).toBeGreaterThanOrEqual(3);
    expectJson(await handle().request({ path: '/admin/users', token }), 200);
  });

  it('refuses a body that is not JSON with 400 instead of taking it for {} (which would heal everything)', async () => {
    await handle().control.setFaults({ down: true });
    const res = await handle().request({
      method: 'PUT',
      path: '/_emulator/faults',
      headers: { 'x-emulator-secret': SECRET },
      rawBody: '{"failures": {"rate": 1}, "down": tru',
    });
    // A typo in a fault set-up must not silently leave a healthy server behind a 200.
    expect(res.status).toBe(400);
    expect((await handle().control.faults()).down).toBe(true);
  });

  it('PUT without a body heals too', async () => {
    await handle().control.setFaults({ down: true });
    const res = await control('PUT', '/faults');
    expectJson(res, 200);
    expect(res.json).toEqual({ seed: 1, down: false });
    expectJson(await handle().request({ path: '/health' }), 200);
  });
});

describe('control endpoint: state', () => {
  it('GET /state returns a dataset that PUT /state loads into another emulator', async () => {
    const admin = token;
    const reseller = { username: 'revenda-sul', password: 'senha-da-revenda' };
    const created = await handle().request({
      method: 'POST',
      path: '/admin/users/create',
      token: admin,
      body: { ...reseller, email: 'sul@example.com' },
    });
    expectJson(created, 201);
    const resellerLicense = deviceIdFor('e1', 1);
    expectJson(
      await handle().request({
        method: 'POST',
        path: '/admin/devices/create',
        token: admin,
        body: { device_id: resellerLicense, owner_name: 'José Ação', created_by: reseller.username, license_type: 'vitalicia' },
      }),
      201,
    );
    expectJson(await handle().request({ method: 'POST', path: `/admin/devices/${deviceIdFor('e0', 0)}/deactivate`, token: admin, body: { action: 'block' } }), 200);

    const exported = await control('GET', '/state');
    expectJson(exported, 200);
    const dataset = exported.json as Dataset;
    expect(dataset.format).toBe('sync-dbs-emulator-dataset/1');
    expect(dataset.devices.length).toBeGreaterThanOrEqual(4);
    expect(dataset.users.map((user) => user.username)).toContain(reseller.username);

    const other = await openEmulator();
    try {
      const loaded = await other.request({
        method: 'PUT',
        path: '/_emulator/state',
        headers: { 'x-emulator-secret': other.emulator.controlSecret },
        body: dataset,
      });
      expectJson(loaded, 200);
      expect(loaded.json).toEqual({ adminUsers: dataset.admin_users.length, users: dataset.users.length, devices: dataset.devices.length });

      // The same data, row for row.
      expect(await other.control.state()).toEqual(dataset);

      // The reseller can log in to the new emulator with the same password, and sees its own license.
      const resellerToken = await other.login(reseller.username, reseller.password);
      const own = listingItems(await other.request({ path: '/admin/devices', token: resellerToken }));
      expect(own.map((row) => row.device_id)).toEqual([resellerLicense]);
      expect(own[0]).toMatchObject({ owner_name: 'José Ação', license_type: 'vitalicia', created_by: reseller.username });

      // The administrator too, and the listings match the first emulator's.
      const otherAdmin = await other.login();
      const there = listingItems(await other.request({ path: '/admin/devices', token: otherAdmin }));
      const here = listingItems(await handle().request({ path: '/admin/devices', token: admin }));
      expect(there).toEqual(here);
      expect(listingItems(await other.request({ path: '/admin/users', token: otherAdmin }))).toEqual(
        listingItems(await handle().request({ path: '/admin/users', token: admin })),
      );

      // Tokens are not part of the state: the first emulator's token means nothing there.
      expect((await other.request({ path: '/admin/devices', token: admin })).status).toBe(401);

      // New rows continue after the loaded ones.
      expectJson(await other.request({ method: 'POST', path: '/admin/devices/create', token: otherAdmin, body: { device_id: 'after-load' } }), 201);
      const ids = (await other.control.state()).devices.map((device) => device.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await other.emulator.close();
    }
  });

  it('PUT /state refuses what is not a dataset with 400 and keeps the data', async () => {
    const before = await handle().control.state();
    const res = await control('PUT', '/state', { body: { format: 'something-else', devices: 'none' } });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(/not a valid emulator dataset/);
    expect(await handle().control.state()).toEqual(before);
  });

  it('PUT /state refuses a dataset with duplicate device_ids', async () => {
    const dataset = await handle().control.state();
    const first = dataset.devices[0];
    expect(first).toBeDefined();
    const broken = { ...dataset, devices: [...dataset.devices, { ...first, id: 9999 }] };
    const res = await control('PUT', '/state', { body: broken });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(/duplicate device_id/);
  });
});

describe('control endpoint: clock', () => {
  it('GET /clock tells real time by default', async () => {
    const res = await control('GET', '/clock');
    expectJson(res, 200);
    const clock = res.json as { now: string; today: string; fixed: boolean };
    expect(clock.fixed).toBe(false);
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(60_000);
    expect(clock.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('PUT {today} fixes the clock at noon UTC of that day, and new licenses start that day', async () => {
    const res = await control('PUT', '/clock', { body: { today: '2030-01-31' } });
    expectJson(res, 200);
    expect(res.json).toEqual({ now: '2030-01-31T12:00:00.000Z', today: '2030-01-31', fixed: true });

    const deviceId = deviceIdFor('e2', 1);
    await handle().request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceId, license_type: 'mensal' } });
    const stored = (await handle().control.state()).devices.find((device) => device.device_id === deviceId);
    expect(stored).toMatchObject({ start_date: '2030-01-31', end_date: '2030-02-28' });
  });

  it('PUT {now} fixes the clock at that instant, as /ping shows', async () => {
    const res = await control('PUT', '/clock', { body: { now: '2031-06-01T08:30:00Z' } });
    expectJson(res, 200);
    expect(res.json).toEqual({ now: '2031-06-01T08:30:00.000Z', today: '2031-06-01', fixed: true });
    expect(await control('GET', '/clock').then((r) => r.json)).toEqual(res.json);
    const ping = await handle().request({ path: '/ping' });
    expect((ping.json as { timestamp?: unknown }).timestamp).toBe('2031-06-01T08:30:00.000Z');
  });

  it('PUT {now: null} returns to real time', async () => {
    await handle().control.setClock({ today: '2001-01-01' });
    const res = await control('PUT', '/clock', { body: { now: null } });
    expectJson(res, 200);
    const clock = res.json as { now: string; fixed: boolean };
    expect(clock.fixed).toBe(false);
    expect(Math.abs(Date.parse(clock.now) - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ['an unparsable instant', { now: 'yesterday-ish' }],
    ['an impossible day', { today: '2025-02-30' }],
    ['an empty body', {}],
  ] as const)('PUT /clock refuses %s with 400 and keeps the clock', async (_label, body) => {
    await handle().control.setClock({ today: '2029-05-05' });
    const res = await control('PUT', '/clock', { body });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatch(/expected/);
    expect((await control('GET', '/clock')).json).toMatchObject({ today: '2029-05-05', fixed: true });
  });
});

describe('control endpoint: routes', () => {
  it.each([
    ['GET', '/nothing-here'],
    ['DELETE', '/faults'],
    ['POST', '/faults'],
    ['GET', '/rotate-secret'],
    ['GET', '/'],
  ])('%s /_emulator%s is 404 with a JSON error', async (method, path) => {
    const res = await control(method, path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(errorOf(res)).toContain('no control route');
  });

  it('POST /rotate-secret invalidates every token at once', async () => {
    const before = await handle().login();
    const res = await control('POST', '/rotate-secret');
    expectJson(res, 200);
    expect(res.json).toEqual({ rotated: true });
    expect((await handle().request({ path: '/admin/devices', token: before })).json).toEqual({ error: 'Unauthorized' });
    token = await handle().login();
    expectJson(await handle().request({ path: '/admin/devices', token }), 200);
  });

  it('is not subject to faults: it answers while the API is down', async () => {
    await handle().control.setFaults({ down: true, failures: { rate: 1, kinds: ['reset'] } });
    expectHtmlPage(await handle().request({ path: '/health' }), 530);
    expectJson(await control('GET', '/stats'), 200);
    expectJson(await control('GET', '/clock'), 200);
    expectJson(await control('GET', '/state'), 200);
  });
});
