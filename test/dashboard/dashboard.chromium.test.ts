import { describe, expect, it } from 'vitest';
import { openWatchedPage, useChromium } from '../support/headless-chromium.js';
import { useDashboards } from './support/dashboard-fixture.js';
import { sampleServer, sampleStatus } from './support/sample-status.js';

// The dashboard in headless Chromium against the real server: what a reader
// sees, live changes without reload, the button, and the login. Every
// request goes to the dashboard's own address.

const TOKEN = 'chromium-token-0123456789';
const start = useDashboards();

describe('the dashboard in a browser', () => {
  const browser = useChromium();
  const openPage = (url: string) => openWatchedPage(browser(), url);

  it('renders the servers and changes a server to down live, without reloading', async () => {
    const { dashboard, source } = await start();
    const { page, foreign, errors } = await openPage(dashboard.url);
    await page.locator('#live[data-connected="true"]').waitFor();
    const cards = page.locator('#servers article.server-card');
    expect(await cards.evaluateAll((articles) => articles.map((article) => [article.getAttribute('data-server'), article.getAttribute('data-state')]))).toEqual([
      ['primary', 'up'],
      ['backup-sp', 'up'],
      ['backup-rj', 'down'],
    ]);
    expect(await page.locator('#servers [data-server="primary"] .badge').innerText()).toMatch(/up/);
    await page.evaluate("window.marker = 'same page'");

    const status = sampleStatus();
    source.set({ ...status, mode: 'failover', servers: status.servers.map((server) => (server.name === 'primary' ? sampleServer({ state: 'down', consecutiveFailures: 3, consecutiveSuccesses: 0, latencyMs: null }) : server)) });

    await page.locator('#servers [data-server="primary"][data-state="down"]').waitFor();
    expect(await page.locator('#servers [data-server="primary"] .badge').innerText()).toMatch(/down/);
    expect(await page.locator('#summary .mode').innerText()).toMatch(/Failover mode/);
    expect(await page.evaluate('window.marker')).toBe('same page');

    source.set(status);
    await page.locator('#servers [data-server="primary"][data-state="up"]').waitFor();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('"sync now" posts the request, and is disabled while the run it started runs', async () => {
    const { dashboard, source } = await start();
    const { page, errors } = await openPage(dashboard.url);
    await page.locator('#live[data-connected="true"]').waitFor();

    await page.locator('#sync-now').click();

    await page.locator('#sync-answer', { hasText: 'Sync started.' }).waitFor();
    expect(source.syncRequests).toBe(1);
    source.set(sampleStatus({ running: { trigger: 'manual', startedAt: '2026-03-10T14:59:00.000Z' } }));
    await page.locator('#sync-now[data-running="true"]').waitFor();
    expect(await page.locator('#sync-now').isDisabled()).toBe(true);
    expect(await page.locator('#sync-now').innerText()).toMatch(/in progress/);
    source.set(sampleStatus());
    await page.locator('#sync-now[data-running="false"]').waitFor();
    expect(await page.locator('#sync-now').isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  it('with a token, refuses the page without it and lets the login form in', async () => {
    const { dashboard, source } = await start({ token: TOKEN });
    const refused = await fetch(dashboard.url, { redirect: 'manual' });
    expect(refused.status).toBe(401);

    const { page, errors } = await openPage(dashboard.url);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.locator('#token').fill('not the token');
    await page.locator('button[type="submit"]').click();
    await page.locator('#login-error').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.locator('#token').fill(TOKEN);
    await page.locator('button[type="submit"]').click();
    await page.locator('#live[data-connected="true"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(page.url()).not.toContain(TOKEN);
    expect(await page.content()).not.toContain(TOKEN);
    expect(await page.locator('#servers article.server-card').count()).toBe(3);
    expect((await page.context().cookies()).map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite, cookie.value === TOKEN])).toEqual([['sync-dbs-session', true, 'Strict', false]]);

    source.set(sampleStatus({ servers: [sampleServer({ state: 'asleep' })] }));
    await page.locator('#servers [data-server="primary"][data-state="asleep"]').waitFor();
    await page.locator('#sync-now').click();
    await page.locator('#sync-answer', { hasText: 'Sync started.' }).waitFor();
    expect(source.syncRequests).toBe(1);
    expect(errors.filter((error) => !/401/.test(error))).toEqual([]);
    await page.close();
  }, 30_000);
});
