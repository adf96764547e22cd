import { describe, expect, it } from 'vitest';
import { openEmulator, useEmulator } from '../../support/emulator-fixture.js';
import { expectHtmlPage } from '../../support/response-assertions.js';


// Contract, "Liveness": GET /health and GET /ping, and what a sleeping or
// unreachable free-tier deployment answers instead (HTML, never JSON).

const NOW = new Date('2025-01-31T12:34:56Z');

/** Reads an ISO timestamp as UTC even when it carries no zone designator. */
function parseIsoUtc(text: string): number {
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`);
}

describe('liveness', () => {
  const handle = useEmulator({ now: NOW });

  it('GET /health answers 200 {"status":"ok"} without a token', async () => {
    const res = await handle().request({ path: '/health' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('GET /ping answers status, message, server and an ISO UTC timestamp of the server clock', async () => {
    const res = await handle().request({ path: '/ping' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['message', 'server', 'status', 'timestamp']);
    expect(body).toMatchObject({ status: 'ok', message: 'Server is alive', server: 'license-api' });
    expect(typeof body.timestamp).toBe('string');
    const timestamp = body.timestamp as string;
    expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:?00)?$/);
    expect(parseIsoUtc(timestamp)).toBe(NOW.getTime());
  });

  it('the /ping timestamp follows the server clock', async () => {
    const h = handle();
    await h.control.setClock({ now: '2026-07-04T03:02:01Z' });
    try {
      const res = await h.request({ path: '/ping' });
      expect(parseIsoUtc((res.json as { timestamp: string }).timestamp)).toBe(Date.parse('2026-07-04T03:02:01Z'));
    } finally {
      await h.control.setClock({ now: NOW.toISOString() });
    }
  });
});

describe('sleeping and unreachable deployments', () => {
  it('a sleeping server answers its first requests with a 503 HTML page, then normally', async () => {
    const h = await openEmulator({ faults: { coldStart: { idleMs: 60_000, wakeMs: 400, mode: 'error', asleepNow: true } } });
    try {
      expectHtmlPage(await h.request({ path: '/health' }), 503);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const res = await h.request({ path: '/health' });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'ok' });
    } finally {
      await h.emulator.close();
    }
  });

  it('a sleeping server can instead hold the first request until it is awake, then answer normally', async () => {
    const h = await openEmulator({ faults: { coldStart: { idleMs: 60_000, wakeMs: 300, mode: 'delay', asleepNow: true } } });
    try {
      const started = Date.now();
      const res = await h.request({ path: '/health' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'ok' });
    } finally {
      await h.emulator.close();
    }
  });

  it.each(['502', '503', '504'] as const)('a failing hosting proxy answers %s with an HTML body', async (kind) => {
    const h = await openEmulator({ faults: { failures: { rate: 1, kinds: [kind] } } });
    try {
      expectHtmlPage(await h.request({ path: '/health' }), Number(kind));
      expectHtmlPage(await h.request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }), Number(kind));
    } finally {
      await h.emulator.close();
    }
  });

  it('a tunnel in front of a down origin answers its own HTML "1033" error page', async () => {
    const h = await openEmulator({ faults: { down: true } });
    try {
      const res = await h.request({ path: '/health' });
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.json).toBeUndefined();
      expect(res.text).toContain('1033');
    } finally {
      await h.emulator.close();
    }
  });
});
