import { describe, expect, it } from 'vitest';
import { DashboardRefused, SESSION_COOKIE, startDashboard } from '../../src/dashboard/dashboard-server.js';
import { isLoopbackHost } from '../../src/dashboard/loopback.js';
import { silentLog } from '../../src/log/log-sink.js';
import { FakeDashboardSource } from './support/fake-dashboard-source.js';
import { csrfTokenOf, useDashboards } from './support/dashboard-fixture.js';
import { sampleStatus } from './support/sample-status.js';

// The real server on 127.0.0.1: who may read it, who may press "sync now".

const TOKEN = 'k9-Very-Secret-Token-4242';
const start = useDashboards();

function noRedirect(init: RequestInit = {}): RequestInit {
  return { redirect: 'manual', ...init };
}

async function loggedInCookie(url: string): Promise<string> {
  const response = await fetch(new URL('/login', url), noRedirect({ method: 'POST', body: new URLSearchParams({ token: TOKEN }) }));
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/');
  const cookie = response.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  expect(cookie).not.toContain(TOKEN);
  return cookie.split(';')[0] ?? '';
}

describe('the dashboard without a token, on loopback', () => {
  it('serves the page, the status and the event stream with no login, with the security headers', async () => {
    const { dashboard, source } = await start();
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(dashboard.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).not.toMatch(/<script>|<script [^>]*>[^<]/);
    const status = await fetch(new URL('/api/status', dashboard.url));
    expect(await status.json()).toEqual(JSON.parse(JSON.stringify(source.status())));
  });

  it('refuses "sync now" without the page\'s CSRF token, with a wrong one, and from another site', async () => {
    const { dashboard, source } = await start();
    const csrf = csrfTokenOf(await (await fetch(dashboard.url)).text());
    const sync = (headers: Record<string, string>) => fetch(new URL('/api/sync', dashboard.url), { method: 'POST', headers });

    expect((await sync({})).status).toBe(403);
    expect((await sync({ 'X-CSRF-Token': `${csrf}x` })).status).toBe(403);
    expect((await sync({ 'X-CSRF-Token': csrf, Origin: 'http://attacker.example' })).status).toBe(403);
    expect((await sync({ 'X-CSRF-Token': csrf, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await sync({ 'X-CSRF-Token': csrf, 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await sync({ 'X-CSRF-Token': csrf, Origin: 'null' })).status).toBe(403);
    expect(source.syncRequests).toBe(0);

    const origin = new URL(dashboard.url).origin;
    const accepted = await sync({ 'X-CSRF-Token': csrf, Origin: origin, 'Sec-Fetch-Site': 'same-origin' });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ answer: 'started' });
    source.answer = 'queued';
    expect(await (await sync({ 'X-CSRF-Token': csrf })).json()).toEqual({ answer: 'queued' });
    expect(source.syncRequests).toBe(2);
  });

  it('never changes anything on GET', async () => {
    const { dashboard, source } = await start();
    expect((await fetch(new URL('/api/sync', dashboard.url))).status).toBe(404);
    expect(source.syncRequests).toBe(0);
  });

  it('answers only requests that name a loopback host (no DNS rebinding)', async () => {
    const { dashboard } = await start();
    const { port } = new URL(dashboard.url);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/api/status', headers: { Host: `rebound.attacker.example:${port}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
  });
});

describe('the dashboard with a token', () => {
  it('refuses every page, the stream, the assets and the API without it; the login page alone is open', async () => {
    const { dashboard } = await start({ token: TOKEN });
    for (const path of ['/api/status', '/events', '/dashboard.js', '/dashboard.css']) {
      const response = await fetch(new URL(path, dashboard.url), noRedirect());
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
    }
    const page = await fetch(dashboard.url, noRedirect({ headers: { Accept: 'text/html' } }));
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    const sync = await fetch(new URL('/api/sync', dashboard.url), { method: 'POST' });
    expect(sync.status).toBe(401);
    const login = await fetch(new URL('/login', dashboard.url));
    expect(login.status).toBe(200);
    const loginHtml = await login.text();
    expect(loginHtml).toContain('type="password"');
    expect(loginHtml).not.toContain(TOKEN);
  });

  it('refuses a wrong Bearer token and accepts the right one, on loopback too', async () => {
    const { dashboard, source } = await start({ token: TOKEN });
    const status = (authorization: string) => fetch(new URL('/api/status', dashboard.url), { headers: { Authorization: authorization } });
    expect((await status(`Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await status(`Bearer ${TOKEN.slice(0, -1)}`)).status).toBe(401);
    expect((await status(`Basic ${TOKEN}`)).status).toBe(401);
    const right = await status(`Bearer ${TOKEN}`);
    expect(right.status).toBe(200);
    expect(((await right.json()) as { format: string }).format).toBe('sync-dbs-status/1');
    // An API client with the Bearer token needs no page's CSRF token, but is still refused from another site.
    const sync = (headers: Record<string, string>) => fetch(new URL('/api/sync', dashboard.url), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, ...headers } });
    expect((await sync({ Origin: 'http://attacker.example' })).status).toBe(403);
    expect((await sync({})).status).toBe(200);
    expect(source.syncRequests).toBe(1);
  });

  it('lets a browser in through the login form, with a cookie that is not the token', async () => {
    const { dashboard, source, logLines } = await start({ token: TOKEN });
    const wrong = await fetch(new URL('/login', dashboard.url), noRedirect({ method: 'POST', body: new URLSearchParams({ token: 'guess' }) }));
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get('location')).toBe('/login?failed');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await (await fetch(new URL('/login?failed', dashboard.url))).text()).toContain('id="login-error"');

    const cookie = await loggedInCookie(dashboard.url);
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    const page = await fetch(dashboard.url, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain(TOKEN);
    expect((await fetch(new URL('/api/status', dashboard.url), { headers: { Cookie: `${SESSION_COOKIE}=forged` } })).status).toBe(401);

    // The cookie is ambient: "sync now" with it still needs the page's CSRF token.
    const sync = (headers: Record<string, string>) => fetch(new URL('/api/sync', dashboard.url), { method: 'POST', headers: { Cookie: cookie, ...headers } });
    expect((await sync({})).status).toBe(403);
    expect((await sync({ 'X-CSRF-Token': csrfTokenOf(html) })).status).toBe(200);
    expect(source.syncRequests).toBe(1);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(logLines.join('\n')).not.toContain(TOKEN.slice(0, 8));
  });

  it('refuses a login posted from another site', async () => {
    const { dashboard } = await start({ token: TOKEN });
    const response = await fetch(new URL('/login', dashboard.url), noRedirect({ method: 'POST', headers: { Origin: 'http://attacker.example' }, body: new URLSearchParams({ token: TOKEN }) }));
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});

describe('where the dashboard may listen', () => {
  it.each(['127.0.0.1', '127.4.5.6', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '192.168.0.10', '10.0.0.1', 'example.com', 'localhost.example.com', '128.0.0.1'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses to start beyond loopback without a token, and says why without starting anything', async () => {
    const source = new FakeDashboardSource(sampleStatus());
    const attempt = startDashboard({ host: '0.0.0.0', port: 0, token: null, source, log: silentLog });
    await expect(attempt).rejects.toBeInstanceOf(DashboardRefused);
    await expect(attempt).rejects.toThrow(/0\.0\.0\.0.*token/);
    expect(source.subscribers).toBe(0);
    await expect(startDashboard({ host: '127.0.0.1', port: 0, token: '', source, log: silentLog })).rejects.toBeInstanceOf(DashboardRefused);
  });

  it('starts beyond loopback with a token, and requires it there', async () => {
    const { dashboard } = await start({ host: '0.0.0.0', token: TOKEN });
    const { port } = new URL(dashboard.url);
    expect((await fetch(`http://127.0.0.1:${port}/api/status`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });
});
