import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  deviceIdFor,
  expectConnectionDropped,
} from '../../support/fault-testing.js';

const handle = useEmulator();

beforeEach(async () => {
  await handle().control.setFaults({});
  await handle().control.resetStats();
});

afterEach(async () => {
  await handle().control.setFaults({});
});

describe('emulator statistics', () => {
  it('counts API requests per route name, and not control requests', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    const deviceId = deviceIdFor('d0', 1);
    for (let i = 0; i < 3; i++) await request({ path: '/health' });
    await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'wrong-password' } });
    await request({ path: '/admin/devices', token });
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceId } });
    await request({ method: 'POST', path: `/admin/devices/${deviceId}/deactivate`, token, body: { action: 'block' } });
    await request({ method: 'DELETE', path: `/admin/devices/${deviceId}/delete`, token });
    await request({ path: '/no/such/route' });
    await request({ method: 'PUT', path: '/health' });
    await control.faults();
    await control.state();

    const stats = await control.stats();
    expect(stats.requests).toEqual({
      'GET /health': 3,
      'POST /admin/login': 2,
      'GET /admin/devices': 1,
      'POST /admin/devices/create': 1,
      'POST /admin/devices/:device_id/deactivate': 1,
      'DELETE /admin/devices/:device_id/delete': 1,
      'GET (not found)': 1,
      'PUT (method not allowed)': 1,
    });
    expect(stats.faults).toEqual({});
    expect(stats.records).toEqual({ adminUsers: 1, users: 0, devices: 0 });
  });

  it('counts requests that were answered by a fault too', async () => {
    const { control, request } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: ['503'] } });
    for (let i = 0; i < 2; i++) await request({ path: '/ping' });
    expect((await control.stats()).requests['GET /ping']).toBe(2);
  });

  it('counts injected faults by name', async () => {
    const { control, request } = handle();
    const token = await handle().login();

    await control.setFaults({ failures: { rate: 1, kinds: ['502'] } });
    await request({ path: '/health' });
    await request({ path: '/health' });

    await control.setFaults({ failures: { rate: 1, kinds: ['reset'] } });
    await expectConnectionDropped(request({ path: '/health' }));

    await control.setFaults({ failures: { rate: 1, kinds: ['500'], afterHandlerShare: 1 } });
    await request({ path: '/health' });

    await control.setFaults({ down: true });
    await request({ path: '/health' });

    await control.setFaults({ rateLimit: { requests: 1, windowMs: 400 } });
    await request({ path: '/health' });
    await request({ path: '/health' });

    await control.setFaults({ malformedListing: { mode: 'partial', endpoints: ['devices'] } });
    await request({ path: '/admin/devices', token });

    await control.setFaults({ revokeTokens: { afterRequests: 0 } });
    await request({ path: '/health' });

    await control.setFaults({ coldStart: { idleMs: 60_000, wakeMs: 400, mode: 'error', asleepNow: true } });
    await request({ path: '/health' });

    expect((await control.stats()).faults).toEqual({
      'failure-502': 2,
      'failure-reset': 1,
      'failure-500-after-handler': 1,
      down: 1,
      'rate-limited': 1,
      'malformed-listing:partial': 1,
      'tokens-revoked': 1,
      'cold-start': 1,
      'cold-start-503': 1,
    });
  });

  it('counts welcome e-mails sent for licenses written with an e-mail', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceIdFor('d1', 1), email: 'cliente@example.com' } });
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceIdFor('d1', 2) } });
    const stats = await control.stats();
    expect(stats.emailsSent).toBe(1);
    expect(stats.lastEmailRecipients).toEqual(['cliente@example.com']);
  });

  it('resetStats clears requests, faults and e-mails but not the data', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceIdFor('d2', 1), email: 'x@example.com' } });
    await control.setFaults({ failures: { rate: 1, kinds: ['500'] } });
    await request({ path: '/health' });

    const before = await control.stats();
    expect(Object.keys(before.requests).length).toBeGreaterThan(0);
    expect(Object.keys(before.faults).length).toBeGreaterThan(0);

    expect(await control.resetStats()).toEqual({ reset: true });
    const after = await control.stats();
    expect(after.requests).toEqual({});
    expect(after.faults).toEqual({});
    expect(after.emailsSent).toBe(0);
    expect(after.lastEmailRecipients).toEqual([]);
    expect(after.records).toEqual(before.records);
  });
});
