import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../../src/i18n/i18n.js';
import { renderHtmlReport } from '../../../src/report/html/html-report.js';
import type { RunSummary, StatusReport } from '../../../src/state/run-records.js';
import { aHistory, aJournalEntry, aRun, aStatus } from '../support/run-history-builders.js';

const GENERATED_AT = new Date('2025-06-02T12:00:00.000Z');

// The page shows local times with their offset: the machine's time zone is pinned to São Paulo's.
const machineTimeZone = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'America/Sao_Paulo';
});
afterEach(() => {
  setLanguage('en');
  if (machineTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineTimeZone;
});

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

/** Some ICU versions put a narrow no-break space before AM/PM. */
function plainSpaces(text: string): string {
  return text.replace(/\u202f/g, ' ');
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
    expect(plainSpaces(html)).toContain('Generated 06/02/2025 09:00:00 UTC-03:00 by sync-dbs 1.2.3.');
    expect(html).toContain('Times are in this machine&#39;s time zone (UTC-03:00).');
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

/** What a reader sees: the text between the tags, without the style sheet. */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/g, ' ');
}

/** Words of the English page that no Portuguese page has. */
const ENGLISH_WORDS = /\b(the|of|and|yet|never|ago|took|started|at|runs?|failed|done|operations?|duration|status|report|generated|times|healthy|failing|stale|server|key|detail|verdict|planned|command|outcome|exit|since|last|success|every|running|unfinished|more|oldest|newest)\b/i;

describe('renderHtmlReport in Brazilian Portuguese', () => {
  beforeEach(() => setLanguage('pt-BR'));

  function portuguesePage(): string {
    const runs = [
      aRun(3, { outcome: 'failed', verdict: null, operations: { planned: 12345, done: 12000, failed: 345, notSent: 0 } }),
      aRun(2, { outcome: 'interrupted', verdict: null }),
      aRun(1, { verdict: null }),
    ];
    const status = aStatus({
      health: 'failing',
      summary: '',
      lastRun: runs[0] ?? null,
      lastSuccess: runs[2] ?? null,
      sinceLastSuccessMs: 7_200_000,
      consecutiveFailures: 2,
      running: { pid: 7, hostname: 'sync-host', startedAt: '2025-06-02T11:59:00.000Z', command: 'sync' },
      unfinished: [aJournalEntry(1, { detail: null }), aJournalEntry(2, { status: 'sent', detail: null })],
    });
    return renderHtmlReport({ generatedAt: GENERATED_AT, status, runs, lastReport: { runId: 3, text: null }, version: '1.2.3' });
  }

  it('declares the language, and writes headings, labels, numbers and local times the Brazilian way', () => {
    const html = portuguesePage();
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="pt-BR">')).toBe(true);
    expect(html).toContain('<title>Relatório do sync-dbs — com falhas</title>');
    for (const heading of ['Situação atual', 'Histórico de execuções', 'Execuções', 'Relatório da execução #3']) expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('Gerado em 02/06/2025 09:00:00 UTC-03:00 pelo sync-dbs 1.2.3.');
    expect(html).toContain('Horários no fuso horário desta máquina (UTC-03:00).');
    expect(html).toContain('<td class="num">12.345</td><td class="num">12.000</td>');
    expect(html).toContain('<th>Código de saída</th>');
    expect(html).toContain('data-health="failing">com falhas</span>');
    expect(html).toContain('<td class="outcome tone-bad">falhou</td>');
    expect(html).toContain('primary: 120 revendedores, 340 licenças');
    expect(html).toContain('#1 em 31/05/2025 22:00:01 UTC-03:00 (há 2 h)');
    expect(html).toContain('Operações não concluídas da última execução concluída (2)');
    expect(html).toContain('<td>criar licenças</td>');
    expect(html).toContain('>enviada</td>');
    expect(html).toContain('Nenhum relatório foi guardado para a execução #3.');
  });

  it('labels the chart and its axes in Portuguese, with Portuguese numbers on the operations axis', () => {
    const html = portuguesePage();
    expect(html).toContain('<title id="chart-title">Operações e duração por execução</title>');
    expect(html).toContain('id="operations-axis-title" transform="translate(20 156) rotate(-90)" text-anchor="middle">Operações por execução (feitas + com falha)</text>');
    expect(html).toContain('>Duração (s)</text>');
    expect(html).toContain('>Execução (mais antiga → mais recente)</text>');
    expect(html).toMatch(/class="tick operations-tick"[^>]*>10\.000<\/text>/);
    expect(html).toContain('3 execuções, as mais antigas à esquerda. 2 execuções falharam, marcadas em vermelho.');
    expect(html).toContain('Execução #3 (sync): falhou · iniciada em 01/06/2025 00:00:00 UTC-03:00 · levou 1 s · 12.345 operações (feitas: 12.000, com falha: 345)');
  });

  it('leaves no English word in what the reader sees', () => {
    const text = visibleText(portuguesePage());
    expect(text).toMatch(/Situação atual/);
    expect(text.match(ENGLISH_WORDS)).toBeNull();
  });

  it('says so in Portuguese when nothing was recorded', () => {
    const text = visibleText(render([], aStatus({ summary: '' })));
    expect(text).toContain('Ainda não há execuções: nada foi registrado.');
    expect(text).toContain('nunca executada');
    expect(text.match(ENGLISH_WORDS)).toBeNull();
  });
});
