import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/html-report.js';
import type { RunSummary, StatusReport } from '../../../src/state/run-records.js';
import { aHistory, aJournalEntry, aRun, aStatus } from '../support/run-history-builders.js';

const GENERATED_AT = new Date('2025-06-02T12:00:00.000Z');

function render(runs: readonly RunSummary[], status: StatusReport = aStatus(), text: string | null = 'Result: in sync.\n'): string {
  const lastRun = runs[0];
  return renderHtmlReport({
    generatedAt: GENERATED_AT,
    status,
    runs,
    lastReport: lastRun === undefined ? null : { runId: lastRun.id, text },
    version: '1.2.3',
  });
}

/** The chart's SVG alone, without the legend's swatches. */
function chartSvgOf(html: string): string {
  const start = html.indexOf('<svg class="chart"');
  return start === -1 ? '' : html.slice(start, html.indexOf('</svg>', start));
}

function count(html: string, pattern: RegExp): number {
  return [...html.matchAll(pattern)].length;
}

describe('renderHtmlReport: the page', () => {
  it('is one HTML5 document with every section', () => {
    const html = render(aHistory(3));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    for (const id of ['status', 'history-chart', 'history', 'last-report']) expect(html).toContain(`<section id="${id}"`);
    expect(html).toContain('sync-dbs 1.2.3');
    expect(html).toContain('Generated 2025-06-02 12:00:00 UTC');
  });

  it('loads nothing and runs nothing: no scripts, no links, no external URLs', () => {
    const html = render(aHistory(5));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|base)\b/i);
    expect(html).not.toMatch(/\s(src|href|srcset|xlink:href)=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;`);
  });

  it('never shows server URLs', () => {
    const runs = [aRun(1, { servers: [{ server: 'primary', url: 'https://user:hunter2@primary.example.com', users: 1, licenses: 2 }] })];
    const html = render(runs, aStatus({ health: 'healthy', lastRun: runs[0] ?? null }));
    expect(html).not.toContain('hunter2');
    expect(html).not.toContain('primary.example.com');
  });
});

describe('renderHtmlReport: escaping', () => {
  const evil = `<script>alert(1)</script> & "x"`;

  it('escapes verdicts, commands, keys and details wherever they appear', () => {
    const run = aRun(1, { outcome: 'failed', verdict: evil, command: '<i>sync</i>' });
    const status = aStatus({
      health: 'failing',
      summary: `summary ${evil}`,
      lastRun: run,
      unfinished: [aJournalEntry(1, { key: 'license:<img src=x onerror=alert(2)>', detail: evil })],
      running: { pid: 1, hostname: '<b>host</b>', startedAt: '2025-06-02T11:59:00.000Z', command: 'sync' },
    });
    const html = render([run], status, `report ${evil}\n`);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<i>sync');
    expect(html).not.toContain('<b>host');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(html).toContain('license:&lt;img src=x onerror=alert(2)&gt;');
  });
});

describe('renderHtmlReport: the sections', () => {
  it('says there are no runs yet for an empty history', () => {
    const html = render([]);
    expect(html).toContain('There are no runs yet');
    expect(html).toContain('<section id="history-chart" data-runs="0">');
    expect(html).toContain('<section id="history" data-runs="0">');
    expect(html).not.toContain('<svg class="chart"');
    expect(html).toContain('data-health="never-run">never run</span>');
  });

  it('charts the last 100 runs but lists them all', () => {
    const html = render(aHistory(150));
    expect(count(chartSvgOf(html), /<g class="run" /g)).toBe(100);
    expect(count(html, /<tr data-run-id=/g)).toBe(150);
    expect(html).toContain('The last 100 of 150 runs');
  });

  it('gives each chart run and table row its id and outcome', () => {
    const runs = [aRun(3, { outcome: 'refused' }), aRun(2, { outcome: 'changes-pending' }), aRun(1)];
    const html = render(runs);
    expect([...html.matchAll(/<g class="run" data-run-id="(\d+)" data-outcome="([a-z-]+)" data-failure="(true|false)"/g)].map((m) => m.slice(1))).toEqual([
      ['1', 'in-sync', 'false'],
      ['2', 'changes-pending', 'false'],
      ['3', 'refused', 'true'],
    ]);
    expect([...html.matchAll(/<tr data-run-id="(\d+)" data-outcome="([a-z-]+)"/g)].map((m) => m.slice(1))).toEqual([
      ['3', 'refused'],
      ['2', 'changes-pending'],
      ['1', 'in-sync'],
    ]);
    expect(count(chartSvgOf(html), /class="failure-marker" d=/g)).toBe(1);
  });

  it('lists unfinished operations, capped', () => {
    const run = aRun(1, { outcome: 'failed' });
    const unfinished = Array.from({ length: 205 }, (_, index) => aJournalEntry(index + 1));
    const html = render([run], aStatus({ health: 'failing', lastRun: run, unfinished }));
    expect(html).toContain('<div id="unfinished" data-count="205">');
    expect(count(html, /<tr data-status="failed">/g)).toBe(200);
    expect(html).toContain('… and 5 more.');
  });

  it('says when no report was kept for the last run', () => {
    const html = render([aRun(4)], aStatus(), null);
    expect(html).toContain('No report was kept for run #4.');
    expect(html).not.toContain('<pre');
  });
});
