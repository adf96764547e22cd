import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../support/emulator-fixture.js';
import { findLicense } from '../support/license-api-helpers.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { apiErrorOf, closeClientsAfterEach, makeClient, requestsByRoute, resetEmulator } from './support/client-harness.js';

const handle = useEmulator();
closeClientsAfterEach();

const LICENSES = Array.from({ length: 8 }, (_, n) => allowedLicense(`${String(n).padStart(2, '0')}`.padEnd(32, 'a')));

beforeEach(async () => {
  await resetEmulator(handle(), datasetOf({ licenses: LICENSES }));
});

describe('401 answers', () => {
  it('after a redeploy (new secret): one new login, one retry, success', async () => {
    const { client, secrets, log } = makeClient({ url: handle().url });
    await client.login();
    await handle().control.resetStats();
    await handle().control.rotateSecret();

    expect(await client.listLicenses()).toHaveLength(8);

    expect(await requestsByRoute(handle())).toEqual({ 'GET /admin/devices': 2, 'POST /admin/login': 1 });
    expect(secrets).toHaveLength(2);
    expect(secrets[1]).not.toBe(secrets[0]);
    expect(log.lines.some((line) => line.includes('answered 401; logging in again'))).toBe(true);

    // The new token is kept: the next call needs no login.
    await client.listLicenses();
    expect(await requestsByRoute(handle())).toEqual({ 'GET /admin/devices': 3, 'POST /admin/login': 1 });
  });

  it('tokens revoked under a write: the write is sent again with the new token and done once', async () => {
    const { client } = makeClient({ url: handle().url });
    await client.login();
    await handle().control.resetStats();
    await handle().control.setFaults({ revokeTokens: { afterRequests: 0 } });

    await client.setStatus(LICENSES[0]?.device_id ?? '', 'block');

    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/devices/:device_id/deactivate': 2, 'POST /admin/login': 1 });
    expect((await handle().control.stats()).faults).toEqual({ 'tokens-revoked': 1 });
    expect((await findLicense(handle(), await handle().login(), LICENSES[0]?.device_id ?? ''))?.status).toBe('blocked');
  });

  it('concurrent requests that all hit a revoked token share one new login', async () => {
    const { client } = makeClient({ url: handle().url });
    await client.login();
    await handle().control.resetStats();
    await handle().control.rotateSecret();

    await Promise.all([
      ...Array.from({ length: 6 }, () => client.listLicenses()),
      ...LICENSES.map((license) => client.setStatus(license.device_id, 'block')),
    ]);

    const requests = await requestsByRoute(handle());
    expect(requests['POST /admin/login']).toBe(1);
    // Every request was refused once and sent again once.
    expect(requests['GET /admin/devices']).toBe(12);
    expect(requests['POST /admin/devices/:device_id/deactivate']).toBe(16);
  });

  it('concurrent first calls share the first login', async () => {
    const { client } = makeClient({ url: handle().url });

    await Promise.all(Array.from({ length: 8 }, () => client.listLicenses()));

    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/login': 1, 'GET /admin/devices': 8 });
  });
});

describe('wrong credentials', () => {
  it('login with a wrong password fails at once: kind unauthorized, one request', async () => {
    const { client, secrets } = makeClient({ url: handle().url, password: 'not-the-password', retry: { attempts: 5 } });

    const error = await apiErrorOf(client.login());

    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, attempts: 1, endpoint: 'POST /admin/login', key: 'admin', server: 'backup' });
    expect(error.transient).toBe(false);
    expect(error.reason).toBe('HTTP 401: Usuário ou senha inválidos.');
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/login': 1 });
    expect(secrets).toEqual([]);
    expect(client.session).toBeNull();
  });

  it('an authenticated call with a wrong password stops at the login, without sending the call', async () => {
    const { client } = makeClient({ url: handle().url, password: 'not-the-password', retry: { attempts: 5 } });

    const error = await apiErrorOf(client.listLicenses());

    expect(error).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/login': 1 });
  });

  it('empty credentials are a 400: rejected at once', async () => {
    const { client } = makeClient({ url: handle().url, username: '', password: '', retry: { attempts: 5 } });

    const error = await apiErrorOf(client.login());

    expect(error).toMatchObject({ kind: 'rejected', status: 400, attempts: 1 });
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/login': 1 });
  });
});
