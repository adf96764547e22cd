import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HealthProbe } from '../../src/api/health-probe.js';
import { setLanguage } from '../../src/i18n/i18n.js';
import { useEmulator } from '../support/emulator-fixture.js';
import { closeClientsAfterEach, closedPortUrl, makeClient, requestsByRoute, resetEmulator, scriptedServer, type ScriptedServer } from './support/client-harness.js';

// probeHealth against real sockets on loopback: the emulator, scripted HTTP
// servers for answers the emulator never gives, and raw TCP servers that
// never answer, reset, or speak something that is not HTTP.

const handle = useEmulator();
closeClientsAfterEach();

const opened: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  await resetEmulator(handle());
});

afterEach(async () => {
  for (const server of opened.splice(0)) await server.close();
});

async function scripted(status: number, body: unknown, contentType?: string): Promise<ScriptedServer> {
  const server = await scriptedServer(() => ({ status, body, ...(contentType === undefined ? {} : { contentType }) }));
  opened.push(server);
  return server;
}

/** A raw TCP server on loopback that does `onConnection` with each connection instead of answering HTTP. */
async function tcpServer(onConnection: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function probeOf(url: string, timeoutMs = 2_000): Promise<HealthProbe> {
  return makeClient({ url }).client.probeHealth(timeoutMs);
}

describe('probeHealth', () => {
  it('is up, with the time it took, when /health answers {"status":"ok"}; one request, nothing logged', async () => {
    const { client, log } = makeClient({ url: handle().url });

    const probe = await client.probeHealth(2_000);

    expect(probe).toEqual({ ok: true, latencyMs: expect.any(Number) as number });
    expect(probe.latencyMs).toBeGreaterThanOrEqual(0);
    expect(client.requestCount).toBe(1);
    expect(await requestsByRoute(handle())).toEqual({ 'GET /health': 1 });
    expect(log.lines).toEqual([]);
  });

  it('is asleep on the 503 page of a server waking up, after one request (no retry, no waiting)', async () => {
    await handle().control.setFaults({ coldStart: { idleMs: 600_000, wakeMs: 60_000, mode: 'error', asleepNow: true } });

    const probe = await probeOf(handle().url);

    expect(probe).toEqual({ ok: false, latencyMs: expect.any(Number) as number, failure: 'asleep', detail: 'HTTP 503' });
    expect(await requestsByRoute(handle())).toEqual({ 'GET /health': 1 });
  });

  it('is asleep when a waking server holds the request past the timeout, and gives up at the timeout', async () => {
    await handle().control.setFaults({ coldStart: { idleMs: 600_000, wakeMs: 60_000, mode: 'delay', asleepNow: true } });

    const probe = await probeOf(handle().url, 200);

    expect(probe).toMatchObject({ ok: false, failure: 'asleep', detail: 'no answer within 0.2 s' });
    expect(probe.latencyMs).toBeLessThan(60_000);
  });

  it("is asleep on the tunnel's HTML page of an origin that is down", async () => {
    await handle().control.setFaults({ down: true });

    expect(await probeOf(handle().url)).toMatchObject({ ok: false, failure: 'asleep', detail: expect.stringMatching(/^HTTP 5\d\d/) as string });
  });

  it('is asleep on a 503 HTML page of a proxy', async () => {
    const server = await scripted(503, '<html><body>Service Unavailable</body></html>', 'text/html');

    expect(await probeOf(server.url)).toMatchObject({ ok: false, failure: 'asleep', detail: 'HTTP 503' });
    expect(server.count('GET', '/health')).toBe(1);
  });

  it('is asleep on a 200 HTML page (a host showing its "waking up" page)', async () => {
    const server = await scripted(200, '<!doctype html><title>Waking up</title>', 'text/html');

    expect(await probeOf(server.url)).toMatchObject({ ok: false, failure: 'asleep', detail: 'HTTP 200 (HTML page)' });
  });

  it('is asleep when something accepts the connection and never answers', async () => {
    const url = await tcpServer(() => {});

    expect(await probeOf(url, 150)).toMatchObject({ ok: false, failure: 'asleep', detail: 'no answer within 0.15 s' });
  });

  it('is down when nothing listens on the port', async () => {
    expect(await probeOf(await closedPortUrl())).toMatchObject({ ok: false, failure: 'down', detail: 'connection refused (ECONNREFUSED)' });
  });

  it('words its detail in the process\'s language, as the dashboard shows it', async () => {
    setLanguage('pt-BR');
    try {
      expect(await probeOf(await closedPortUrl())).toMatchObject({ ok: false, failure: 'down', detail: 'conexão recusada (ECONNREFUSED)' });
    } finally {
      setLanguage('en');
    }
  });

  it('is down when the connection is reset', async () => {
    const url = await tcpServer((socket) => socket.resetAndDestroy());

    expect(await probeOf(url)).toMatchObject({ ok: false, failure: 'down', detail: 'connection reset (ECONNRESET)' });
  });

  it('is down when the host name does not exist', async () => {
    expect(await probeOf('http://no-such-host.invalid')).toMatchObject({ ok: false, failure: 'down', detail: 'host name not found (ENOTFOUND)' });
  });

  it('is an error on a 404, HTML or not', async () => {
    const json = await scripted(404, { error: 'Not found' });
    const html = await scripted(404, '<html><body>Not Found</body></html>', 'text/html');

    expect(await probeOf(json.url)).toMatchObject({ ok: false, failure: 'error', detail: 'HTTP 404' });
    expect(await probeOf(html.url)).toMatchObject({ ok: false, failure: 'error', detail: 'HTTP 404' });
  });

  it('is an error on a 500 JSON answer', async () => {
    const server = await scripted(500, { error: 'boom' });

    expect(await probeOf(server.url)).toMatchObject({ ok: false, failure: 'error', detail: 'HTTP 500' });
  });

  it('is an error on a 200 that is not {"status":"ok"}, and does not quote the body', async () => {
    const notJson = await scripted(200, 'ok, secret-looking-text', 'text/plain');
    const otherJson = await scripted(200, { status: 'degraded' });

    for (const url of [notJson.url, otherJson.url]) {
      const probe = await probeOf(url);
      expect(probe).toMatchObject({ ok: false, failure: 'error', detail: 'HTTP 200 without {"status":"ok"}' });
    }
  });

  it('is an error when the port speaks something that is not HTTP', async () => {
    const url = await tcpServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));

    expect(await probeOf(url)).toMatchObject({ ok: false, failure: 'error', detail: expect.stringMatching(/^the answer is not HTTP \(HPE_[A-Z_]+\)$/) as string });
  });

  it('is an error on a TLS failure (https to a plain-http port)', async () => {
    const probe = await probeOf(handle().url.replace('http://', 'https://'));

    expect(probe).toMatchObject({ ok: false, failure: 'error', detail: expect.stringMatching(/^(the other side does not speak TLS|TLS handshake failed) \((ERR_SSL_|EPROTO)/) as string });
  });

  it('never names the password or user of a URL with credentials', async () => {
    const url = (await closedPortUrl()).replace('http://', 'http://someone:hunter2-secret@');

    const probe = await probeOf(url);

    expect(probe.ok).toBe(false);
    expect(JSON.stringify(probe)).not.toMatch(/hunter2|someone/);
  });
});
