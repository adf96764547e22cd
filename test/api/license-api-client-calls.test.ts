import { beforeEach, describe, expect, it } from 'vitest';
import type { UpsertBody } from '../../src/domain/upsert-body.js';
import { useEmulator } from '../support/emulator-fixture.js';
import { findLicense, getLicense, listUsers as rawListUsers } from '../support/license-api-helpers.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { apiErrorOf, closeClientsAfterEach, makeClient, requestsByRoute, resetEmulator } from './support/client-harness.js';

const handle = useEmulator();
closeClientsAfterEach();

beforeEach(async () => {
  await resetEmulator(handle());
});

function upsertBody(deviceId: string, overrides: Partial<UpsertBody> = {}): UpsertBody {
  return {
    device_id: deviceId,
    license_type: 'anual',
    owner_name: 'José da Conceição',
    cpf: '52998224725',
    email: null,
    address: 'Rua das Flores, 12, Centro, Recife',
    created_by: 'admin',
    ...overrides,
  };
}

describe('LicenseApiClient happy paths against the emulator', () => {
  it('logs in: returns the answer, reports the token as a secret, exposes the session without the token', async () => {
    const { client, secrets } = makeClient({ url: handle().url });
    expect(client.session).toBeNull();

    const answer = await client.login();

    expect(answer.role).toBe('admin');
    expect(answer.must_change_password).toBe(true);
    expect(secrets).toEqual([answer.token]);
    expect(await handle().control.issuedTokens()).toContain(answer.token);
    expect(client.session).toEqual({ role: 'admin', mustChangePassword: true });
    expect(JSON.stringify(client.session)).not.toContain(answer.token);
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/login': 1 });
    expect(client.requestCount).toBe(1);
  });

  it('logs in lazily, once, before the first authenticated call', async () => {
    const { client } = makeClient({ url: handle().url });
    await client.listLicenses();
    await client.listUsers();
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/login': 1, 'GET /admin/devices': 1, 'GET /admin/users': 1 });
    expect(client.requestCount).toBe(3);
  });

  it('lists users and licenses as the server holds them', async () => {
    await resetEmulator(
      handle(),
      datasetOf({
        users: [
          { username: 'revenda1', password: 'revenda1-senha', role: 'user', email: 'r1@example.com' },
          { username: 'revenda2', password: 'revenda2-senha', role: 'admin' },
        ],
        licenses: [allowedLicense('a'.repeat(32)), allowedLicense('b'.repeat(32), { status: 'blocked', created_by: 'revenda1' })],
      }),
    );
    const { client } = makeClient({ url: handle().url });

    const users = (await client.listUsers()) as { username: string; email: string | null; role: string }[];
    const licenses = (await client.listLicenses()) as { device_id: string; status: string; created_by: string | null }[];

    expect(users.map((user) => [user.username, user.email, user.role]).sort()).toEqual([
      ['revenda1', 'r1@example.com', 'user'],
      ['revenda2', null, 'admin'],
    ]);
    expect(licenses.map((license) => [license.device_id, license.status, license.created_by]).sort()).toEqual([
      ['a'.repeat(32), 'active', 'admin'],
      ['b'.repeat(32), 'blocked', 'revenda1'],
    ]);
  });

  it('creates a user; a null email is left out and stored as null', async () => {
    const { client } = makeClient({ url: handle().url });
    await client.createUser({ username: 'nova-revenda', password: 'uma-senha-longa', email: null, role: 'user' });
    await client.createUser({ username: 'outra-revenda', password: 'outra-senha-longa', email: 'outra@example.com', role: 'admin' });

    const token = await handle().login();
    const listed = await rawListUsers(handle(), token);
    expect(listed.map((user) => [user.username, user.email, user.role]).sort()).toEqual([
      ['nova-revenda', null, 'user'],
      ['outra-revenda', 'outra@example.com', 'admin'],
    ]);
    // The password given is the one the server stored.
    await expect(handle().login('nova-revenda', 'uma-senha-longa')).resolves.toEqual(expect.any(String));
    expect((await requestsByRoute(handle()))['POST /admin/users/create']).toBe(2);
  });

  it('upserts a license with the given fields; null fields are left out (stored as null)', async () => {
    const { client } = makeClient({ url: handle().url });
    const deviceId = '0123456789abcdef0123456789abcdef';
    await client.upsertLicense(upsertBody(deviceId, { license_type: 'vitalicia', created_by: 'revenda7', cpf: null }));

    const license = await getLicense(handle(), await handle().login(), deviceId);
    expect(license).toMatchObject({
      device_id: deviceId,
      license_type: 'vitalicia',
      owner_name: 'José da Conceição',
      cpf: null,
      email: null,
      address: 'Rua das Flores, 12, Centro, Recife',
      created_by: 'revenda7',
      status: 'active',
      end_date: null,
    });
    expect((await requestsByRoute(handle()))['POST /admin/devices/create']).toBe(1);
  });

  it('blocks and activates a license, percent-encoding a device_id with reserved characters', async () => {
    const deviceId = 'odd id\\with?#%&+ %2F chars';
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense(deviceId), allowedLicense('c'.repeat(32))] }));
    const { client } = makeClient({ url: handle().url });
    const token = await handle().login();

    await client.setStatus(deviceId, 'block');
    expect((await getLicense(handle(), token, deviceId)).status).toBe('blocked');
    await client.setStatus(deviceId, 'block');
    expect((await getLicense(handle(), token, deviceId)).status).toBe('blocked');
    await client.setStatus(deviceId, 'activate');
    expect((await getLicense(handle(), token, deviceId)).status).toBe('active');
    expect((await getLicense(handle(), token, 'c'.repeat(32))).status).toBe('active');
    expect((await requestsByRoute(handle()))['POST /admin/devices/:device_id/deactivate']).toBe(3);
  });

  it('changes the owner of a license', async () => {
    const deviceId = 'd'.repeat(32);
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense(deviceId, { created_by: 'admin' })] }));
    const { client } = makeClient({ url: handle().url });

    await client.updateCreatedBy(deviceId, 'revenda3');

    expect((await getLicense(handle(), await handle().login(), deviceId)).created_by).toBe('revenda3');
  });

  it('deletes a license', async () => {
    const deviceId = 'e'.repeat(32);
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense(deviceId), allowedLicense('f'.repeat(32))] }));
    const { client } = makeClient({ url: handle().url });

    await client.deleteLicense(deviceId);

    const token = await handle().login();
    expect(await findLicense(handle(), token, deviceId)).toBeUndefined();
    expect(await findLicense(handle(), token, 'f'.repeat(32))).toBeDefined();
    expect((await requestsByRoute(handle()))['DELETE /admin/devices/:device_id/delete']).toBe(1);
  });

  it('names the server it was given in its errors', async () => {
    const { client } = makeClient({ url: handle().url, name: 'primary' });
    const error = await apiErrorOf(client.deleteLicense('no-such-license'));
    expect(error.server).toBe('primary');
    expect(error.message).toMatch(/^primary DELETE \/admin\/devices\/:device_id\/delete \[no-such-license\]: /);
    expect(client.server).toBe('primary');
  });
});
