import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  sleep,
} from '../../support/fault-testing.js';
import { expectHtmlPage, expectJson } from '../../support/response-assertions.js';

const handle = useEmulator();

beforeEach(async () => {
  await handle().control.resetStats();
});

afterEach(async () => {
  await handle().control.setFaults({});
});

describe('rateLimit fault', () => {
  it('answers request N+1 of a window with 429, a numeric Retry-After and an HTML page', async () => {
    const { control, request } = handle();
    const requests = 5;
    const windowMs = 400;
    await control.setFaults({ rateLimit: { requests, windowMs } });

    for (let i = 0; i < requests; i++) expectJson(await request({ path: '/health' }), 200);
    const limited = await request({ path: '/health' });
    expectHtmlPage(limited, 429);
    const retryAfter = limited.headers['retry-after'];
    expect(retryAfter).toMatch(/^\d+$/);
    // Whole seconds, at least one, never beyond the window's end.
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(Math.ceil(windowMs / 1000));
  });

  it('keeps refusing until the window ends, then serves again', async () => {
    const { control, request } = handle();
    const windowMs = 300;
    await control.setFaults({ rateLimit: { requests: 2, windowMs } });

    expectJson(await request({ path: '/health' }), 200);
    expectJson(await request({ path: '/ping' }), 200);
    expectHtmlPage(await request({ path: '/health' }), 429);
    expectHtmlPage(await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }), 429);

    await sleep(windowMs + 100);
    expectJson(await request({ path: '/health' }), 200);
    expectJson(await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }), 200);
  });

  it('runs its windows on real time, even when the emulator clock is fixed', async () => {
    const { control, request } = handle();
    const windowMs = 200;
    await control.setClock({ today: '2030-01-01' });
    try {
      await control.setFaults({ rateLimit: { requests: 1, windowMs } });
      expectJson(await request({ path: '/health' }), 200);
      expectHtmlPage(await request({ path: '/health' }), 429);
      await sleep(windowMs + 100);
      expectJson(await request({ path: '/health' }), 200);
    } finally {
      await control.setClock({ now: null });
    }
  });

  it('does not run the handler of a refused request', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    await control.setFaults({ rateLimit: { requests: 1, windowMs: 400 } });

    expectJson(await request({ path: '/health' }), 200);
    const refused = await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'rate-limited-write' } });
    expectHtmlPage(refused, 429);
    expect((await control.state()).devices.map((device) => device.device_id)).not.toContain('rate-limited-write');
  });

  it('does not count control requests against the limit', async () => {
    const { control, request } = handle();
    await control.setFaults({ rateLimit: { requests: 2, windowMs: 400 } });
    for (let i = 0; i < 5; i++) await control.faults();
    expectJson(await request({ path: '/health' }), 200);
    expectJson(await request({ path: '/health' }), 200);
    expectHtmlPage(await request({ path: '/health' }), 429);
  });

  it('counts refused requests as rate-limited faults', async () => {
    const { control, request } = handle();
    await control.setFaults({ rateLimit: { requests: 1, windowMs: 400 } });
    for (let i = 0; i < 4; i++) await request({ path: '/health' });
    expect((await control.stats()).faults['rate-limited']).toBe(3);
  });
});
