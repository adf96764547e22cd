import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openWatchedPage, useChromium } from '../support/headless-chromium.js';
import { useServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { leaksIn } from './support/e2e-helpers.js';
import { renderAndKoyeb } from './support/round-trip.js';
import { finishedRuns, serverIn, startServe, type ServeRun } from './support/serve-process.js';

// Issue 17's dashboard acceptance: the page of the real `sync-dbs serve`
// process, against emulators, in a real headless Chromium. It shows every
// server, follows a backup going down and coming back without a reload, starts
// a run with "sync now", keeps out whoever lacks the token, and speaks
// Portuguese when told to. Waits are the browser's own (auto-waiting locators)
// or polls of /api/status, with deadlines.

const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });

const TOKEN = 'serve-dashboard-token-Kp4Wz8Qx';
/** Fast watchdog: a backup is down after two failed checks of a second each, back after two answered ones. */
const WATCHDOG = ['--health-interval', '1', '--down-after', '2', '--up-after', '2'];
/** A state change takes a few checks of a second; the rest is slack for a loaded machine. */
const LIVE_DEADLINE_MS = 20_000;

const LICENSES = Array.from({ length: 6 }, (_, index) => allowedLicense(`D-${index}`));

const browser = useChromium();
const openPage = (url: string) => openWatchedPage(browser(), url, { timeoutMs: LIVE_DEADLINE_MS });

function cardStates(page: Page): Promise<string[][]> {
  return page.locator('#servers article.server-card').evaluateAll((cards) => cards.map((card) => [card.getAttribute('data-server') ?? '', card.getAttribute('data-state') ?? '']));
}

/** Every file under `dir` (the state database and the daily logs included), read as latin1 text. */
async function filesUnder(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = await readFile(path.join(entry.parentPath, entry.name), 'latin1');
  }
  return files;
}

async function stopServe(serve: ServeRun) {
  const ended = await serve.stop('SIGTERM');
  expect(ended.exitCode, ended.stderr).toBe(0);
  return ended;
}

/** Serve started, its run at start finished and every server seen up. */
async function servedAndSettled(args: readonly string[], token?: string): Promise<ServeRun> {
  const g = group();
  await g.load(datasetOf({ licenses: LICENSES }), datasetOf({}), datasetOf({}));
  const serve = await startServe(g, [...WATCHDOG, ...args]);
  await serve.waitFor(
    'the run at start and every server up',
    (s) => (finishedRuns(s, 'start').length > 0 && s.running === null && s.servers.every((server) => server.state === 'up') ? true : undefined),
    30_000,
    token,
  );
  return serve;
}

