import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useChromium } from '../support/headless-chromium.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { seedForFailures } from './support/e2e-helpers.js';

// `sync-dbs report --html` after real recorded runs, opened in headless Chromium.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

describe('sync-dbs report --html', () => {
  const browser = useChromium();

  it('shows the recorded runs, failures marked, the status and the last report', async () => {
    const p = pair();
    const licenses = Array.from({ length: 6 }, (_, index) => allowedLicense(`HTML-${index}`));
    await p.load(datasetOf({ licenses }), datasetOf({ licenses: licenses.slice(0, 3) }));
    expect((await p.cli(['--quiet'])).exitCode).toBe(0);
    await p.load(datasetOf({ licenses }), datasetOf({ licenses: licenses.slice(0, 5) }));
    const seed = seedForFailures(0.9, ['pass', 'fail']);
    await p.backup.control.setFaults({ seed, failures: { rate: 0.9, kinds: ['503'], scope: 'writes', afterHandlerShare: 0 } });
    expect((await p.cli(['--quiet', '--retries', '1'])).exitCode).toBe(1);
    await p.backup.control.setFaults({});
    expect((await p.cli(['--quiet'])).exitCode).toBe(0);
    const file = path.join(p.stateDir, 'report.html');

    const written = await p.cli(['report', '--html', 'report.html']);

    expect(written.exitCode, written.stderr).toBe(0);
    expect(written.stdout).toContain(file);
    const page = await browser().newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(file).href;
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort('blockedbyclient')));
    await page.goto(url);
    expect(requests).toEqual([url]);
    expect(await page.locator('#health-badge').innerText()).toMatch(/healthy/i);
    const rows = page.locator('#history tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-run-id'), tr.getAttribute('data-outcome')]))).toEqual([
      ['3', 'in-sync'],
      ['2', 'failed'],
      ['1', 'in-sync'],
    ]);
    expect(await page.locator('#history-chart svg.chart g.run').count()).toBe(3);
    expect(await page.locator('#history-chart g.run[data-failure="true"]').evaluateAll((groups) => groups.map((group) => group.getAttribute('data-run-id')))).toEqual(['2']);
    const lastReport = await page.locator('#last-report pre').innerText();
    expect(lastReport).toContain('sync-dbs sync:');
    expect(lastReport).toContain('In sync: 1 write applied and verified.');
    await page.close();
    expect(await readFile(file, 'utf8')).not.toMatch(/<script|(?:src|href|url)\s*[=(]\s*["']?https?:/i);
  }, 40_000);

  it('writes a page saying there are no runs yet for an empty state directory', async () => {
    const p = pair();
    const run = await p.cli(['report', '--html', 'empty.html']);
    expect(run.exitCode).toBe(0);
    const page = await browser().newPage();
    await page.goto(pathToFileURL(path.join(p.stateDir, 'empty.html')).href);
    expect(await page.locator('#no-runs').innerText()).toMatch(/no runs yet/);
    expect(await page.locator('#health-badge').innerText()).toMatch(/never run/i);
    await page.close();
  }, 40_000);

  it('is written in Brazilian Portuguese under SYNC_DBS_LANG=pt-BR: lang="pt-BR", Portuguese headings, numbers and local times', async () => {
    const p = pair();
    const licenses = Array.from({ length: 1050 }, (_, index) => allowedLicense(`PT-${index}`));
    await p.load(datasetOf({ licenses }), datasetOf({ licenses }));
    const portuguese = { SYNC_DBS_LANG: 'pt-BR', TZ: 'America/Sao_Paulo' };
    expect((await p.cli(['--quiet'], { env: portuguese })).exitCode).toBe(0);

    const written = await p.cli(['report', '--html', 'relatorio.html'], { env: portuguese });

    expect(written.exitCode, written.stderr).toBe(0);
    const page = await browser().newPage();
    await page.goto(pathToFileURL(path.join(p.stateDir, 'relatorio.html')).href);
    expect(await page.evaluate('document.documentElement.lang')).toBe('pt-BR');
    expect(await page.locator('h2').allInnerTexts()).toEqual(['Situação atual', 'Histórico de execuções', 'Execuções', 'Relatório da execução #1']);
    expect(await page.locator('#health-badge').innerText()).toBe('saudável');
    expect(await page.locator('#last-run .servers').innerText()).toMatch(/^primary: \d+ revendedor(?:es)?, 1\.050 licenças; backup: \d+ revendedor(?:es)?, 1\.050 licenças$/);
    expect(await page.locator('#history tbody td.outcome').innerText()).toBe('em sincronia');
    expect(await page.locator('#history tbody td.time').innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} UTC-03:00$/);
    expect(await page.locator('footer').innerText()).toContain('(UTC-03:00)');
    await page.close();
  }, 60_000);
});
