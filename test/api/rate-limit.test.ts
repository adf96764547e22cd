// 429 answers: one pause per server, shared by every request to it, and no
// attempt used up. A scripted server on loopback counts what reaches it.
import { afterEach, describe, expect, it } from 'vitest';
import { TIMER_SLACK_MS } from '../support/fault-testing.js';
import { apiErrorOf, closeClientsAfterEach, makeClient, scriptedServer, type ScriptedAnswer, type ScriptedRequest, type ScriptedServer } from './support/client-harness.js';

closeClientsAfterEach();

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LOGIN_OK: ScriptedAnswer = { status: 200, body: { token: 'tok-1', role: 'admin', must_change_password: false } };
const LISTING_OK: ScriptedAnswer = { status: 200, body: { items: [] } };
const UPSERT_OK: ScriptedAnswer = { status: 201, body: { success: true, device_id: 'a', license_type: 'anual' } };
const RATE_LIMITED: ScriptedAnswer = { status: 429, body: '<html><body>Too Many Requests</body></html>', contentType: 'text/html' };

/** Answers login normally and every other request with `answers(n)`, n counting those requests from 1. */
async function serverAnswering(answers: (n: number, request: ScriptedRequest) => ScriptedAnswer): Promise<ScriptedServer> {
  let n = 0;
  server = await scriptedServer((request) => (request.path === '/admin/login' ? LOGIN_OK : answers(++n, request)));
  return server;
}

const rateLimited = (retryAfter?: string): ScriptedAnswer => (retryAfter === undefined ? RATE_LIMITED : { ...RATE_LIMITED, headers: { 'Retry-After': retryAfter } });
const listings = (scripted: ScriptedServer) => scripted.requests.filter((request) => request.path === '/admin/devices');
const pauseLines = (lines: readonly string[]) => lines.filter((line) => line.includes('rate limited (HTTP 429); pausing requests'));

describe('a 429 uses up no attempt', () => {
  it('a listing answered 429 five times, without Retry-After, still succeeds with 2 attempts', async () => {
    const scripted = await serverAnswering((n) => (n <= 5 ? rateLimited() : LISTING_OK));
    const { client, log } = makeClient({ url: scripted.url, retry: { attempts: 2 } });

    expect(await client.listLicenses()).toEqual([]);

    expect(listings(scripted)).toHaveLength(6);
    // The usual backoff stands in for the missing Retry-After: five pauses, each logged once.
    expect(pauseLines(log.lines)).toHaveLength(5);
    expect(pauseLines(log.lines)[0]).toMatch(/^warn backup: rate limited \(HTTP 429\); pausing requests for 0\.0\d+ s$/);
  });

  it('a write with a single attempt (--retries 1) waits out 429s and is sent', async () => {
    const scripted = await serverAnswering((n) => (n <= 2 ? rateLimited('0') : UPSERT_OK));
    const { client } = makeClient({ url: scripted.url, retry: { attempts: 1 } });

    await client.upsertLicense({ device_id: 'a', license_type: 'anual', owner_name: null, cpf: null, email: null, address: null, created_by: 'admin' });

    expect(scripted.count('POST', '/admin/devices/create')).toBe(3);
  });

  it('a 5xx still uses an attempt, with 429s in between costing none', async () => {
    const script = [rateLimited('0'), { status: 503, body: 'down', contentType: 'text/plain' }, rateLimited('0'), rateLimited('0'), LISTING_OK];
    const scripted = await serverAnswering((n) => script[n - 1] ?? LISTING_OK);
    const { client } = makeClient({ url: scripted.url, retry: { attempts: 2 } });

    expect(await client.listLicenses()).toEqual([]);
    expect(listings(scripted)).toHaveLength(5);
  });

  it('persistent 5xx answers end the call after the configured attempts', async () => {
    const scripted = await serverAnswering((n) => (n === 2 ? rateLimited('0') : { status: 502, body: 'bad gateway', contentType: 'text/plain' }));
    const { client } = makeClient({ url: scripted.url, retry: { attempts: 3 } });

    const error = await apiErrorOf(client.listLicenses());

    // Three 502s make the three attempts; the 429 between them was one more request, not an attempt.
    expect(error).toMatchObject({ kind: 'http', status: 502, attempts: 4 });
    expect(listings(scripted)).toHaveLength(4);
  });
});

