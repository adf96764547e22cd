import { performance } from 'node:perf_hooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import { useEmulator } from '../support/emulator-fixture.js';
import { TIMER_SLACK_MS } from '../support/fault-testing.js';
import { findLicense, listUsers as rawListUsers } from '../support/license-api-helpers.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { apiErrorOf, closeClientsAfterEach, closedPortUrl, makeClient, requestsByRoute, resetEmulator } from './support/client-harness.js';

const handle = useEmulator();
closeClientsAfterEach();

beforeEach(async () => {
  await resetEmulator(handle());
});

/**
 * A client that has logged in already, with statistics reset afterwards, so
 * that only the call under test counts. Its patience with 429s (300 ms) lasts
 * one pause of the longest Retry-After it honours (10 x 20 ms), not two.
 */
async function loggedInClient(attempts = 4, maxDelayMs = 20, rateLimitPatienceMs = 300) {
  const made = makeClient({ url: handle().url, retry: { attempts, minDelayMs: 5, maxDelayMs, rateLimitPatienceMs } });
  await made.client.login();
  await handle().control.resetStats();
  return made;
}

const upsertBody = (deviceId: string) => ({
  device_id: deviceId,
  license_type: 'anual' as const,
  owner_name: 'Maria',
  cpf: null,
  email: null,
  address: null,
  created_by: 'admin',
});

describe('malformed answers', () => {
  it.each(['html', 'truncated'] as const)('a %s listing is malformed: retried, then thrown naming server, endpoint and attempts', async (mode) => {
    const { client, log } = await loggedInClient(3);
    await handle().control.setFaults({ malformedListing: { mode, endpoints: ['devices'] } });

    const error = await apiErrorOf(client.listLicenses());

    expect(error.kind).toBe('malformed');
    expect(error.server).toBe('backup');
    expect(error.endpoint).toBe('GET /admin/devices');
    expect(error.status).toBe(200);
    expect(error.attempts).toBe(3);
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/^backup GET \/admin\/devices: HTTP 200 with /);
    expect(error.reason).toMatch(mode === 'html' ? /HTML page instead of JSON/ : /not valid JSON/);
    expect((await requestsByRoute(handle()))['GET /admin/devices']).toBe(3);
    // The two retries were announced.
    expect(log.lines.filter((line) => line.startsWith('warn ') && line.includes('retrying'))).toHaveLength(2);
  });

  it('a malformed users listing names its own endpoint', async () => {
    const { client } = await loggedInClient(2);
    await handle().control.setFaults({ malformedListing: { mode: 'html', endpoints: ['users'] } });

    const error = await apiErrorOf(client.listUsers());

    expect(error).toMatchObject({ kind: 'malformed', server: 'backup', endpoint: 'GET /admin/users', attempts: 2 });
    expect((await requestsByRoute(handle()))['GET /admin/users']).toBe(2);
  });

  it('a listing damaged twice succeeds on the third attempt', async () => {
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense('a'.repeat(32)), allowedLicense('b'.repeat(32))] }));
    const { client } = await loggedInClient(4);
    await handle().control.setFaults({ malformedListing: { mode: 'truncated', times: 2 } });

    const items = await client.listLicenses();

    expect(items).toHaveLength(2);
    expect((await requestsByRoute(handle()))['GET /admin/devices']).toBe(3);
  });
});

