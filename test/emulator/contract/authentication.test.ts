import { describe, expect, it } from 'vitest';
import { openEmulator, useEmulator, type EmulatorHandle } from '../../support/emulator-fixture.js';
import {
  createUserOk,
  datasetUser,
  findLicense,
  freshDataset,
  licensePath,
  listLicenses,
  uniqueName,
  upsertOk,
} from '../../support/license-api-helpers.js';
import { hashPassword } from '../../../src/emulator/password-hash.js';
import { expectJsonError } from '../../support/response-assertions.js';

// Contract, "Authentication": POST /admin/login, the two account tables, bearer
// tokens on every other /admin/* call, and secret rotation.

const CREDENTIALS_REQUIRED = 'Credenciais obrigatórias.';
const BAD_CREDENTIALS = 'Usuário ou senha inválidos.';

function login(h: EmulatorHandle, body: unknown) {
  return h.request({ method: 'POST', path: '/admin/login', ...(body === undefined ? {} : { body }) });
}

/** Every /admin/* call other than login, with a body that would be valid. */
const PROTECTED_CALLS: readonly { name: string; method: string; path: string; body?: Record<string, unknown> }[] = [
  { name: 'GET /admin/users', method: 'GET', path: '/admin/users' },
  { name: 'POST /admin/users/create', method: 'POST', path: '/admin/users/create', body: { username: 'nobody-1', password: 'secret1' } },
  { name: 'GET /admin/devices', method: 'GET', path: '/admin/devices' },
  { name: 'POST /admin/devices/create', method: 'POST', path: '/admin/devices/create', body: { device_id: 'auth-probe-created' } },
  { name: 'POST /admin/devices/<id>/deactivate', method: 'POST', path: licensePath('auth-probe', 'deactivate'), body: { action: 'block' } },
  {
    name: 'POST /admin/devices/update-created-by',
    method: 'POST',
    path: '/admin/devices/update-created-by',
    body: { device_id: 'auth-probe', created_by: 'someone' },
  },
  { name: 'DELETE /admin/devices/<id>/delete', method: 'DELETE', path: licensePath('auth-probe', 'delete') },
];

describe('POST /admin/login', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  it('a fresh server has the administrator admin / admin123, who must change the password', async () => {
    const res = await login(handle(), { username: 'admin', password: 'admin123' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['must_change_password', 'role', 'token']);
    expect(body.must_change_password).toBe(true);
    expect(body.role).toBe('admin');
    expect(typeof body.token).toBe('string');
    expect(body.token).not.toBe('');
  });

  it.each([
    ['no body at all', undefined],
    ['an empty object', {}],
    ['both fields empty', { username: '', password: '' }],
    ['both fields blank (trimmed to empty)', { username: '   ', password: ' \t ' }],
    ['both fields null', { username: null, password: null }],
  ])('400 "Credenciais obrigatórias." with %s', async (_case, body) => {
    expectJsonError(await login(handle(), body), 400, CREDENTIALS_REQUIRED);
  });

  it.each([
    ['a wrong password', { username: 'admin', password: 'admin124' }],
    ['an unknown user', { username: 'ghost', password: 'admin123' }],
    ['the password in the wrong case', { username: 'admin', password: 'ADMIN123' }],
  ])('401 "Usuário ou senha inválidos." with %s', async (_case, body) => {
    expectJsonError(await login(handle(), body), 401, BAD_CREDENTIALS);
  });

  it('trims the credentials it is given', async () => {
    const res = await login(handle(), { username: '  admin ', password: ' admin123\t' });
    expect(res.status).toBe(200);
    expect((res.json as { role: unknown }).role).toBe('admin');
  });

  it('resellers (users table) log in with the role stored on their row', async () => {
    const h = handle();
    const admin = await h.login();
    const plain = uniqueName('reseller');
    const boss = uniqueName('reseller-admin');
    await createUserOk(h, admin, { username: plain, password: 'secret-1', role: 'user' });
    await createUserOk(h, admin, { username: boss, password: 'secret-2', role: 'admin' });

    const asPlain = await login(h, { username: plain, password: 'secret-1' });
    expect(asPlain.status).toBe(200);
    expect(asPlain.json).toMatchObject({ role: 'user' });
    expect(typeof (asPlain.json as { must_change_password: unknown }).must_change_password).toBe('boolean');
    expect(typeof (asPlain.json as { token: unknown }).token).toBe('string');

    const asBoss = await login(h, { username: boss, password: 'secret-2' });
    expect(asBoss.status).toBe(200);
    expect(asBoss.json).toMatchObject({ role: 'admin' });
  });

  it('a reseller with the wrong password gets 401', async () => {
    const h = handle();
    const name = uniqueName('reseller');
    await createUserOk(h, await h.login(), { username: name, password: 'right-password' });
    expectJsonError(await login(h, { username: name, password: 'wrong-password' }), 401, BAD_CREDENTIALS);
  });
});