describe('the dashboard of sync-dbs serve in headless Chromium', () => {
  it('shows every server, follows a backup down and back without reloading, and "sync now" starts a run', { timeout: 60_000 }, async () => {
    const g = group();
    const { koyeb } = renderAndKoyeb(g);
    const serve = await servedAndSettled([]);
    try {
      const { page, foreign, errors } = await openPage(serve.url);
      await page.locator('#live[data-connected="true"]').waitFor();
      expect(await cardStates(page)).toEqual([
        ['primary', 'up'],
        ['render', 'up'],
        ['koyeb', 'up'],
      ]);
      await page.evaluate("window.marker = 'the same page'");

      // koyeb stops: its card turns down on the open page.
      await koyeb.stop();
      await page.locator('#servers [data-server="koyeb"][data-state="down"]').waitFor();
      expect(await page.locator('#servers [data-server="koyeb"] .badge').first().innerText()).toMatch(/down/);
      expect(await cardStates(page)).toEqual([
        ['primary', 'up'],
        ['render', 'up'],
        ['koyeb', 'down'],
      ]);
      expect(await page.locator('#summary .mode').getAttribute('data-mode'), 'a backup down is no failover').toBe('primary');

      // koyeb starts again: back up on the same page; its return syncs it.
      await koyeb.start();
      await page.locator('#servers [data-server="koyeb"][data-state="up"]').waitFor();
      expect(await page.evaluate('window.marker'), 'the page was not reloaded').toBe('the same page');
      await serve.waitFor('the backup-back run finished', (s) => (finishedRuns(s, 'backup-back').length > 0 && s.running === null ? true : undefined));

      // "Sync now": the page says it started, the run shows in the table, and /api/status lists it as manual.
      const button = page.locator('#sync-now[data-running="false"]');
      await button.waitFor();
      await button.click();
      await page.locator('#sync-answer', { hasText: 'Sync started.' }).waitFor();
      const manual = await serve.waitFor('the manual run finished', (s) => (s.running === null ? finishedRuns(s, 'manual')[0] : undefined));
      expect(manual.exitCode, serve.output()).toBe(0);
      await page.locator(`#runs tr[data-run-id="${manual.id}"]`, { hasText: 'sync now (by hand)' }).waitFor();
      expect(await page.evaluate('window.marker')).toBe('the same page');

      expect(foreign, 'requests to anywhere but the dashboard').toEqual([]);
      expect(errors, 'errors on the page').toEqual([]);
      await page.close();
    } finally {
      await stopServe(serve);
    }
  });

  it('with a token: refuses /api/status and the page without it, lets the login form in, and never shows the token', { timeout: 60_000 }, async () => {
    const serve = await servedAndSettled(['--host', '127.0.0.1', '--dashboard-token', TOKEN], TOKEN);
    let stdout = '';
    let stderr = '';
    const pages: Record<string, string> = {};
    try {
      const refused = await fetch(new URL('/api/status', serve.url));
      expect(refused.status).toBe(401);
      expect((await fetch(new URL('/events', serve.url))).status).toBe(401);
      expect((await fetch(serve.url, { redirect: 'manual', headers: { accept: 'text/html' } })).status).toBe(303);
      expect((await serve.status(TOKEN)).servers.map((server) => server.name)).toEqual(['primary', 'render', 'koyeb']);

      const { page, errors } = await openPage(serve.url);
      expect(new URL(page.url()).pathname, 'where the page without the token goes').toBe('/login');
      pages.login = await page.content();
      await page.locator('#token').fill('not-the-token');
      await page.locator('button[type="submit"]').click();
      await page.locator('#login-error').waitFor();
      await page.locator('#token').fill(TOKEN);
      await page.locator('button[type="submit"]').click();
      await page.locator('#live[data-connected="true"]').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      expect(await cardStates(page)).toEqual([
        ['primary', 'up'],
        ['render', 'up'],
        ['koyeb', 'up'],
      ]);
      pages.dashboard = await page.content();
      pages.url = page.url();
      pages.cookies = JSON.stringify(await page.context().cookies());
      expect(errors.filter((error) => !/401/.test(error)), 'errors on the page').toEqual([]);
      await page.close();
    } finally {
      ({ stdout, stderr } = await stopServe(serve));
    }
    const stateFiles = await filesUnder(group().stateDir);
    expect(Object.keys(stateFiles).some((file) => file.startsWith('logs')), `a daily log among ${Object.keys(stateFiles).join(', ')}`).toBe(true);
    expect(leaksIn([TOKEN], { stdout, stderr, ...pages, ...stateFiles }), 'where the token shows').toEqual([]);
  });

  it('speaks Brazilian Portuguese with --lang pt-BR', { timeout: 60_000 }, async () => {
    const serve = await servedAndSettled(['--lang', 'pt-BR']);
    try {
      expect((await serve.status()).language).toBe('pt-BR');
      const { page, errors } = await openPage(serve.url);
      await page.locator('#live[data-connected="true"]').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('pt-BR');
      expect(await page.title()).toBe('Painel do sync-dbs');
      expect(await page.locator('#live').innerText()).toBe('ao vivo');
      expect(await page.locator('#summary .mode').innerText()).toMatch(/Modo principal/);
      expect(await page.locator('#servers [data-server="primary"] .badge').first().innerText()).toMatch(/no ar/);
      expect(await page.locator('#sync-now').innerText()).toBe('Sincronizar agora');
      expect(await page.locator('#runs').innerText()).toMatch(/Histórico de execuções/);
      expect(serverIn(await serve.status(), 'render').state).toBe('up');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await stopServe(serve);
    }
  });
});
