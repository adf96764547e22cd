import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dashboardPage } from '../../src/dashboard/dashboard-page.js';
import { renderSections, SECTION_IDS } from '../../src/dashboard/dashboard-sections.js';
import { loginPage } from '../../src/dashboard/login-page.js';
import { setLanguage } from '../../src/i18n/i18n.js';
import { sampleServer, sampleStatus } from './support/sample-status.js';

// The server-rendered sections, in both languages, with hostile text from the
// servers and the runs kept as text.

const machineTimeZone = process.env.TZ;
beforeEach(() => {
  process.env.TZ = 'America/Sao_Paulo';
});
afterEach(() => {
  setLanguage('en');
  if (machineTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineTimeZone;
});

const EVIL = '<script>window.__owned = 1</script><img src=x onerror="alert(1)">';

describe('the dashboard sections', () => {
  it('render every server with its state in words, records, last sync and latency chart (English)', () => {
    const sections = renderSections(sampleStatus());
    expect(Object.keys(sections)).toEqual([...SECTION_IDS]);
    expect(sections.summary).toContain('Primary mode');
    expect(sections.summary).toContain('Sync now');
    expect(sections.summary).toContain('03/10/2026 13:00:00 UTC-03:00');
    expect(sections.servers.match(/<article class="server-card/g)).toHaveLength(3);
    expect(sections.servers).toMatch(/data-server="backup-rj" data-role="backup" data-state="down"/);
    expect(sections.servers).toContain('✕ down');
    expect(sections.servers).toContain('1,284 users, 3,920 licenses');
    expect(sections.servers).toContain('3,920 of 3,920 licenses give the same answer');
    expect(sections.servers).toContain('3,916 of 3,920 licenses give the same answer');
    expect(sections.servers).toContain('PDV-0231-A');
    expect(sections.servers).toContain('no answer: connect ECONNREFUSED 10.0.4.12:8080');
    expect(sections.servers.match(/<svg class="latency-chart"/g)).toHaveLength(3);
    // Both charts are framed: grid values on the left, time labels below.
    for (const chart of [sections.servers, sections.runs]) {
      expect(chart).toMatch(/<line class="grid" [^>]*\/><text [^>]*text-anchor="end" dominant-baseline="middle">\d/);
      expect(chart).toMatch(/<line class="axis" [^>]*\/><text [^>]*text-anchor="(start|middle|end)">[^<]+<\/text>/);
    }
    expect(sections.runs).toContain('4 failed, marked with a red cross.');
    expect(sections.runs.match(/<g class="run" [^>]*data-failure="true"/g)).toHaveLength(4);
    expect(sections.runs).toMatch(/<title>Run #47 \(sync\): in-sync · started [^<]* · took [^<]* · why: the primary came back<\/title>/);
    expect(sections['last-report']).toContain('Last report (run #48)');
    expect(sections.unfinished).toContain('Unfinished operations of run #47 (2)');
  });

  it('render in Brazilian Portuguese when that is the language', () => {
    setLanguage('pt-BR');
    const sections = renderSections(sampleStatus({ language: 'pt-BR', mode: 'failover' }));
    expect(sections.summary).toContain('Modo de contingência');
    expect(sections.summary).toContain('Sincronizar agora');
    expect(sections.servers).toContain('✕ fora do ar');
    expect(sections.servers).toContain('1.284 usuários, 3.920 licenças');
    expect(sections.servers).toContain('3.916 de 3.920 licenças dão a mesma resposta');
    expect(sections.servers).toContain('10/03/2026 11:59:30 UTC-03:00');
    expect(sections.runs).toContain('Histórico de execuções');
    expect(sections.runs).toContain('motivo: o principal voltou');
    expect(sections.runs).not.toMatch(/\bRun\b|Duration|Started/);
  });

  it('show no latency now for a server whose last check failed, though an earlier one answered', () => {
    const answering = sampleServer({ name: 'answering', latencyMs: 84, consecutiveFailures: 0, consecutiveSuccesses: 5 });
    const failing = sampleServer({ name: 'failing', latencyMs: 84, consecutiveFailures: 1, consecutiveSuccesses: 0, lastFailure: { kind: 'down', detail: 'connect ECONNREFUSED' } });
    const servers = renderSections(sampleStatus({ servers: [answering, failing] })).servers;
    const latencyOf = (name: string) => servers.slice(servers.indexOf(`data-server="${name}"`)).match(/<dt>Latency now<\/dt><dd>([^<]*)<\/dd>/)?.[1];
    expect(latencyOf('answering')).toBe('84 ms');
    expect(latencyOf('failing')).toBe('no answer');
  });

  it('disable "sync now" while a run is running, and say so', () => {
    const sections = renderSections(sampleStatus({ running: { trigger: 'primary-back', startedAt: '2026-03-10T14:59:00.000Z' } }));
    expect(sections.summary).toMatch(/<button id="sync-now" type="button" data-running="true" disabled>A run is in progress…<\/button>/);
    expect(sections.summary).toContain('the primary came back, since 03/10/2026 11:59:00 UTC-03:00');
  });

  it('keep hostile server names, details, device ids, report and operations as text', () => {
    const status = sampleStatus({
      servers: [
        sampleServer({ name: EVIL, url: `http://x/${EVIL}`, lastFailure: { kind: 'error', detail: EVIL } }),
        sampleServer({ name: 'b', role: 'backup', agreement: { at: '2026-03-10T14:00:00.000Z', licenses: 2, agreeing: 1, differing: [{ deviceId: EVIL, primary: 'allow', backup: 'deny' }] } }),
      ],
      runs: [{ id: 1, command: EVIL, startedAt: '2026-03-10T14:00:00.000Z', finishedAt: '2026-03-10T14:01:00.000Z', exitCode: 1, outcome: EVIL, trigger: null }],
      lastReport: { runId: 1, startedAt: '2026-03-10T14:00:00.000Z', text: `report ${EVIL}\nline two` },
      unfinished: { runId: 1, operations: [EVIL] },
      settings: { schedule: EVIL, healthIntervalMs: 60_000, downAfter: 3, upAfter: 3 },
    });
    const page = dashboardPage(status, 'csrf-token');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toMatch(/onerror="/);
    expect(page).toContain('&lt;script&gt;window.__owned = 1&lt;/script&gt;');
    expect(page).toMatch(/<pre class="report-text">report &lt;script&gt;.*\nline two<\/pre>/);
    expect(page.match(/<script\b/g)).toHaveLength(1);
    expect(page).toContain('<script src="/dashboard.js" defer></script>');
    expect(JSON.stringify(renderSections(status))).not.toContain('<script>');
  });

  it('show a configured address without its user name, password or query', () => {
    const sections = renderSections(sampleStatus({ servers: [sampleServer({ url: 'https://admin:hunter2@licencas.example.com/api?key=abc123' })] }));
    expect(sections.servers).toContain('https://licencas.example.com/api');
    expect(sections.servers).not.toMatch(/hunter2|admin|abc123/);
  });

  it('say so when there are no servers, checks, runs, report or unfinished operations', () => {
    const sections = renderSections(sampleStatus({ servers: [sampleServer({ samples: [], agreement: null, lastSync: null, records: null })], runs: [], lastReport: null, unfinished: null }));
    expect(sections.servers).toContain('No checks yet.');
    expect(sections.servers).toContain('not read yet');
    expect(sections.runs).toContain('No runs yet.');
    expect(sections['last-report']).toContain('No run has finished yet.');
    expect(sections.unfinished).toContain('None: every operation of the last run was done.');
  });
});

describe('the login page', () => {
  it('has a password field posting to /login, in both languages, and no script', () => {
    const english = loginPage(false);
    expect(english).toMatch(/<form method="post" action="\/login">/);
    expect(english).toMatch(/<input id="token" name="token" type="password"/);
    expect(english).not.toContain('<script');
    expect(english).not.toContain('login-error');
    setLanguage('pt-BR');
    const portuguese = loginPage(true);
    expect(portuguese).toContain('Entrar');
    expect(portuguese).toContain('Esse token não é o correto.');
  });
});
