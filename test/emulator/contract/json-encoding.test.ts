import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  createUserOk,
  deactivate,
  deleteLicense,
  findLicense,
  freshDataset,
  licensePath,
  updateCreatedBy,
  upsert,
  upsertOk,
} from '../../support/license-api-helpers.js';
import type { RawResponse } from '../../support/raw-http.js';
import { expectHtmlPage, expectJsonError } from '../../support/response-assertions.js';

// Contract, preamble: "All bodies are JSON (Content-Type: application/json).
// Non-ASCII text comes back \u-escaped. Error bodies are {"error": "<message in
// Portuguese>"}." Plus what a Flask server answers outside its routes: HTML.

/** Every character of the raw body is printable ASCII (or the trailing newline). */
function expectAsciiOnly(res: RawResponse): void {
  expect(res.text).toMatch(/^[\x20-\x7e\n]*$/);
}

describe('JSON bodies', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  beforeEach(async () => {
    await handle().control.loadState(freshDataset());
  });

  it('non-ASCII in a license comes back \\u-escaped in the raw listing, and decodes to the stored text', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, {
      device_id: 'acentos',
      owner_name: 'José Ângelo Conceição',
      address: 'Praça da Sé, 1, São Paulo',
      created_by: 'revenda-ção',
    });
    const res = await h.request({ path: '/admin/devices', token });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectAsciiOnly(res);
    expect(res.text).toContain('Jos\\u00e9 \\u00c2ngelo Concei\\u00e7\\u00e3o');
    expect(res.text).toContain('Pra\\u00e7a da S\\u00e9');
    expect(res.text).not.toContain('é');
    expect(res.text).not.toContain('ç');
    expect(await findLicense(h, token, 'acentos')).toMatchObject({
      owner_name: 'José Ângelo Conceição',
      address: 'Praça da Sé, 1, São Paulo',
      created_by: 'revenda-ção',
    });
  });

  it('characters outside the BMP come back as escaped surrogate pairs', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'emoji', owner_name: 'Loja 😀 日本' });
    const res = await h.request({ path: '/admin/devices', token });
    expectAsciiOnly(res);
    expect(res.text.toLowerCase()).toContain('\\ud83d\\ude00');
    expect(res.text.toLowerCase()).toContain('\\u65e5\\u672c');
    expect((await findLicense(h, token, 'emoji'))?.owner_name).toBe('Loja 😀 日本');
  });

  it('Portuguese error messages come back \\u-escaped', async () => {
    const h = handle();
    const missing = await h.request({ method: 'POST', path: '/admin/login', body: {} });
    expectJsonError(missing, 400, 'Credenciais obrigatórias.');
    expectAsciiOnly(missing);
    expect(missing.text).toContain('obrigat\\u00f3rias');
    expect(missing.text).not.toContain('ó');

    const wrong = await h.request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'nope' } });
    expectJsonError(wrong, 401, 'Usuário ou senha inválidos.');
    expectAsciiOnly(wrong);
    expect(wrong.text).toContain('Usu\\u00e1rio ou senha inv\\u00e1lidos.');
  });

  it('non-ASCII device_ids and usernames in answers come back \\u-escaped', async () => {
    const h = handle();
    const token = await h.login();
    const created = await upsert(h, token, { device_id: 'máquina-é' });
    expect(created.status).toBe(201);
    expectAsciiOnly(created);
    expect(created.text).toContain('m\\u00e1quina-\\u00e9');
    expect(created.json).toMatchObject({ device_id: 'máquina-é' });

    const blocked = await deactivate(h, token, 'máquina-é', { action: 'block' });
    expectAsciiOnly(blocked);
    expect(blocked.json).toMatchObject({ device_id: 'máquina-é', status: 'blocked' });

    const user = await h.request({ method: 'POST', path: '/admin/users/create', token, body: { username: 'joão', password: 'secret-pass', email: 'joão@example.com' } });
    expect(user.status).toBe(201);
    expectAsciiOnly(user);
    expect(user.text).toContain('jo\\u00e3o');
    const users = await h.request({ path: '/admin/users', token });
    expectAsciiOnly(users);
    expect(users.text).toContain('jo\\u00e3o@example.com');

    const owner = await updateCreatedBy(h, token, { device_id: 'máquina-é', created_by: 'joão' });
    expectAsciiOnly(owner);
    expect(owner.json).toMatchObject({ device_id: 'máquina-é', created_by: 'joão' });
  });

  it('every API answer is Content-Type application/json', async () => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'ct' });
    await createUserOk(h, token, { username: 'ct-user', password: 'secret-pass' });
    const answers: RawResponse[] = [
      await h.request({ path: '/health' }),
      await h.request({ path: '/ping' }),
      await h.request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }),
      await h.request({ path: '/admin/devices', token }),
      await h.request({ path: '/admin/users', token }),
      await upsert(h, token, { device_id: 'ct-2' }),
      await deactivate(h, token, 'ct', { action: 'toggle' }),
      await updateCreatedBy(h, token, { device_id: 'ct', created_by: 'x' }),
      await deleteLicense(h, token, 'ct-2'),
      await h.request({ path: '/verify?id=ct&version=1&ts=20250131120000' }),
      await h.request({ path: '/verify?id=unknown&version=1&ts=20250131120000' }),
    ];
    for (const res of answers) {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json).toBeDefined();
    }
  });

  it('every error answer is exactly {"error": "<message>"}, JSON', async () => {
    const h = handle();
    const token = await h.login();
    await createUserOk(h, token, { username: 'err-user', password: 'secret-pass' });
    const userToken = await h.login('err-user', 'secret-pass');
    await upsertOk(h, token, { device_id: 'err' });
    const errors: [RawResponse, number][] = [
      [await h.request({ method: 'POST', path: '/admin/login', body: {} }), 400],
      [await h.request({ method: 'POST', path: '/admin/login', body: { username: 'x', password: 'y' } }), 401],
      [await h.request({ path: '/admin/devices' }), 401],
      [await h.request({ method: 'POST', path: '/admin/users/create', token, body: { username: 'z' } }), 400],
      [await h.request({ method: 'POST', path: '/admin/users/create', token, body: { username: 'err-user', password: 'secret-pass' } }), 400],
      [await upsert(h, token, {}), 400],
      [await upsert(h, token, { device_id: 'x', license_type: 'semanal' }), 400],
      [await deactivate(h, token, 'missing', { action: 'block' }), 404],
      [await updateCreatedBy(h, token, {}), 400],
      [await updateCreatedBy(h, token, { device_id: 'missing', created_by: 'x' }), 404],
      [await deleteLicense(h, token, 'missing'), 404],
      [await deleteLicense(h, userToken, 'err'), 403],
    ];
    for (const [res, status] of errors) {
      expectJsonError(res, status);
      expectAsciiOnly(res);
    }
  });
});

