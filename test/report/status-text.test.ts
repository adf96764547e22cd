import { describe, expect, it } from 'vitest';
import { renderStatusText } from '../../src/report/status-text.js';
import { aJournalEntry, aRun, aStatus } from './support/run-history-builders.js';

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
      '  last run:      #9 failed 59 min 56 s ago (2025-06-01T09:00:03.250Z, took 3 s): NOT in sync: 2 of 5 writes failed.',
      '  last success:  #7 in-sync 2 h 59 min ago (2025-06-01T07:00:02.750Z, took 2 s): in-sync.',
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
    expect(text).toContain('  running now:   pid 321 on cron-host, started 2025-06-01T09:58:00.000Z (2 min ago)\n');
  });

  it('shows control characters from the database as escapes, on one line', () => {
    const text = renderStatusText(aStatus({ health: 'stale', lastRun: aRun(1, { verdict: 'bad\nline\u001b[31m' }) }), '/s');
    expect(text).toContain('bad\\nline\\u001b[31m');
    expect(text.split('\n')[0]).toBe('sync-dbs status: STALE');
  });
});
