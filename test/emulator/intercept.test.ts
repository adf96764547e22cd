import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InterceptedRequest } from '../../src/emulator/server.js';
import { useEmulator } from '../support/emulator-fixture.js';
import { expectConnectionDropped } from '../support/fault-testing.js';

// In-process hooks for tests: an interceptor that sees each API request as
// sent on the wire (and may hold it or answer in the server's place), and
// observer requests (carrying the control secret) that no fault touches.

const handle = useEmulator();

beforeEach(async () => {
  handle().emulator.intercept(null);
  await handle().control.setFaults({});
  await handle().control.resetStats();
});

afterEach(async () => {
  handle().emulator.intercept(null);
  await handle().control.setFaults({});
});

describe('the request interceptor', () => {
  it('sees the raw path as sent, the decoded path and the route, then lets the request go on', async () => {
    const { emulator, request } = handle();
    const token = await handle().login();
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'a b?c' } });
    const seen: InterceptedRequest[] = [];
    emulator.intercept((req) => {
      seen.push(req);
      return undefined;
    });
    const res = await request({ method: 'POST', path: '/admin/devices/a%20b%3Fc/deactivate?x=1', token, body: { action: 'block' } });
    expect(res.status).toBe(200);
    expect(seen).toEqual([
      {
        method: 'POST',
        rawPath: '/admin/devices/a%20b%3Fc/deactivate',
        path: '/admin/devices/a b?c/deactivate',
        query: 'x=1',
        route: 'POST /admin/devices/:device_id/deactivate',
        body: { action: 'block' },
      },
    ]);
  });

  it('can hold a request until the test releases it', async () => {
    const { emulator, request } = handle();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let arrived = false;
    emulator.intercept(async () => {
      arrived = true;
      await held;
      return undefined;
    });
    let answered = false;
    const pending = request({ path: '/health' }).then((res) => {
      answered = true;
      return res;
    });
    while (!arrived) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    release();
    expect((await pending).status).toBe(200);
  });

  it('can answer in the server’s place, or reset the connection', async () => {
    const { emulator, request } = handle();
    emulator.intercept((req) => (req.route === 'GET /ping' ? 'reset' : { status: 200, body: '{"items": [], "items": []}' }));
    const res = await request({ path: '/health' });
    expect(res).toMatchObject({ status: 200, text: '{"items": [], "items": []}' });
    expect(res.headers['content-type']).toBe('application/json');
    await expectConnectionDropped(request({ path: '/ping' }));
  });
});

describe('observer requests', () => {
  it('are never faulted, intercepted or counted', async () => {
    const { control, emulator, request } = handle();
    await control.setFaults({ down: true });
    let intercepted = 0;
    emulator.intercept(() => {
      intercepted++;
      return undefined;
    });
    const observed = await request({ path: '/verify?id=nobody', headers: { 'x-emulator-secret': emulator.controlSecret } });
    expect(observed.status).toBe(403);
    const plain = await request({ path: '/verify?id=nobody' });
    expect(plain.status).toBe(530);
    expect(intercepted).toBe(1);
    expect((await control.stats()).requests).toEqual({ 'GET /verify': 1 });
  });
});
