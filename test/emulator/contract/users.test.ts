import { describe, expect, it } from 'vitest';
import { openEmulator, useEmulator } from '../../support/emulator-fixture.js';
import {
  USER_FIELDS,
  createUser,
  createUserOk,
  datasetUser,
  freshDataset,
  listUsers,
  uniqueName,
} from '../../support/license-api-helpers.js';
import { expectJsonError } from '../../support/response-assertions.js';

// Contract, "Users (resellers)": GET /admin/users and POST /admin/users/create.

const SQL_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('GET /admin/users', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  it('a fresh server lists no users: panel administrators are not listed', async () => {
    const h = await openEmulator();
    try {
      const res = await h.request({ path: '/admin/users', token: await h.login() });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json).toEqual({ items: [] });
    } finally {
      await h.emulator.close();
    }
  });

  it('lists every reseller with exactly id, username, email, role and created_at, never the administrators', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('fields');
    await createUserOk(h, token, { username: name, password: 'secret-pass', email: 'fields@example.com', role: 'admin' });
    const res = await h.request({ path: '/admin/users', token });
    const items = (res.json as { items: Record<string, unknown>[] }).items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(Object.keys(item).sort()).toEqual([...USER_FIELDS].sort());
    const mine = items.find((item) => item.username === name);
    expect(mine).toMatchObject({ username: name, email: 'fields@example.com', role: 'admin' });
    expect(typeof mine?.id).toBe('number');
    expect(Number.isInteger(mine?.id)).toBe(true);
    expect(items.some((item) => item.username === 'admin')).toBe(false);
    expect(res.text).not.toContain('secret-pass');
    expect(res.text).not.toMatch(/password|hash/i);
  });

  it('lists the newest first', async () => {
    const h = handle();
    const token = await h.login();
    const names = [uniqueName('first'), uniqueName('second'), uniqueName('third')];
    for (const [i, name] of names.entries()) {
      await h.control.setClock({ now: `2025-02-0${i + 1}T10:00:00Z` });
      await createUserOk(h, token, { username: name, password: 'secret-pass' });
    }
    const listed = (await listUsers(h, token)).map((user) => user.username);
    expect(listed.slice(0, 3)).toEqual([...names].reverse());
    const ids = (await listUsers(h, token)).map((user) => user.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('created_at is "YYYY-MM-DD HH:MM:SS" in UTC, the moment of creation', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('stamped');
    await h.control.setClock({ now: '2025-03-10T21:15:42-03:00' });
    await createUserOk(h, token, { username: name, password: 'secret-pass' });
    const user = (await listUsers(h, token)).find((item) => item.username === name);
    expect(user?.created_at).toMatch(SQL_TIMESTAMP);
    expect(user?.created_at).toBe('2025-03-11 00:15:42');
  });

  it.each([
    ['omitted', {}],
    ['null', { email: null }],
    ['empty', { email: '' }],
    ['blank', { email: '   ' }],
  ])('email is null when it was %s', async (_case, email) => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('no-email');
    await createUserOk(h, token, { username: name, password: 'secret-pass', ...email });
    const user = (await listUsers(h, token)).find((item) => item.username === name);
    expect(user).toBeDefined();
    expect(user?.email).toBeNull();
  });

  it('stores the email trimmed', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('trimmed-email');
    await createUserOk(h, token, { username: name, password: 'secret-pass', email: '  r@example.com \n' });
    expect((await listUsers(h, token)).find((item) => item.username === name)?.email).toBe('r@example.com');
  });

  it('has no pagination and no filtering: all rows come back in one answer', async () => {
    const dataset = freshDataset();
    for (let id = 1; id <= 250; id++) {
      dataset.users.push({ ...datasetUser({ id, username: `bulk-${id}`, password: 'secret-pass', role: id % 2 ? 'user' : 'admin' }) });
    }
    const h = await openEmulator({ dataset });
    try {
      const users = await listUsers(h, await h.login());
      expect(users).toHaveLength(250);
      expect(users[0]?.username).toBe('bulk-250');
      expect(users[249]?.username).toBe('bulk-1');
    } finally {
      await h.emulator.close();
    }
  });
});

