import { afterEach, describe, expect, it } from 'vitest';
import { formatTime, setLanguage } from '../../src/i18n/i18n.js';
import { renderStatusText } from '../../src/report/status-text.js';
import { aJournalEntry, aRun, aStatus } from './support/run-history-builders.js';

const local = (iso: string) => formatTime(new Date(iso));

afterEach(() => setLanguage('en'));

describe('renderStatusText', () => {
  it('puts the health first, then the summary, the last run, failures and the interval', () => {
    const lastSuccess = aRun(7);
    const lastRun = aRun(9, { outcome: 'failed', verdict: 'NOT in sync: 2 of 5 writes failed.' });
    const text = renderStatusText(
      aStatus({
        now: '2025-06-01T10:00:00.000Z',
        health: 'failing',
        summary: 'the last run failed 55 min ago',
        lastRun,
        lastSuccess,
        consecutiveFailures: 2,
        unfinished: [aJournalEntry(1), aJournalEntry(2, { status: 'sent', detail: null }), aJournalEntry(3, { status: 'not-sent', detail: null })],
      }),
      '/var/lib/sync-dbs',
    );
    expect(text.split('\n')).toEqual([
      'sync-dbs status: FAILING',
      '  the last run failed 55 min ago',
      '  state: /var/lib/sync-dbs',
      `  last run:      #9 failed 59 min 56 s ago (${local('2025-06-01T09:00:03.250Z')}, took 3 s): NOT in sync: 2 of 5 writes failed.`,
      `  last success:  #7 in-sync 2 h 59 min ago (${local('2025-06-01T07:00:02.750Z')}, took 2 s): in-sync.`,
      '  consecutive failures: 2',
      '  expected every 1 h (--expect-every); stale after 2 h without a success',
      '  operations of run #9 not done (3):',
      '    create-license license:dev-1: failed (HTTP 500)',
      '    create-license license:dev-2: sent, no answer (may or may not be applied)',
      '    create-license license:dev-3: not sent',
      '',
    ]);
  });

  it('names a run holding the lock, and says when there was never a success', () => {
    const text = renderStatusText(
      aStatus({
        now: '2025-06-01T10:00:00.000Z',
        health: 'failing',
        lastRun: aRun(1, { outcome: 'unreachable' }),
        running: { pid: 321, hostname: 'cron-host', startedAt: '2025-06-01T09:58:00.000Z', command: 'sync' },
      }),
      '/s',
    );
    expect(text).toContain('  last success:  none recorded\n');
    expect(text).toContain(`  running now:   pid 321 on cron-host, started ${local('2025-06-01T09:58:00.000Z')} (2 min ago)\n`);
  });

  it('shows control characters from the database as escapes, on one line', () => {
    const text = renderStatusText(aStatus({ health: 'stale', lastRun: aRun(1, { verdict: 'bad\nline\u001b[31m' }) }), '/s');
    expect(text).toContain('bad\\nline\\u001b[31m');
    expect(text.split('\n')[0]).toBe('sync-dbs status: STALE');
  });
});

describe('renderStatusText: unfinished operations', () => {
  const lastRun = aRun(4, { outcome: 'failed' });
  const listed = Array.from({ length: 50 }, (_, index) => aJournalEntry(index + 1, { runId: 4 }));

  it('counts all of them, lists the first 10 and says how many more', () => {
    const lines = renderStatusText(aStatus({ health: 'failing', lastRun, unfinished: listed, unfinishedCount: 5_493 }), '/s').split('\n');
    const from = lines.indexOf('  operations of run #4 not done (5,493):');
    expect(from).toBeGreaterThan(0);
    expect(lines.slice(from + 1, -1)).toEqual([
      ...listed.slice(0, 10).map((entry) => `    create-license ${entry.key}: failed (HTTP 500)`),
      '    … and 5,483 more',
    ]);
  });

  it('says no "more" when every one is shown', () => {
    const text = renderStatusText(aStatus({ health: 'failing', lastRun, unfinished: listed.slice(0, 10) }), '/s');
    expect(text).toContain('  operations of run #4 not done (10):\n');
    expect(text).not.toContain('more');
  });
});

describe('renderStatusText in Brazilian Portuguese', () => {
  it('writes the health, the facts, the unfinished operations and numbers in Portuguese', () => {
    setLanguage('pt-BR');
    const text = renderStatusText(
      aStatus({
        now: '2025-06-01T10:00:00.000Z',
        health: 'failing',
        summary: 'resumo',
        lastRun: aRun(9, { outcome: 'failed', verdict: null }),
        consecutiveFailures: 3,
        unfinished: [aJournalEntry(1, { status: 'sent', detail: null })],
        unfinishedCount: 1_234,
      }),
      '/s',
    );
    expect(text.split('\n')).toEqual([
      'estado do sync-dbs: FALHANDO',
      '  resumo',
      '  estado em: /s',
      `  última execução:     #9 falhou há 59 min 56 s (${local('2025-06-01T09:00:03.250Z')}, levou 3 s)`,
      '  último sucesso:      nenhum registrado',
      '  falhas seguidas: 3',
      '  esperada a cada 1 h (--expect-every); atrasada depois de 2 h sem sucesso',
      '  operações da execução #9 não concluídas (1.234):',
      '    create-license license:dev-1: enviada, sem resposta (pode ter sido aplicada ou não)',
      '    … e mais 1.233',
      '',
    ]);
  });
});
