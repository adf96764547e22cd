import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/html-report.js';
import type { RunOutcome, RunSummary } from '../../../src/state/run-records.js';
import { BROWSER_TIMEOUT_MS, collectPageErrors, useChromium } from '../../support/headless-chromium.js';
import { aJournalEntry, aRun, aStatus } from '../support/run-history-builders.js';

// Opens the written page in headless Chromium, with every request other than
// the file itself aborted and recorded, and checks what a reader would see.
// The page shows local times with their offset: the machine's time zone is
// pinned to São Paulo's.

const machineTimeZone = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'America/Sao_Paulo';
});
afterEach(() => {
  if (machineTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineTimeZone;
});


const EVIL_VERDICT = `failed: device <script>window.__injected = true; alert(1)</script> & "quoted" rejected.`;
const EVIL_KEY = 'license:<img src="https://attacker.example/x.png" onerror="alert(2)">';
const OUTCOMES: readonly RunOutcome[] = ['in-sync', 'in-sync', 'failed', 'changes-pending', 'in-sync', 'refused', 'in-sync', 'interrupted', 'unreachable', 'in-sync', 'failed', 'failed'];
const FAILURES = [3, 6, 8, 9, 11, 12];
const LAST_REPORT = `sync-dbs sync: primary → backup\n\nFailed (1):\n  ~ license dev-9 <b>not bold</b>: HTTP 500\n\nResult: ${EVIL_VERDICT}\n`;

function history(): RunSummary[] {
  const runs = OUTCOMES.map((outcome, index) => {
    const id = index + 1;
    const failed = outcome === 'failed' ? 2 : 0;
    return aRun(id, { outcome, operations: { planned: id + failed, done: id, failed, notSent: outcome === 'interrupted' ? 3 : 0 } });
  });
  const last = runs.at(-1) as RunSummary;
  runs[runs.length - 1] = { ...last, verdict: EVIL_VERDICT };
  return runs.reverse();
}

/** Some ICU versions put a narrow no-break space before AM/PM. */
function plainSpaces(text: string): string {
  return text.replace(/\u202f/g, ' ');
}

interface LoadedPage {
  readonly page: Page;
  readonly fileUrl: string;
  /** Every request the page attempted, the file included. */
  readonly requests: string[];
  readonly dialogs: string[];
  readonly errors: string[];
}

describe('the HTML report in Chromium', () => {
  const browser = useChromium();
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sync-dbs-html-report-'));
  });

  afterAll(async () => {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  async function open(name: string, html: string): Promise<LoadedPage> {
    const file = join(folder, name);
    await writeFile(file, html, 'utf8');
    const fileUrl = pathToFileURL(file).href;
    const context = await browser().newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const errors = collectPageErrors(page);
    await page.route('**/*', (route) => (route.request().url() === fileUrl ? route.continue() : route.abort('blockedbyclient')));
    await page.goto(fileUrl, { waitUntil: 'load' });
    return { page, fileUrl, requests, dialogs, errors };
  }

  it(
    'the network guard sees and blocks a page that does load something',
    async () => {
      const leaky = `<!DOCTYPE html><html><head><link rel="stylesheet" href="https://example.invalid/style.css"></head><body><img src="https://example.invalid/pixel.png"></body></html>`;
      const { page, fileUrl, requests } = await open('leaky.html', leaky);
      expect(requests.filter((url) => url !== fileUrl)).toEqual(['https://example.invalid/style.css', 'https://example.invalid/pixel.png']);
      await page.context().close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'shows the status, the chart, the table and the last report, escaped, loading nothing else',
    async () => {
      const runs = history();
      const lastRun = runs[0] as RunSummary;
      const lastSuccess = runs.find((run) => run.outcome === 'in-sync') as RunSummary;
      const status = aStatus({
        health: 'failing',
        summary: 'The last 2 runs failed; the last success was run #10.',
        lastRun,
        lastSuccess,
        sinceLastSuccessMs: 7_200_000,
        consecutiveFailures: 2,
        stale: false,
        running: { pid: 4242, hostname: 'cron-host', startedAt: '2025-06-02T11:59:00.000Z', command: 'sync' },
        unfinished: [aJournalEntry(1, { runId: 12, key: EVIL_KEY, detail: 'HTTP 500 & <retry>' }), aJournalEntry(2, { runId: 12, status: 'sent', detail: null })],
      });
      const html = renderHtmlReport({
        generatedAt: new Date('2025-06-02T12:00:00.000Z'),
        status,
        runs,
        lastReport: { runId: lastRun.id, text: LAST_REPORT },
        version: '9.9.9',
      });
      const { page, fileUrl, requests, dialogs, errors } = await open('report.html', html);

      // Self-contained: the file was the only request, nothing ran, nothing complained.
      expect(requests).toEqual([fileUrl]);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      // Page functions as strings: the project compiles without the DOM library.
      expect(await page.evaluate("document.querySelectorAll('script, img, link, iframe, object, embed').length")).toBe(0);
      expect(await page.evaluate('typeof window.__injected')).toBe('undefined');

      // Status.
      const badge = page.locator('#health-badge');
      expect(await badge.isVisible()).toBe(true);
      expect(await badge.innerText()).toBe('failing');
      expect(await page.locator('#status-summary').innerText()).toBe('The last 2 runs failed; the last success was run #10.');
      expect(await page.locator('#last-run dd').innerText()).toContain(EVIL_VERDICT);
      expect(plainSpaces(await page.locator('#last-success dd').innerText())).toMatch(/^#10 at 06\/01\/2025 07:00:03 UTC-03:00 \(2 h ago\)$/);
      expect(await page.locator('#consecutive-failures dd').innerText()).toBe('2');
      expect(await page.locator('#running-now dd').innerText()).toContain('pid 4242 on cron-host');
      const unfinished = page.locator('#unfinished tbody tr');
      expect(await unfinished.count()).toBe(2);
      expect(await unfinished.first().innerText()).toContain(EVIL_KEY);
      expect(await unfinished.first().innerText()).toContain('HTTP 500 & <retry>');

      // Chart: one bar per run, oldest first; one red cross per failed run.
      const chartRuns = page.locator('#history-chart svg.chart g.run');
      expect(await chartRuns.count()).toBe(12);
      expect(await chartRuns.evaluateAll((groups) => groups.map((group) => Number(group.getAttribute('data-run-id'))))).toEqual(OUTCOMES.map((_, index) => index + 1));
      const bars = page.locator('#history-chart svg.chart rect.ops-bar');
      expect(await bars.count()).toBe(12);
      for (const bar of await bars.all()) expect(await bar.isVisible()).toBe(true);
      const markers = page.locator('#history-chart svg.chart g.run .failure-marker');
      expect(await markers.count()).toBe(FAILURES.length);
      for (const marker of await markers.all()) expect(await marker.isVisible()).toBe(true);
      expect(await page.locator('#history-chart g.run[data-failure="true"]').evaluateAll((groups) => groups.map((group) => Number(group.getAttribute('data-run-id'))))).toEqual(FAILURES);
      const markerColours = await markers.evaluateAll((paths) => paths.map((path) => path.ownerDocument.defaultView?.getComputedStyle(path).stroke));
      expect(new Set(markerColours)).toEqual(new Set(['rgb(207, 34, 46)']));
      // The interrupted run has no duration, so no dot.
      expect(await page.locator('#history-chart svg.chart circle.duration-dot').count()).toBe(11);
      expect(await page.locator('#history-chart g.run[data-run-id="12"] > title').textContent()).toContain(EVIL_VERDICT);
      expect(await page.locator('#history-chart svg.chart').innerHTML()).toContain('Duration (s)');
      expect(await page.locator('#history-chart .legend').innerText()).toContain('Failed, refused, unreachable or interrupted run');

      // Table: newest first, with the outcomes shown.
      const rows = page.locator('#history tbody tr');
      expect(await rows.count()).toBe(12);
      expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-run-id'), tr.getAttribute('data-outcome'), tr.children[3]?.textContent]))).toEqual(
        [...OUTCOMES].reverse().map((outcome, index) => [String(12 - index), outcome, outcome]),
      );
      expect(await rows.first().locator('td.verdict').innerText()).toBe(EVIL_VERDICT);

      // The last report, as printed.
      const report = page.locator('#last-report pre');
      expect(await report.isVisible()).toBe(true);
      expect(await page.locator('#last-report h2').innerText()).toBe('Report of run #12');
      expect(await report.innerText()).toBe(LAST_REPORT);

      // Still nothing else was requested after looking around.
      expect(requests).toEqual([fileUrl]);
      expect(dialogs).toEqual([]);

      const screenshot = join(folder, 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      const png = await readFile(screenshot);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBeGreaterThan(0);
      expect(png.readUInt32BE(20)).toBeGreaterThan(900);
      await page.context().close();
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'says there are no runs yet when nothing was recorded',
    async () => {
      const html = renderHtmlReport({ generatedAt: new Date('2025-06-02T12:00:00.000Z'), status: aStatus(), runs: [], lastReport: null, version: '9.9.9' });
      const { page, fileUrl, requests, dialogs, errors } = await open('empty.html', html);
      expect(requests).toEqual([fileUrl]);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.locator('#health-badge').innerText()).toBe('never run');
      expect(await page.locator('#no-runs').innerText()).toContain('There are no runs yet');
      expect(await page.locator('#history-chart svg').count()).toBe(0);
      expect(await page.locator('#history tbody tr').count()).toBe(0);
      expect(await page.locator('#last-report').innerText()).toContain('No runs yet.');
      await page.context().close();
    },
    BROWSER_TIMEOUT_MS,
  );
});
