import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../support/emulator-fixture.js';

// The write log: what each write request did, in order, so that tests can tell
// whether a license was created twice and for how long it was allowed.

const handle = useEmulator();

beforeEach(async () => {
  await handle().control.setFaults({});
  await handle().control.resetStats();
});

afterEach(async () => {
  await handle().control.setFaults({});
});

describe('the write log', () => {
  it('records each write with its key, effect and what /verify would answer right after', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    const id = 'a%2Fb ç';
    const path = `/admin/devices/${encodeURIComponent(id)}`;
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: ` ${id} `, license_type: 'anual' } });
    await request({ method: 'POST', path: `${path}/deactivate`, token, body: { action: 'block' } });
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: id, license_type: 'mensal' } });
    await request({ method: 'POST', path: '/admin/devices/update-created-by', token, body: { device_id: id, created_by: 'revenda' } });
    await request({ method: 'POST', path: `${path}/deactivate`, token, body: { action: 'block' } });
    await request({ method: 'POST', path: `${path}/deactivate`, token, body: { action: 'activate' } });
    await request({ method: 'DELETE', path: `${path}/delete`, token });
    await request({ method: 'DELETE', path: `${path}/delete`, token });
    await request({ method: 'POST', path: '/admin/users/create', token, body: { username: 'revenda', password: 'segredo-1' } });
    await request({ method: 'POST', path: '/admin/users/create', token, body: { username: 'revenda', password: 'segredo-1' } });
    await request({ path: '/admin/devices', token });

    const { writes, dropped } = await control.writes();
    expect(dropped).toBe(0);
    expect(writes.map(({ route, key, status, effect, allowed, answerLost }) => ({ route, key, status, effect, allowed, answerLost }))).toEqual([
      { route: 'POST /admin/devices/create', key: id, status: 201, effect: 'inserted', allowed: true, answerLost: false },
      { route: 'POST /admin/devices/:device_id/deactivate', key: id, status: 200, effect: 'blocked', allowed: false, answerLost: false },
      { route: 'POST /admin/devices/create', key: id, status: 201, effect: 'overwritten', allowed: true, answerLost: false },
      { route: 'POST /admin/devices/update-created-by', key: id, status: 200, effect: 're-owned', allowed: true, answerLost: false },
      { route: 'POST /admin/devices/:device_id/deactivate', key: id, status: 200, effect: 'blocked', allowed: false, answerLost: false },
      { route: 'POST /admin/devices/:device_id/deactivate', key: id, status: 200, effect: 'activated', allowed: true, answerLost: false },
      { route: 'DELETE /admin/devices/:device_id/delete', key: id, status: 200, effect: 'deleted', allowed: null, answerLost: false },
      { route: 'DELETE /admin/devices/:device_id/delete', key: id, status: 404, effect: 'refused', allowed: null, answerLost: false },
      { route: 'POST /admin/users/create', key: 'revenda', status: 201, effect: 'user-created', allowed: null, answerLost: false },
      { route: 'POST /admin/users/create', key: 'revenda', status: 400, effect: 'refused', allowed: null, answerLost: false },
    ]);
    const times = writes.map((write) => write.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(Math.abs((times[0] as number) - Date.now())).toBeLessThan(60_000);
  });

  it('marks writes whose answer an injected fault replaced, and leaves out requests refused before the handler', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    await control.setFaults({ failures: { rate: 1, kinds: ['502'], scope: 'writes', afterHandlerShare: 1 } });
    const lost = await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'lost-answer' } });
    expect(lost.status).toBe(502);
    await control.setFaults({ failures: { rate: 1, kinds: ['502'], scope: 'writes', afterHandlerShare: 0 } });
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'never-handled' } });

    const { writes } = await control.writes();
    expect(writes.map(({ key, effect, answerLost }) => ({ key, effect, answerLost }))).toEqual([{ key: 'lost-answer', effect: 'inserted', answerLost: true }]);
  });

  it('is emptied with the statistics', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'x' } });
    expect((await control.writes()).writes).toHaveLength(1);
    await control.resetStats();
    expect((await control.writes()).writes).toEqual([]);
  });
});
