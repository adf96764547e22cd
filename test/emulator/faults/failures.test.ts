import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FailureKind } from '../../../src/emulator/fault-settings.js';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  deviceIdFor,
  expectConnectionDropped,
} from '../../support/fault-testing.js';
import { expectHtmlPage, expectJson } from '../../support/response-assertions.js';

const handle = useEmulator();
let token = '';

beforeAll(async () => {
  token = await handle().login();
});

afterEach(async () => {
  await handle().control.setFaults({});
});

/** The outcome of one request as a short label: the status, or `reset` when the connection dropped. */
async function outcome(path: string): Promise<string> {
  try {
    return String((await handle().request({ path })).status);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || /socket hang up/i.test((error as Error).message)) return 'reset';
    throw error;
  }
}

async function outcomes(count: number, path = '/health'): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) seen.push(await outcome(path));
  return seen;
}

async function storedDeviceIds(): Promise<string[]> {
  return (await handle().control.state()).devices.map((device) => device.device_id);
}

describe('failures fault', () => {
  it.each([
    ['500', 500],
    ['502', 502],
    ['503', 503],
    ['504', 504],
  ] as const)('rate 1 with kind %s answers %i with an HTML page', async (kind, status) => {
    const { control, request } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: [kind] } });
    for (const path of ['/health', '/ping', '/admin/devices']) {
      const res = await request({ path, token });
      expectHtmlPage(res, status);
    }
    const login = await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } });
    expectHtmlPage(login, status);
  });

  it('rate 1 with kind reset drops the connection', async () => {
    const { control, request } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: ['reset'] } });
    await expectConnectionDropped(request({ path: '/health' }));
    await expectConnectionDropped(request({ path: '/admin/devices', token }));
    await expectConnectionDropped(request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }));
  });

  it('serves normally on a fresh connection after a reset once healed', async () => {
    const { control, request } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: ['reset'] } });
    await expectConnectionDropped(request({ path: '/health' }));
    await control.setFaults({});
    expectJson(await request({ path: '/health' }), 200);
  });

  it('rate 0 never fails', async () => {
    const { control } = handle();
    await control.setFaults({ failures: { rate: 0, kinds: ['500', 'reset'] } });
    const seen = await outcomes(100);
    expect(new Set(seen)).toEqual(new Set(['200']));
  });

  it('with several kinds, every failure is one of them', async () => {
    const { control } = handle();
    await control.setFaults({ seed: 11, failures: { rate: 1, kinds: ['502', '504', 'reset'] } });
    const seen = await outcomes(60);
    for (const label of seen) expect(['502', '504', 'reset']).toContain(label);
    // 60 uniform picks among three kinds cover all three (the seed makes it deterministic anyway).
    expect(new Set(seen)).toEqual(new Set(['502', '504', 'reset']));
  });

  it('a seeded rate 0.5 fails a plausible share of requests, and the same seed repeats the same sequence', async () => {
    const { control } = handle();
    const settings = { seed: 42, failures: { rate: 0.5, kinds: ['500', '503'] as FailureKind[] } };

    await control.setFaults(settings);
    const first = await outcomes(200);
    const failed = first.filter((label) => label !== '200').length;
    expect(failed).toBeGreaterThanOrEqual(60);
    expect(failed).toBeLessThanOrEqual(140);
    for (const label of first) expect(['200', '500', '503']).toContain(label);

    await control.setFaults(settings);
    const second = await outcomes(200);
    expect(second).toEqual(first);

    await control.setFaults({ ...settings, seed: 43 });
    const other = await outcomes(200);
    expect(other).not.toEqual(first);
  });

  it('maxInARow 2: the same request fails twice, then goes through, then may fail again', async () => {
    const { control } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: ['503'], maxInARow: 2 } });
    expect(await outcomes(6)).toEqual(['503', '503', '200', '503', '503', '200']);
  });

  it('maxInARow counts each request apart: path, query and body tell them apart', async () => {
    const { control, request } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: ['502'], maxInARow: 1 } });
    // Interleaved, each request has its own count: every first attempt fails, every second goes through.
    expect([await outcome('/health'), await outcome('/ping'), await outcome('/health?x=1'), await outcome('/health'), await outcome('/ping')]).toEqual([
      '502',
      '502',
      '502',
      '200',
      '200',
    ]);
    const login = (password: string) => request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password } });
    expectHtmlPage(await login('admin123'), 502);
    expectHtmlPage(await login('wrong'), 502);
    expectJson(await login('admin123'), 200);
  });

  it("scope 'writes' fails POST and DELETE requests but not GETs", async () => {
    const { control, request } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: ['502'], scope: 'writes' } });

    expectJson(await request({ path: '/health' }), 200);
    expectJson(await request({ path: '/admin/devices', token }), 200);
    expectHtmlPage(await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }), 502);
    expectHtmlPage(
      await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceIdFor('b1', 1) } }),
      502,
    );
    expectHtmlPage(await request({ method: 'DELETE', path: `/admin/devices/${deviceIdFor('b1', 1)}/delete`, token }), 502);
    expect(await storedDeviceIds()).not.toContain(deviceIdFor('b1', 1));
  });

  it("scope 'reads' fails GETs but not writes", async () => {
    const { control, request } = handle();
    await control.setFaults({ failures: { rate: 1, kinds: ['503'], scope: 'reads' } });

    expectHtmlPage(await request({ path: '/health' }), 503);
    expectHtmlPage(await request({ path: '/admin/devices', token }), 503);
    const login = await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } });
    expectJson(login, 200);
    const created = await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceIdFor('b2', 1) } });
    expectJson(created, 201);
    expect(await storedDeviceIds()).toContain(deviceIdFor('b2', 1));
  });

  it('afterHandlerShare 1: the write happens although the client gets a 502', async () => {
    const { control, request } = handle();
    const deviceId = deviceIdFor('b3', 1);
    await control.setFaults({ failures: { rate: 1, kinds: ['502'], afterHandlerShare: 1 } });

    const res = await request({
      method: 'POST',
      path: '/admin/devices/create',
      token,
      body: { device_id: deviceId, owner_name: 'Perdido no Caminho', license_type: 'trianual' },
    });
    expectHtmlPage(res, 502);

    const stored = (await control.state()).devices.find((device) => device.device_id === deviceId);
    expect(stored).toMatchObject({ device_id: deviceId, owner_name: 'Perdido no Caminho', license_type: 'trianual', status: 'active' });
  });

  it('afterHandlerShare 1 with a reset: the write happens although the connection dropped', async () => {
    const { control, request } = handle();
    const deviceId = deviceIdFor('b4', 1);
    await control.setFaults({ failures: { rate: 1, kinds: ['reset'], afterHandlerShare: 1 } });

    await expectConnectionDropped(request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceId } }));
    expect(await storedDeviceIds()).toContain(deviceId);
  });

  it('afterHandlerShare 0: a failed write did not happen', async () => {
    const { control, request } = handle();
    const deviceId = deviceIdFor('b5', 1);
    await control.setFaults({ failures: { rate: 1, kinds: ['500'], afterHandlerShare: 0 } });

    expectHtmlPage(await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceId } }), 500);
    expect(await storedDeviceIds()).not.toContain(deviceId);
  });

  it('afterHandlerShare 1 on a block: the status changed although the answer was lost', async () => {
    const { control, request } = handle();
    const deviceId = deviceIdFor('b6', 1);
    expectJson(await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: deviceId } }), 201);
    await control.setFaults({ failures: { rate: 1, kinds: ['504'], afterHandlerShare: 1, scope: 'writes' } });

    const res = await request({ method: 'POST', path: `/admin/devices/${deviceId}/deactivate`, token, body: { action: 'block' } });
    expectHtmlPage(res, 504);
    const stored = (await control.state()).devices.find((device) => device.device_id === deviceId);
    expect(stored?.status).toBe('blocked');
  });
});