describe('5xx answers and connection resets', () => {
  it('retries 5xx pages until the listing comes through', async () => {
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense('a'.repeat(32))] }));
    const { client } = await loggedInClient(12);
    await handle().control.setFaults({ seed: 3, failures: { rate: 0.5, kinds: ['500', '502', '503', '504'] } });

    for (let i = 0; i < 10; i++) expect(await client.listLicenses()).toHaveLength(1);

    const stats = await handle().control.stats();
    const injected = Object.values(stats.faults).reduce((sum, count) => sum + count, 0);
    expect(injected).toBeGreaterThan(0);
    expect(stats.requests['GET /admin/devices']).toBe(10 + injected);
  });

  it('retries connection resets until the listing comes through', async () => {
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense('a'.repeat(32))] }));
    const { client } = await loggedInClient(12);
    await handle().control.setFaults({ seed: 5, failures: { rate: 0.5, kinds: ['reset'] } });

    for (let i = 0; i < 10; i++) expect(await client.listLicenses()).toHaveLength(1);

    const stats = await handle().control.stats();
    expect(stats.faults['failure-reset']).toBeGreaterThan(0);
    expect(stats.requests['GET /admin/devices']).toBe(10 + (stats.faults['failure-reset'] ?? 0));
  });

  it('retries a write whose first attempt failed before the server did it', async () => {
    const { client } = await loggedInClient(3);
    // Seed 7, rate 0.5: the first write fails, the second goes through.
    await handle().control.setFaults({ seed: 7, failures: { rate: 0.5, kinds: ['503'], scope: 'writes' } });

    await client.upsertLicense(upsertBody('1'.repeat(32)));

    const stats = await handle().control.stats();
    expect(stats.faults).toEqual({ 'failure-503': 1 });
    expect(stats.requests['POST /admin/devices/create']).toBe(2);
    expect(await findLicense(handle(), await handle().login(), '1'.repeat(32))).toBeDefined();
  });

  it('gives up after the configured attempts on a persistent 503, with kind http and the status', async () => {
    const { client } = await loggedInClient(3);
    await handle().control.setFaults({ failures: { rate: 1, kinds: ['503'] } });

    const error = await apiErrorOf(client.listLicenses());

    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 3, endpoint: 'GET /admin/devices', mayHaveBeenApplied: false });
    expect(error.reason).toMatch(/^HTTP 503/);
    expect((await requestsByRoute(handle()))['GET /admin/devices']).toBe(3);
  });

  it('flags a write whose answer was lost after the server did the work as possibly applied', async () => {
    const { client } = await loggedInClient(2);
    await handle().control.setFaults({ failures: { rate: 1, kinds: ['500'], scope: 'writes', afterHandlerShare: 1 } });

    const error = await apiErrorOf(client.upsertLicense(upsertBody('2'.repeat(32))));

    expect(error).toMatchObject({ kind: 'http', status: 500, attempts: 2, mayHaveBeenApplied: true });
    await handle().control.setFaults({});
    expect(await findLicense(handle(), await handle().login(), '2'.repeat(32))).toBeDefined();
  });

  it('keeps "may have been applied" when a lost write is followed by 429 answers', async () => {
    // call() once cleared mayHaveBeenApplied whenever the *last* error was a
    // 429, even when an earlier attempt had reached the server and done the work.
    const { client } = await loggedInClient(3);
    await handle().control.setFaults({
      rateLimit: { requests: 1, windowMs: 60_000 },
      failures: { rate: 1, kinds: ['500'], scope: 'writes', afterHandlerShare: 1 },
    });

    const error = await apiErrorOf(client.createUser({ username: 'perdida', password: 'senha-perdida-123', email: null, role: 'user' }));

    // Preconditions: the first attempt created the user and lost its answer, the
    // next two requests were rate limited (one pause, then out of patience).
    expect((await handle().control.stats()).faults).toEqual({ 'failure-500-after-handler': 1, 'rate-limited': 2 });
    await handle().control.setFaults({});
    expect((await rawListUsers(handle(), await handle().login())).map((user) => user.username)).toEqual(['perdida']);
    expect(error).toMatchObject({ kind: 'http', status: 429, attempts: 3 });
    expect(error.mayHaveBeenApplied).toBe(true);
  });
});

