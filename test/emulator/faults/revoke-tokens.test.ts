import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import type { RawResponse } from '../../support/raw-http.js';
import { expectJson } from '../../support/response-assertions.js';


const handle = useEmulator();

beforeEach(async () => {
  await handle().control.resetStats();
});

afterEach(async () => {
  await handle().control.setFaults({});
});

function expectUnauthorized(res: RawResponse): void {
  expect(res.status).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.json).toEqual({ error: 'Unauthorized' });
}

const listDevices = (token: string) => handle().request({ path: '/admin/devices', token });

describe('revokeTokens fault', () => {
  it('refuses a token that was valid once afterRequests more requests have passed; a fresh login works', async () => {
    const { control } = handle();
    const token = await handle().login();
    expectJson(await listDevices(token), 200);

    await control.setFaults({ revokeTokens: { afterRequests: 3 } });
    for (let i = 0; i < 3; i++) expectJson(await listDevices(token), 200);
    expectUnauthorized(await listDevices(token));
    expectUnauthorized(await listDevices(token));

    const fresh = await handle().login();
    expect(fresh).not.toBe(token);
    expectJson(await listDevices(fresh), 200);
    expectUnauthorized(await listDevices(token));
  });

  it('counts every API request towards afterRequests, whatever its route', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    await control.setFaults({ revokeTokens: { afterRequests: 2 } });

    expectJson(await request({ path: '/health' }), 200);
    expectJson(await request({ path: '/ping' }), 200);
    expectUnauthorized(await listDevices(token));
  });

  it('afterRequests 0 revokes at the very next request', async () => {
    const { control } = handle();
    const token = await handle().login();
    await control.setFaults({ revokeTokens: { afterRequests: 0 } });
    expectUnauthorized(await listDevices(token));
  });

  it('revokes only once: tokens issued after the revocation stay valid', async () => {
    const { control } = handle();
    await control.setFaults({ revokeTokens: { afterRequests: 0 } });
    const token = await handle().login();
    for (let i = 0; i < 5; i++) expectJson(await listDevices(token), 200);
    expect((await control.stats()).faults['tokens-revoked']).toBe(1);
  });

  it('does not revoke before afterRequests requests have passed, nor on control requests', async () => {
    const { control } = handle();
    const token = await handle().login();
    await control.setFaults({ revokeTokens: { afterRequests: 2 } });
    for (let i = 0; i < 5; i++) await control.stats();
    expectJson(await listDevices(token), 200);
    expectJson(await listDevices(token), 200);
    expect((await control.stats()).faults['tokens-revoked']).toBeUndefined();
  });

  it('control.rotateSecret() revokes every token at once', async () => {
    const { control } = handle();
    const admin = await handle().login();
    expectJson(await listDevices(admin), 200);

    expect(await control.rotateSecret()).toEqual({ rotated: true });
    expectUnauthorized(await listDevices(admin));

    const fresh = await handle().login();
    expectJson(await listDevices(fresh), 200);
  });
});
