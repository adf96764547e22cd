import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import { t } from '../i18n/i18n.js';
import type { LogSink } from '../log/log-sink.js';
import { dashboardPage } from './dashboard-page.js';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import type { DashboardSource } from './dashboard-source.js';
import { DASHBOARD_STYLESHEET } from './dashboard-styles.js';
import { LOGIN_STYLE_HASH, loginPage } from './login-page.js';
import { hostHeaderName, isLoopbackHost } from './loopback.js';
import { bearerToken, isCrossSite, randomSecret, sameSecret } from './request-guards.js';
import { SectionBroadcast } from './section-broadcast.js';

// The live dashboard's HTTP server (Hono on Node's http). Bound to loopback it
// needs no login; elsewhere only with a token, and a token once given is
// required on every route but the login page. The token itself is never put
// in a page, a log, a URL or the cookie: a login sets a random per-process
// session value instead.

export interface DashboardOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
  readonly source: DashboardSource;
  readonly log: LogSink;
}

export interface RunningDashboard {
  /** The address to open, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  close(): Promise<void>;
}

/** The dashboard would not start: bound beyond loopback without a token, or an empty token. */
export class DashboardRefused extends Error {
  override readonly name = 'DashboardRefused';
}

/** Why a request was refused, the `error` of the JSON answer. */
export type RefusalReason = 'unauthorized' | 'crossSite' | 'csrf' | 'wrongHost';

export const SESSION_COOKIE = 'sync-dbs-session';
export const CSRF_HEADER = 'X-CSRF-Token';
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#1f883d"/><path d="M4.5 8.5l2.5 2.5 4.5-5" fill="none" stroke="#fff" stroke-width="2"/></svg>';
const KEEP_ALIVE_MS = 25_000;

const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const LOGIN_POLICY = `default-src 'none'; style-src ${LOGIN_STYLE_HASH}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const { host, token, source, log } = options;
  const loopback = isLoopbackHost(host);
  if (token !== null && token.length === 0) throw new DashboardRefused(t('dashboard:refused.emptyToken'));
  if (!loopback && token === null) throw new DashboardRefused(t('dashboard:refused.noToken', { host }));

  const sessionValue = randomSecret();
  const csrfToken = randomSecret();
  const broadcast = new SectionBroadcast(source, log);
  const closeStreams = new Set<() => void>();

  /** How the request proved the token: `bearer`, `cookie`, or `none` needed; null when it did not. */
  const credential = (c: Context): 'bearer' | 'cookie' | 'none' | null => {
    if (token === null) return 'none';
    const bearer = bearerToken(c.req.header('authorization'));
    if (bearer !== null) return sameSecret(bearer, token) ? 'bearer' : null;
    const cookie = getCookie(c, SESSION_COOKIE);
    return cookie !== undefined && sameSecret(cookie, sessionValue) ? 'cookie' : null;
  };
  const crossSite = (c: Context): boolean =>
    isCrossSite({ origin: c.req.header('origin'), secFetchSite: c.req.header('sec-fetch-site'), host: c.req.header('host') });
  const refuse = (c: Context, status: 401 | 403 | 421, reason: RefusalReason): Response => {
    const message = t(`dashboard:http.${reason}`);
    log.warn(t('dashboard:log.refused', { method: c.req.method, path: c.req.path, reason: message }));
    if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="sync-dbs"');
    return c.json({ error: reason, message }, status);
  };

  const app = new Hono();
  app.use('*', async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Content-Security-Policy', PAGE_POLICY);
    // On loopback, a page of another site whose name was made to point here (DNS rebinding) is not answered.
    if (loopback && !isLoopbackHost(hostHeaderName(c.req.header('host') ?? ''))) return refuse(c, 421, 'wrongHost');
    await next();
  });
  app.use('*', bodyLimit({ maxSize: 4096, onError: (c) => c.json({ error: 'tooLarge' }, 413) }));

  app.get('/login', (c) => {
    c.header('Content-Security-Policy', LOGIN_POLICY);
    return c.html(loginPage(c.req.query('failed') !== undefined));
  });
  app.post('/login', async (c) => {
    if (crossSite(c)) return refuse(c, 403, 'crossSite');
    if (token === null) return c.redirect('/', 303);
    const form = await c.req.parseBody();
    const given = typeof form.token === 'string' ? form.token : '';
    if (!sameSecret(given, token)) {
      log.warn(t('dashboard:log.loginFailed'));
      return c.redirect('/login?failed', 303);
    }
    setCookie(c, SESSION_COOKIE, sessionValue, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect('/', 303);
  });

  app.use('*', async (c, next) => {
    if (credential(c) !== null) return next();
    const wantsPage = c.req.method === 'GET' && !c.req.path.startsWith('/api/') && c.req.path !== '/events';
    if (wantsPage && (c.req.header('accept') ?? '').includes('text/html')) return c.redirect('/login', 303);
    return refuse(c, 401, 'unauthorized');
  });

  app.get('/', (c) => c.html(dashboardPage(source.status(), csrfToken)));
  app.get('/dashboard.css', (c) => c.body(DASHBOARD_STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/dashboard.js', (c) => c.body(DASHBOARD_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/favicon.svg', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get('/api/status', (c) => c.json(source.status()));
  app.post('/api/sync', (c) => {
    if (crossSite(c)) return refuse(c, 403, 'crossSite');
    // A Bearer header is no browser's ambient credential: only the page's requests need the CSRF token.
    if (credential(c) !== 'bearer' && !sameSecret(c.req.header(CSRF_HEADER) ?? '', csrfToken)) return refuse(c, 403, 'csrf');
    const answer = source.requestSync();
    log.info(answer === 'started' ? t('dashboard:log.syncStarted') : t('dashboard:log.syncQueued'));
    return c.json({ answer });
  });
  app.get('/events', (c) => {
    const response = streamSSE(c, async (stream) => {
      let ended!: () => void;
      const done = new Promise<void>((resolve) => (ended = resolve));
      const leave = broadcast.join((payload) => void stream.writeSSE({ data: payload }).catch(ended));
      const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n').catch(ended), KEEP_ALIVE_MS);
      closeStreams.add(ended);
      stream.onAbort(ended);
      const first = broadcast.payload();
      if (first !== null) await stream.writeSSE({ data: first }).catch(ended);
      await done;
      clearInterval(keepAlive);
      leave();
      closeStreams.delete(ended);
    });
    response.headers.set('Cache-Control', 'no-store');
    return response;
  });
  app.notFound((c) => c.json({ error: 'notFound' }, 404));
  app.onError((error, c) => {
    log.error(t('dashboard:log.error', { message: error.message }));
    return c.json({ error: 'internal' }, 500);
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    broadcast.close();
    throw error;
  });
  server.on('error', (error) => log.error(t('dashboard:log.error', { message: error.message })));
  const url = dashboardUrl(host, server.address() as AddressInfo);

  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        broadcast.close();
        for (const end of closeStreams) end();
        // The ended event streams become idle connections a moment later; a request still answering gets a second.
        const idle = setInterval(() => server.closeIdleConnections(), 20);
        const cut = setTimeout(() => server.closeAllConnections(), 1000);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function dashboardUrl(host: string, address: AddressInfo): string {
  const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}:${address.port}/`;
}