describe('outside the routes: HTML, not JSON', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  it.each([
    ['GET', '/'],
    ['GET', '/admin'],
    ['GET', '/admin/device'],
    ['GET', '/admin/devices/'],
    ['POST', '/admin/devices/create/extra'],
    ['GET', '/admin/devices/x/unknown-action'],
    ['GET', '/healthz'],
  ])('%s %s (an unknown route) is a 404 HTML page', async (method, path) => {
    const h = handle();
    expectHtmlPage(await h.request({ method, path, token: await h.login() }), 404);
  });

  it.each([
    ['POST', '/health'],
    ['DELETE', '/ping'],
    ['GET', '/admin/login'],
    ['POST', '/admin/devices'],
    ['GET', '/admin/devices/create'],
    ['GET', '/admin/users/create'],
    ['GET', licensePath('abc', 'deactivate')],
    ['POST', licensePath('abc', 'delete')],
    ['GET', '/admin/devices/update-created-by'],
    ['POST', '/verify'],
  ])('%s %s (a known route, the wrong method) is a 405 HTML page', async (method, path) => {
    const h = handle();
    expectHtmlPage(await h.request({ method, path, token: await h.login() }), 405);
  });

  it.each([
    ['POST /admin/login, username a number', '/admin/login', { username: 42, password: 'admin123' }],
    ['POST /admin/login, password a boolean', '/admin/login', { username: 'admin', password: true }],
    ['POST /admin/devices/create, owner_name a number', '/admin/devices/create', { device_id: 'typed-1', owner_name: 42 }],
    ['POST /admin/devices/create, device_id a number', '/admin/devices/create', { device_id: 12345 }],
    ['POST /admin/devices/create, email an object', '/admin/devices/create', { device_id: 'typed-2', email: { address: 'a@b.c' } }],
    ['POST /admin/devices/create, license_type a list', '/admin/devices/create', { device_id: 'typed-3', license_type: ['anual'] }],
    ['POST /admin/users/create, password a number', '/admin/users/create', { username: 'typed-user', password: 123456 }],
    ['POST /admin/devices/update-created-by, created_by a boolean', '/admin/devices/update-created-by', { device_id: 'x', created_by: true }],
    ['POST /admin/devices/<id>/deactivate, action a number', licensePath('typed-x', 'deactivate'), { action: 1 }],
  ])('a wrongly typed field is a 500 HTML page (%s)', async (_case, path, body) => {
    const h = handle();
    const token = await h.login();
    await upsertOk(h, token, { device_id: 'typed-x' });
    expectHtmlPage(await h.request({ method: 'POST', path, token, body }), 500);
  });

  it('Python-falsy values of any type (false, 0, [], {}) read as empty, as `(value or "").strip()` does', async () => {
    const h = handle();
    const token = await h.login();
    const body = { device_id: 'falsy-1', owner_name: [], cpf: {}, email: false, address: 0 };
    expect((await h.request({ method: 'POST', path: '/admin/devices/create', token, body })).status).toBe(201);
    const listing = (await h.request({ path: '/admin/devices', token })).json as { items: Record<string, unknown>[] };
    expect(listing.items.find((item) => item.device_id === 'falsy-1')).toMatchObject({ owner_name: null, cpf: null, email: null, address: null });
  });
});
