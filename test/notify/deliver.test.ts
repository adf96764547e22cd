import { afterEach, describe, expect, it } from 'vitest';
import { ping, postWebhook } from '../../src/notify/deliver.js';
import { answerAlways, answerInTurn, closedPortUrl, startReceiver, type Receiver, type Script } from './support/receiver.js';
import { recordingLog } from './support/recording-log.js';

const TOKEN = 'S3CRET-webhook-TOKEN';
const FAST = { timeoutMs: 5_000, retryDelaysMs: [5, 5] } as const;

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(script?: Script): Promise<Receiver> {
  const started = await startReceiver(script);
  receivers.push(started);
  return started;
}

/** The one warning logged; it names the origin and never the secret part of the URL. */
function singleWarning(log: ReturnType<typeof recordingLog>, origin: string): string {
  const warnings = log.warnings();
  expect(warnings).toHaveLength(1);
  const warning = warnings[0] ?? '';
  expect(warning).toContain(origin);
  for (const line of log.lines) expect(line).not.toContain(TOKEN);
  return warning;
}

describe('postWebhook', () => {
  it('posts the payload as JSON and resolves true on 2xx', async () => {
    const target = await receiver(answerAlways(204));
    const log = recordingLog();

    const sent = await postWebhook(`${target.url}/hooks/${TOKEN}?wait=true`, { hello: 'world', n: 1 }, { ...FAST, log });

    expect(sent).toBe(true);
    expect(target.requests).toHaveLength(1);
    const [request] = target.requests;
    expect(request).toMatchObject({ method: 'POST', path: `/hooks/${TOKEN}`, query: { wait: 'true' }, json: { hello: 'world', n: 1 } });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('sync-dbs');
    expect(log.warnings()).toEqual([]);
  });

  it('retries a 500 and succeeds on the 200 after it', async () => {
    const target = await receiver(answerInTurn(500, 200));
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, { n: 1 }, { ...FAST, log })).toBe(true);

    expect(target.requests).toHaveLength(2);
    expect(target.requests.map((request) => request.json)).toEqual([{ n: 1 }, { n: 1 }]);
    expect(log.warnings()).toEqual([]);
  });

  it('gives up after two retries when the receiver always answers 500: false, one warning with the status', async () => {
    const target = await receiver(answerAlways(500));
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, { n: 1 }, { ...FAST, log })).toBe(false);

    expect(target.requests).toHaveLength(3);
    const warning = singleWarning(log, target.url);
    expect(warning).toContain('HTTP 500');
    expect(warning).toContain('3 attempts');
  });

  it('does not retry a 4xx other than 429', async () => {
    const target = await receiver(answerAlways(404));
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, {}, { ...FAST, log })).toBe(false);

    expect(target.requests).toHaveLength(1);
    expect(singleWarning(log, target.url)).toContain('HTTP 404');
  });

  it('honours one 429, waiting what Retry-After asks', async () => {
    const target = await receiver((index) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200 }));
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, {}, { ...FAST, log })).toBe(true);
    expect(target.requests).toHaveLength(2);
  });

  it('honours a 429 only once', async () => {
    const target = await receiver(() => ({ status: 429, headers: { 'retry-after': '0' } }));
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, {}, { ...FAST, log })).toBe(false);

    expect(target.requests).toHaveLength(2);
    expect(singleWarning(log, target.url)).toContain('HTTP 429');
  });

  it('gives up at once when Retry-After asks for longer than the time left', async () => {
    const target = await receiver(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, {}, { ...FAST, log })).toBe(false);

    expect(target.requests).toHaveLength(1);
    expect(singleWarning(log, target.url)).toContain('HTTP 429');
  });

  it('resolves false when the connection is refused, naming the error code', async () => {
    const url = await closedPortUrl();
    const log = recordingLog();

    expect(await postWebhook(`${url}/hooks/${TOKEN}`, {}, { ...FAST, log })).toBe(false);

    expect(singleWarning(log, url)).toContain('ECONNREFUSED');
  });

  it('resolves false when the receiver never answers, within the timeout', async () => {
    const target = await receiver(() => 'hang');
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, {}, { ...FAST, timeoutMs: 300, log })).toBe(false);

    expect(singleWarning(log, target.url)).toContain('TIMEOUT');
  });

  it('does not follow redirects (they could carry the payload elsewhere)', async () => {
    const target = await receiver(() => ({ status: 302, headers: { location: '/elsewhere' } }));
    const log = recordingLog();

    expect(await postWebhook(`${target.url}/hooks/${TOKEN}`, {}, { ...FAST, log })).toBe(false);

    expect(target.requests.map((request) => request.path)).toEqual([`/hooks/${TOKEN}`]);
    expect(singleWarning(log, target.url)).toContain('HTTP 302');
  });

  it('never logs the payload', async () => {
    const target = await receiver(answerAlways(500));
    const log = recordingLog();

    await postWebhook(`${target.url}/hooks/${TOKEN}`, { secretish: 'PAYLOAD-MARKER' }, { ...FAST, log });

    for (const line of log.lines) expect(line).not.toContain('PAYLOAD-MARKER');
  });

  it.each(['not a url', 'ftp://example.com/x'])('resolves false for the invalid URL %j without showing it', async (url) => {
    const log = recordingLog();
    expect(await postWebhook(url, {}, { ...FAST, log })).toBe(false);
    expect(log.warnings()).toHaveLength(1);
    expect(log.warnings()[0]).not.toContain(url);
  });

  it('resolves false for a payload that cannot be serialised', async () => {
    const log = recordingLog();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await postWebhook('http://127.0.0.1:9/x', cyclic, { ...FAST, log })).toBe(false);
    expect(log.warnings()).toHaveLength(1);
  });
});