describe('one pause per server', () => {
  it('eight requests in flight that all meet a 429 pause together: nothing reaches the server until Retry-After has passed', async () => {
    let firstLimitedAt = 0;
    const scripted = await serverAnswering((n, request) => {
      if (n > 8) return LISTING_OK;
      firstLimitedAt ||= request.at;
      return rateLimited('1');
    });
    // A 1 s Retry-After is within the cap (10 x 200 ms).
    const { client, log } = makeClient({ url: scripted.url, retry: { attempts: 2, maxDelayMs: 200 } });
    await client.login();

    const results = await Promise.all(Array.from({ length: 8 }, () => client.listLicenses()));

    expect(results).toEqual(Array.from({ length: 8 }, () => []));
    const afterPause = listings(scripted).slice(8);
    expect(afterPause).toHaveLength(8);
    for (const request of afterPause) expect(request.at).toBeGreaterThanOrEqual(firstLimitedAt + 1_000 - TIMER_SLACK_MS);
    expect(pauseLines(log.lines)).toEqual(['warn backup: rate limited (HTTP 429); pausing requests for 1 s']);
    expect(log.lines.filter((line) => line.includes('retrying'))).toEqual([]);
  });

  it('new requests wait for a pause another request started', async () => {
    let limitedAt = 0;
    const scripted = await serverAnswering((n, request) => {
      if (n > 1) return LISTING_OK;
      limitedAt = request.at;
      return rateLimited('1');
    });
    const { client, log } = makeClient({ url: scripted.url, retry: { attempts: 2, maxDelayMs: 200 } });
    await client.login();

    const first = client.listLicenses();
    while (limitedAt === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const later = Array.from({ length: 7 }, () => client.listLicenses());
    await Promise.all([first, ...later]);

    const requests = listings(scripted);
    expect(requests).toHaveLength(9);
    for (const request of requests.slice(1)) expect(request.at).toBeGreaterThanOrEqual(limitedAt + 1_000 - TIMER_SLACK_MS);
    expect(pauseLines(log.lines)).toHaveLength(1);
  });

  it('a Retry-After longer than the cap (10 x --retry-max-delay) pauses for the cap', async () => {
    const scripted = await serverAnswering((n) => (n === 1 ? rateLimited('3600') : LISTING_OK));
    const { client, log } = makeClient({ url: scripted.url, retry: { attempts: 2, maxDelayMs: 20 } });

    await client.listLicenses();

    expect(pauseLines(log.lines)).toEqual(['warn backup: rate limited (HTTP 429); pausing requests for 0.2 s']);
    const [limited, retried] = listings(scripted);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
  });
});

describe('patience', () => {
  it('a request kept waiting by 429s longer than its patience fails, final, naming the time waited', async () => {
    const scripted = await serverAnswering(() => rateLimited());
    const { client } = makeClient({ url: scripted.url, retry: { attempts: 5, minDelayMs: 40, maxDelayMs: 40, rateLimitPatienceMs: 250 } });

    const error = await apiErrorOf(client.listLicenses());

    // Without Retry-After, each pause is the backoff (40 ms here), until the next one would take the wait past 250 ms.
    expect(error).toMatchObject({ kind: 'http', status: 429, server: 'backup', endpoint: 'GET /admin/devices', transient: false });
    expect(error.reason).toMatch(/^HTTP 429 \(HTML page\); still rate limited after 0\.\d+ s of pauses$/);
    expect(listings(scripted).length).toBeGreaterThanOrEqual(3);
    expect(listings(scripted).length).toBeLessThanOrEqual(7);
    expect(error.attempts).toBe(listings(scripted).length);
  });
});