describe('the two account tables', () => {
  it('panel administrators always get role admin and their own must_change_password flag', async () => {
    const dataset = freshDataset();
    dataset.admin_users.push({ username: 'panel2', password_hash: hashPassword('panel-pass'), must_change_password: false });
    dataset.users.push(datasetUser({ id: 1, username: 'rsl', password: 'rsl-pass', role: 'user' }));
    const h = await openEmulator({ dataset });
    try {
      const panel = await login(h, { username: 'panel2', password: 'panel-pass' });
      expect(panel.status).toBe(200);
      expect(panel.json).toMatchObject({ role: 'admin', must_change_password: false });
      const seeded = await login(h, { username: 'admin', password: 'admin123' });
      expect(seeded.json).toMatchObject({ role: 'admin', must_change_password: true });
      const reseller = await login(h, { username: 'rsl', password: 'rsl-pass' });
      expect(reseller.json).toMatchObject({ role: 'user' });
    } finally {
      await h.emulator.close();
    }
  });
});

describe('bearer tokens', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  it.each(PROTECTED_CALLS)('$name without Authorization: 401 {"error":"Unauthorized"}', async (call) => {
    const res = await handle().request({ method: call.method, path: call.path, ...(call.body ? { body: call.body } : {}) });
    expectJsonError(res, 401, 'Unauthorized');
    expect(res.json).toEqual({ error: 'Unauthorized' });
  });

  it.each(PROTECTED_CALLS)('$name with a token the server cannot verify: 401 {"error":"Unauthorized"}', async (call) => {
    const h = handle();
    const good = await h.login();
    const middle = Math.floor(good.length / 2);
    const tampered = `${good.slice(0, middle)}${good[middle] === 'A' ? 'B' : 'A'}${good.slice(middle + 1)}`;
    const badHeaders = [
      'Bearer not-a-token',
      `Bearer ${good}x`,
      `Bearer ${tampered}`,
      'Bearer ',
      `Token ${good}`,
      good,
    ];
    for (const authorization of badHeaders) {
      const res = await h.request({
        method: call.method,
        path: call.path,
        headers: { authorization },
        ...(call.body ? { body: call.body } : {}),
      });
      expect(res.json, `Authorization: ${authorization}`).toEqual({ error: 'Unauthorized' });
      expect(res.status, `Authorization: ${authorization}`).toBe(401);
    }
  });

  it('an unauthorized write changes nothing', async () => {
    const h = handle();
    const deviceId = uniqueName('never-written');
    const res = await h.request({ method: 'POST', path: '/admin/devices/create', body: { device_id: deviceId } });
    expect(res.status).toBe(401);
    expect(await findLicense(h, await h.login(), deviceId)).toBeUndefined();
  });

  it('a valid token is accepted on the protected calls', async () => {
    const h = handle();
    const token = await h.login();
    expect((await h.request({ path: '/admin/devices', token })).status).toBe(200);
    expect((await h.request({ path: '/admin/users', token })).status).toBe(200);
  });

  it('tokens never expire: one issued years ago still works', async () => {
    const h = handle();
    await h.control.setClock({ now: '2025-01-31T12:00:00Z' });
    const token = await h.login();
    await h.control.setClock({ now: '2045-12-31T23:59:59Z' });
    try {
      expect((await h.request({ path: '/admin/devices', token })).status).toBe(200);
    } finally {
      await h.control.setClock({ now: '2025-01-31T12:00:00Z' });
    }
  });
});

describe('signing secret rotation', () => {
  it('invalidates every issued token at once; logging in again gives a working token', async () => {
    const h = await openEmulator({ now: new Date('2025-01-31T12:00:00Z') });
    try {
      const admin = await h.login();
      await createUserOk(h, admin, { username: 'rot-user', password: 'secret-1', role: 'user' });
      await createUserOk(h, admin, { username: 'rot-boss', password: 'secret-2', role: 'admin' });
      const user = await h.login('rot-user', 'secret-1');
      const boss = await h.login('rot-boss', 'secret-2');
      await upsertOk(h, admin, { device_id: 'before-rotation' });

      await h.control.rotateSecret();

      for (const token of [admin, user, boss]) {
        expectJsonError(await h.request({ path: '/admin/devices', token }), 401, 'Unauthorized');
        expectJsonError(
          await h.request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'after-rotation' } }),
          401,
          'Unauthorized',
        );
      }
      const fresh = await h.login();
      const licenses = await listLicenses(h, fresh);
      expect(licenses.map((license) => license.device_id)).toEqual(['before-rotation']);
      expect((await h.request({ path: '/admin/devices', token: await h.login('rot-user', 'secret-1') })).status).toBe(200);
    } finally {
      await h.emulator.close();
    }
  });
});
