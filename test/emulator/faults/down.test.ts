import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RawRequest } from '../../support/raw-http.js';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  deviceIdFor,
  seedLicenses,
} from '../../support/fault-testing.js';
import { expectHtmlPage, expectJson } from '../../support/response-assertions.js';

const handle = useEmulator();
let token = '';
let licenses: string[] = [];

beforeAll(async () => {
  token = await handle().login();
  licenses = await seedLicenses(handle(), token, 2, 'c0');
});

afterEach(async () => {
  await handle().control.setFaults({});
});

/** One request per API route, plus an unknown path and a wrong method. */
function everyRoute(): RawRequest[] {
  const deviceId = licenses[0] ?? 'missing';
  return [
    { path: '/health' },
    { path: '/ping' },
    { method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } },
    { path: '/admin/users', token },
    { method: 'POST', path: '/admin/users/create', token, body: { username: 'down-user', password: 'segredo123' } },
    { path: '/admin/devices', token },
    { method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceIdFor('c9', 1) } },
    { method: 'POST', path: '/admin/devices/update-created-by', token, body: { device_id: deviceId, created_by: 'outro' } },
    { method: 'POST', path: `/admin/devices/${deviceId}/deactivate`, token, body: { action: 'block' } },
    { method: 'DELETE', path: `/admin/devices/${deviceId}/delete`, token },
    { path: `/verify?id=${deviceId}&version=1.0&ts=20250101120000` },
    { path: '/no/such/route' },
    { method: 'PUT', path: '/health' },
  ];
}

describe('down fault', () => {
  it('answers every API route with the tunnel error page (530)', async () => {
    const { control, request } = handle();
    await control.setFaults({ down: true });
    const pages = new Set<string>();
    for (const req of everyRoute()) {
      const res = await request(req);
      expectHtmlPage(res, 530);
      expect(res.text).toMatch(/Error 1033/);
      expect(res.text).toMatch(/Cloudflare Tunnel error/);
      pages.add(res.text);
    }
    expect(pages.size).toBe(1);
  });

  it('writes nothing while down', async () => {
    const { control } = handle();
    const before = await control.state();
    await control.setFaults({ down: true });
    for (const req of everyRoute()) await handle().request(req);
    await control.setFaults({});
    expect(await control.state()).toEqual(before);
  });

  it('leaves the control endpoint working', async () => {
    const { control } = handle();
    await control.setFaults({ down: true });
    expect((await control.faults()).down).toBe(true);
    expect((await control.state()).devices.map((device) => device.device_id)).toEqual(expect.arrayContaining(licenses));
    await control.resetStats();
    await handle().request({ path: '/health' });
    const stats = await control.stats();
    expect(stats.faults.down).toBe(1);
    expect(stats.requests['GET /health']).toBe(1);
  });

  it('down: false heals the server', async () => {
    const { control, request } = handle();
    await control.setFaults({ down: true });
    expectHtmlPage(await request({ path: '/health' }), 530);

    await control.setFaults({ down: false });
    expectJson(await request({ path: '/health' }), 200);
    const listing = await request({ path: '/admin/devices', token });
    expectJson(listing, 200);
    const login = await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } });
    expectJson(login, 200);
  });

  it('takes precedence over the other faults', async () => {
    const { control, request } = handle();
    await control.setFaults({ down: true, failures: { rate: 1, kinds: ['500'] }, rateLimit: { requests: 1, windowMs: 400 } });
    for (let i = 0; i < 3; i++) expectHtmlPage(await request({ path: '/health' }), 530);
  });
});