describe('POST /admin/users/create', () => {
  const handle = useEmulator({ now: new Date('2025-01-31T12:00:00Z') });

  it('201 {"ok": true, "user_id", "username", "role"}; the user_id is the listed id', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('created');
    const res = await createUser(h, token, { username: name, password: 'secret-pass', email: 'c@example.com', role: 'admin' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['ok', 'role', 'user_id', 'username']);
    expect(body).toMatchObject({ ok: true, username: name, role: 'admin' });
    expect(Number.isInteger(body.user_id)).toBe(true);
    const listed = (await listUsers(h, token)).find((user) => user.username === name);
    expect(listed?.id).toBe(body.user_id);
  });

  it('the role defaults to user', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('default-role');
    const res = await createUser(h, token, { username: name, password: 'secret-pass' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ role: 'user' });
    expect((await listUsers(h, token)).find((user) => user.username === name)?.role).toBe('user');
  });

  it('trims the username', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('padded');
    const res = await createUser(h, token, { username: `  ${name}  `, password: 'secret-pass' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ username: name });
    expect((await listUsers(h, token)).some((user) => user.username === name)).toBe(true);
  });

  it('accepts a password of exactly 6 characters', async () => {
    const h = handle();
    const name = uniqueName('six');
    expect((await createUser(h, await h.login(), { username: name, password: 'abcdef' })).status).toBe(201);
    expect(await h.login(name, 'abcdef')).toEqual(expect.any(String));
  });

  it.each([
    ['username is missing', { password: 'secret-pass' }],
    ['username is empty', { username: '', password: 'secret-pass' }],
    ['username is blank', { username: '   ', password: 'secret-pass' }],
    ['password is missing', { username: 'u-missing-password' }],
    ['password is empty', { username: 'u-empty-password', password: '' }],
    ['password is shorter than 6 characters', { username: 'u-short', password: 'abcde' }],
    ['password is shorter than 6 characters once trimmed', { username: 'u-short-trimmed', password: '  abcde  ' }],
    ['role is neither admin nor user', { username: 'u-bad-role', password: 'secret-pass', role: 'superuser' }],
    ['role is a differently cased admin', { username: 'u-cased-role', password: 'secret-pass', role: 'Admin' }],
  ])('400 when %s, and nothing is created', async (_case, body) => {
    const h = handle();
    const token = await h.login();
    const before = await listUsers(h, token);
    expectJsonError(await createUser(h, token, body), 400);
    expect(await listUsers(h, token)).toEqual(before);
  });

  it('400 "Usuário já existe." (not 409) when the username is an existing reseller', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('taken');
    await createUserOk(h, token, { username: name, password: 'secret-pass', email: 'first@example.com', role: 'user' });
    const before = await listUsers(h, token);
    const res = await createUser(h, token, { username: name, password: 'other-pass', email: 'second@example.com', role: 'admin' });
    expectJsonError(res, 400, 'Usuário já existe.');
    expect(await listUsers(h, token)).toEqual(before);
    // The first account is untouched: same password, same role.
    const again = await h.request({ method: 'POST', path: '/admin/login', body: { username: name, password: 'secret-pass' } });
    expect(again.json).toMatchObject({ role: 'user' });
  });

  it('400 "Usuário já existe." when the username, once trimmed, is an existing reseller', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('taken-trimmed');
    await createUserOk(h, token, { username: name, password: 'secret-pass' });
    expectJsonError(await createUser(h, token, { username: ` ${name} `, password: 'secret-pass' }), 400, 'Usuário já existe.');
  });

  it('400 "Usuário já existe." (not 409) when the username is a panel administrator', async () => {
    const h = handle();
    const token = await h.login();
    const before = await listUsers(h, token);
    expectJsonError(await createUser(h, token, { username: 'admin', password: 'secret-pass' }), 400, 'Usuário já existe.');
    expect(await listUsers(h, token)).toEqual(before);
    // The administrator keeps its password.
    expect(await h.login('admin', 'admin123')).toEqual(expect.any(String));
  });

  it('no call updates or deletes a user once created', async () => {
    const h = handle();
    const token = await h.login();
    const name = uniqueName('immutable');
    const created = await createUser(h, token, { username: name, password: 'secret-pass', email: 'keep@example.com', role: 'user' });
    const id = (created.json as { user_id: number }).user_id;
    const before = (await listUsers(h, token)).find((user) => user.username === name);
    const change = { username: name, password: 'changed-pass', email: 'changed@example.com', role: 'admin' };
    const attempts = [
      { method: 'PUT', path: '/admin/users', body: change },
      { method: 'PATCH', path: '/admin/users', body: change },
      { method: 'DELETE', path: '/admin/users', body: change },
      { method: 'PUT', path: `/admin/users/${id}`, body: change },
      { method: 'DELETE', path: `/admin/users/${id}` },
      { method: 'POST', path: `/admin/users/${id}/update`, body: change },
      { method: 'DELETE', path: `/admin/users/${id}/delete` },
      { method: 'POST', path: '/admin/users/create', body: change },
    ];
    for (const attempt of attempts) {
      const res = await h.request({ ...attempt, token });
      expect(res.status, `${attempt.method} ${attempt.path}`).toBeGreaterThanOrEqual(400);
    }
    expect((await listUsers(h, token)).find((user) => user.username === name)).toEqual(before);
    expect(await h.login(name, 'secret-pass')).toEqual(expect.any(String));
  });
});
