// Answers the real server (and so the emulator) never gives, from a scripted
// HTTP server on loopback: the client must still refuse to believe them.
import { afterEach, describe, expect, it } from 'vitest';
import { apiErrorOf, closeClientsAfterEach, makeClient, scriptedServer, type ScriptedAnswer, type ScriptedRequest, type ScriptedServer } from './support/client-harness.js';

closeClientsAfterEach();

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LOGIN_OK: ScriptedAnswer = { status: 200, body: { token: 'tok-1', role: 'admin', must_change_password: false } };

/** Answers login normally and everything else with `other`. */
async function serverAnswering(other: (request: ScriptedRequest) => ScriptedAnswer): Promise<ScriptedServer> {
  server = await scriptedServer((request) => (request.path === '/admin/login' ? LOGIN_OK : other(request)));
  return server;
}

describe('answers of the wrong shape', () => {
  it.each([
    ['an object without items', { rows: [] }],
    ['items that are not a list', { items: { a: 1 } }],
    ['a bare list', [{ device_id: 'x' }]],
  ])('a listing with %s is malformed, retried, and thrown with the attempts count', async (_name, body) => {
    const scripted = await serverAnswering(() => ({ status: 200, body }));
    const { client } = makeClient({ url: scripted.url, retry: { attempts: 3 } });

    const error = await apiErrorOf(client.listLicenses());

    expect(error).toMatchObject({ kind: 'malformed', server: 'backup', endpoint: 'GET /admin/devices', status: 200, attempts: 3 });
    expect(error.reason).toMatch(/^HTTP 200 with an unexpected JSON shape \(/);
    expect(scripted.count('GET', '/admin/devices')).toBe(3);
  });

  it('a login answer without a token is malformed', async () => {
    server = await scriptedServer(() => ({ status: 200, body: { role: 'admin', must_change_password: false } }));
    const { client, secrets } = makeClient({ url: server.url, retry: { attempts: 2 } });

    const error = await apiErrorOf(client.login());

    expect(error).toMatchObject({ kind: 'malformed', endpoint: 'POST /admin/login', attempts: 2 });
    expect(error.reason).toContain('token');
    expect(secrets).toEqual([]);
  });

  it('a JSON error answer with a non-JSON content type is described as HTTP status only', async () => {
    const scripted = await serverAnswering(() => ({ status: 404, body: '{"error":"x"}', contentType: 'text/plain' }));
    const { client } = makeClient({ url: scripted.url });

    const error = await apiErrorOf(client.deleteLicense('abc'));

    expect(error).toMatchObject({ kind: 'rejected', status: 404, reason: 'HTTP 404', attempts: 1 });
  });
});

describe('setStatus checks the status the server reports', () => {
  it.each([
    ['block', 'active'],
    ['activate', 'blocked'],
  ] as const)('asked to %s, an answer with status %s is an error', async (action, answered) => {
    const scripted = await serverAnswering((request) => ({ status: 200, body: { success: true, device_id: decodeURIComponent(request.path.split('/')[3] ?? ''), status: answered } }));
    const { client } = makeClient({ url: scripted.url });

    const error = await apiErrorOf(client.setStatus('dev 1?', action));

    expect(error).toMatchObject({ kind: 'malformed', endpoint: 'POST /admin/devices/:device_id/deactivate', key: 'dev 1?', status: 200 });
    expect(error.reason).toBe(`asked to ${action}, the server answered status "${answered}"`);
    // The device_id travelled percent-encoded, and the action explicitly (never toggle).
    expect(scripted.requests.filter((request) => request.path !== '/admin/login').map((request) => [request.path, request.body])).toEqual([
      ['/admin/devices/dev%201%3F/deactivate', JSON.stringify({ action })],
    ]);
  });
});

describe('a 401 that survives a new login', () => {
  it('is thrown as unauthorized after exactly one new login and one retry', async () => {
    const scripted = await serverAnswering(() => ({ status: 401, body: { error: 'Unauthorized' } }));
    const { client } = makeClient({ url: scripted.url, retry: { attempts: 5 } });

    const error = await apiErrorOf(client.listLicenses());

    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, endpoint: 'GET /admin/devices', attempts: 1 });
    expect(error.reason).toBe('HTTP 401: Unauthorized');
    // First login, the call, one new login, the call again: nothing more.
    expect(scripted.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /admin/login',
      'GET /admin/devices',
      'POST /admin/login',
      'GET /admin/devices',
    ]);
    expect(scripted.requests.filter((request) => request.method === 'GET').map((request) => request.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });
});