describe('429 answers', () => {
  it('waits at least the Retry-After the server asked for, then succeeds', async () => {
    // The wait is capped at 10 × maxDelayMs, so allow 2 s here; the emulator asks for 1 s.
    const { client } = await loggedInClient(4, 200, 5_000);
    await handle().control.setFaults({ rateLimit: { requests: 1, windowMs: 400 } });
    await client.listLicenses();

    const started = performance.now();
    await client.listLicenses();
    const elapsed = performance.now() - started;

    const stats = await handle().control.stats();
    expect(stats.faults).toEqual({ 'rate-limited': 1 });
    expect(stats.requests['GET /admin/devices']).toBe(3);
    expect(elapsed).toBeGreaterThanOrEqual(1_000 - TIMER_SLACK_MS);
  });

  it('gives up on a persistent 429 once out of patience, as kind http with the Retry-After it was given', async () => {
    const { client } = await loggedInClient(5);
    await handle().control.setFaults({ rateLimit: { requests: 1, windowMs: 60_000 } });
    await client.listLicenses();

    const error = await apiErrorOf(client.listLicenses());

    // Two requests: a 429, one pause (200 ms), a 429 that a second pause would take past the 300 ms patience.
    expect(error).toMatchObject({ kind: 'http', status: 429, attempts: 2, mayHaveBeenApplied: false, transient: false });
    expect(error.reason).toMatch(/^HTTP 429 \(HTML page\); still rate limited after 0\.(19|2)\d* s of pauses$/);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});

describe('other 4xx answers are not retried', () => {
  it('a 400 (duplicate user) fails at once after exactly one request', async () => {
    await resetEmulator(handle(), datasetOf({ users: [{ username: 'existente', password: 'existente-senha', role: 'user' }] }));
    const { client } = await loggedInClient(5);

    const error = await apiErrorOf(client.createUser({ username: 'existente', password: 'outra-senha-123', email: null, role: 'user' }));

    expect(error).toMatchObject({ kind: 'rejected', status: 400, attempts: 1, mayHaveBeenApplied: false, endpoint: 'POST /admin/users/create', key: 'existente' });
    expect(error.transient).toBe(false);
    expect(error.reason).toBe('HTTP 400: Usuário já existe.');
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/users/create': 1 });
  });

  it.each([
    ['setStatus', 'POST /admin/devices/:device_id/deactivate'],
    ['updateCreatedBy', 'POST /admin/devices/update-created-by'],
    ['deleteLicense', 'DELETE /admin/devices/:device_id/delete'],
  ] as const)('a 404 from %s fails at once after exactly one request', async (method, route) => {
    const { client } = await loggedInClient(5);
    const missing = 'f'.repeat(32);
    const call =
      method === 'setStatus' ? client.setStatus(missing, 'block') : method === 'updateCreatedBy' ? client.updateCreatedBy(missing, 'x') : client.deleteLicense(missing);

    const error = await apiErrorOf(call);

    expect(error).toMatchObject({ kind: 'rejected', status: 404, attempts: 1, endpoint: route, key: missing });
    expect(error.reason).toBe('HTTP 404: Licença não encontrada.');
    expect(await requestsByRoute(handle())).toEqual({ [route]: 1 });
  });

  it('a 403 (reseller token deleting) fails at once', async () => {
    await resetEmulator(
      handle(),
      datasetOf({ users: [{ username: 'revenda', password: 'revenda-senha', role: 'user' }], licenses: [allowedLicense('a'.repeat(32), { created_by: 'revenda' })] }),
    );
    const { client } = makeClient({ url: handle().url, username: 'revenda', password: 'revenda-senha' });
    await client.login();
    await handle().control.resetStats();

    const error = await apiErrorOf(client.deleteLicense('a'.repeat(32)));

    expect(error).toMatchObject({ kind: 'rejected', status: 403, attempts: 1 });
    expect(await requestsByRoute(handle())).toEqual({ 'DELETE /admin/devices/:device_id/delete': 1 });
  });
});

describe('no answer at all', () => {
  it('a closed port is kind network, retried the configured number of times', async () => {
    const { client } = makeClient({ url: await closedPortUrl(), retry: { attempts: 3 } });

    const error = await apiErrorOf(client.login());

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'network', status: null, attempts: 3, endpoint: 'POST /admin/login', key: 'admin' });
    expect(error.reason).toBe('connection refused (ECONNREFUSED)');
    expect(client.requestCount).toBe(3);
  });

  it('a server slower than the timeout is kind network with a reason naming the timeout', async () => {
    const { client } = makeClient({ url: handle().url, timeoutMs: 100, retry: { attempts: 2 } });
    await client.login();
    await handle().control.setFaults({ latency: { fixedMs: 400, jitterMs: 0 } });

    const error = await apiErrorOf(client.listLicenses());

    expect(error).toMatchObject({ kind: 'network', status: null, attempts: 2 });
    expect(error.reason).toBe('no answer within 0.1 s');
  });
});

describe('a read abandoned by the stop', () => {
  it('is not announced as a timeout being retried, and is not sent again', async () => {
    const stop = new AbortController();
    const made = makeClient({ url: handle().url, retry: { attempts: 4, minDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 30_000, stop: stop.signal });
    await made.client.login();
    await handle().control.resetStats();
    let seen!: () => void;
    const listingSeen = new Promise<void>((resolve) => (seen = resolve));
    handle().emulator.intercept((request) => {
      if (request.route !== 'GET /admin/devices') return undefined;
      seen();
      return new Promise(() => {});
    });
    try {
      const listing = made.client.listLicenses();
      const settled = listing.then(
        () => 'listed',
        () => 'abandoned',
      );
      await listingSeen;
      stop.abort(new Error('SIGINT'));
      expect(await settled).toBe('abandoned');
    } finally {
      handle().emulator.intercept(null);
    }
    expect(made.log.lines.filter((line) => line.includes('retrying')), 'retry announcements after the stop').toEqual([]);
    expect((await requestsByRoute(handle()))['GET /admin/devices']).toBe(1);
  });
});