describe('ping', () => {
  it.each([
    ['start', `/ping/${TOKEN}/start`],
    ['success', `/ping/${TOKEN}`],
    ['fail', `/ping/${TOKEN}/fail`],
  ] as const)('%s is a POST to %s', async (kind, path) => {
    const target = await receiver(answerAlways(200));
    const log = recordingLog();

    expect(await ping(`${target.url}/ping/${TOKEN}/`, kind, { ...FAST, log })).toBe(true);

    expect(target.requests).toHaveLength(1);
    expect(target.requests[0]).toMatchObject({ method: 'POST', path, query: {} });
  });

  it('keeps the query string after the appended path', async () => {
    const target = await receiver(answerAlways(200));
    const log = recordingLog();

    await ping(`${target.url}/ping/${TOKEN}?create=1`, 'start', { ...FAST, log });
    await ping(`${target.url}/ping/${TOKEN}?create=1`, 'success', { ...FAST, log });

    expect(target.requests.map(({ path, query }) => ({ path, query }))).toEqual([
      { path: `/ping/${TOKEN}/start`, query: { create: '1' } },
      { path: `/ping/${TOKEN}`, query: { create: '1' } },
    ]);
  });

  it('sends the summary as a plain-text body', async () => {
    const target = await receiver(answerAlways(200));
    const log = recordingLog();

    await ping(`${target.url}/ping/${TOKEN}`, 'fail', { ...FAST, log, body: 'sync-dbs: backup sync failed\nVerdict: …' });

    expect(target.requests[0]?.body).toBe('sync-dbs: backup sync failed\nVerdict: …');
    expect(target.requests[0]?.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('retries a 500 and then succeeds', async () => {
    const target = await receiver(answerInTurn(500, 500, 200));
    const log = recordingLog();

    expect(await ping(`${target.url}/ping/${TOKEN}`, 'success', { ...FAST, log })).toBe(true);
    expect(target.requests).toHaveLength(3);
  });

  it.each<[string, () => Promise<{ url: string; timeoutMs?: number }>, string]>([
    ['always answers 500', async () => ({ url: (await receiver(answerAlways(500))).url }), 'HTTP 500'],
    ['refuses connections', async () => ({ url: await closedPortUrl() }), 'ECONNREFUSED'],
    ['never answers', async () => ({ url: (await receiver(() => 'hang')).url, timeoutMs: 300 }), 'TIMEOUT'],
  ])('resolves false when the check %s, with a warning naming the origin and not the token', async (_what, setUp, reason) => {
    const { url, timeoutMs } = await setUp();
    const log = recordingLog();

    expect(await ping(`${url}/ping/${TOKEN}`, 'start', { ...FAST, ...(timeoutMs === undefined ? {} : { timeoutMs }), log })).toBe(false);

    const warning = singleWarning(log, url);
    expect(warning).toContain(reason);
    expect(warning).toContain('start ping');
  });
});
