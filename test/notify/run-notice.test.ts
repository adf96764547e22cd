import { describe, expect, it } from 'vitest';
import type { NotifyEvent } from '../../src/notify/notify-event.js';
import { buildRunNotice, type RunDescription } from '../../src/notify/run-notice.js';
import { FAILED_RUN } from './support/runs.js';
import { formatTime } from '../../src/i18n/i18n.js';

describe('buildRunNotice', () => {
  it('describes a failed run: title, verdict, servers, failures, consecutive failures, duration, host and run', () => {
    const notice = buildRunNotice({ kind: 'failure', outcome: 'failed' }, FAILED_RUN);
    expect(notice.title).toBe('sync-dbs: backup sync failed');
    expect(notice.text.split('\n')).toEqual([
      'The run on sync-host failed: the backup is not in sync with the primary.',
      'Verdict: NOT in sync: 2 of 5 writes failed.',
      'Servers: primary https://primary.example.com, backup https://backup.example.com/api',
      'Failed operations: 2',
      'Consecutive failed runs: 3',
      'Duration: 12 s',
      `Host: sync-host, run #42, started ${formatTime(new Date('2025-03-01T12:00:00.000Z'))}`,
    ]);
    expect(notice).toMatchObject({ event: 'failure', outcome: 'failed', exitCode: 1, hostname: 'sync-host', runId: 42, consecutiveFailures: 3 });
    expect(notice.details).toMatchObject({ verdict: FAILED_RUN.verdict, durationMs: 12_345, failures: 2 });
  });

  it('never shows credentials, query strings or fragments of server URLs', () => {
    const notice = buildRunNotice({ kind: 'failure', outcome: 'failed' }, FAILED_RUN);
    const everything = JSON.stringify(notice);
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('token=abc');
  });

  it.each<[NotifyEvent, Partial<RunDescription>, string, RegExp]>([
    [{ kind: 'failure', outcome: 'unreachable' }, { outcome: 'unreachable' }, 'sync-dbs: backup sync failed, a server is unreachable', /could not reach a license server/],
    [{ kind: 'failure', outcome: 'interrupted' }, { outcome: 'interrupted', durationMs: null }, 'sync-dbs: backup sync was interrupted', /was interrupted/],
    [{ kind: 'refused' }, { outcome: 'refused' }, 'sync-dbs: backup sync refused by a safety guard', /safety guard stopped the run/],
    [{ kind: 'recovery', previousConsecutiveFailures: 3 }, { outcome: 'in-sync', consecutiveFailures: 0 }, 'sync-dbs: backup sync recovered', /succeeded after 3 failed runs/],
    [{ kind: 'recovery', previousConsecutiveFailures: 1 }, { outcome: 'in-sync', consecutiveFailures: 0 }, 'sync-dbs: backup sync recovered', /succeeded after 1 failed run\./],
    [{ kind: 'success' }, { outcome: 'in-sync', consecutiveFailures: 0 }, 'sync-dbs: backup sync succeeded', /^The run on sync-host succeeded\./],
  ])('%o has a plain-English title and lead sentence', (event, run, title, lead) => {
    const notice = buildRunNotice(event, { ...FAILED_RUN, ...run });
    expect(notice.title).toBe(title);
    expect(notice.text.split('\n')[0]).toMatch(lead);
  });

  it('says a refused run wrote nothing only when it did not: another backup may have been written', () => {
    const lead = (written: number | undefined) => buildRunNotice({ kind: 'refused' }, { ...FAILED_RUN, outcome: 'refused', written }).text.split('\n')[0];
    expect(lead(0)).toBe('A safety guard stopped the run on sync-host before it wrote anything.');
    expect(lead(3)).toBe('A safety guard stopped part of the run on sync-host; 3 operations were written to the servers it did not stop.');
    expect(lead(1)).toBe('A safety guard stopped part of the run on sync-host; 1 operation was written to the servers it did not stop.');
    expect(lead(undefined)).toBe('A safety guard stopped the run on sync-host.');
  });

  it('describes a lock conflict: who holds the lock, since when and for how long', () => {
    const holder = { pid: 77, hostname: 'other-host', startedAt: '2025-03-01T09:55:00.000Z', command: 'sync' };
    const notice = buildRunNotice(
      { kind: 'lock-conflict', holder, heldForMs: 2 * 3_600_000 + 5 * 60_000 },
      { ...FAILED_RUN, outcome: 'locked', runId: null, durationMs: null, failures: 0, lockHolder: holder },
    );
    expect(notice.title).toBe('sync-dbs: backup sync blocked, another run has held the lock for 2 h 5 min');
    expect(notice.text).toContain(`process 77 on other-host (sync) has held the lock since ${formatTime(new Date(holder.startedAt))}, for 2 h 5 min`);
    expect(notice.text).not.toContain('Duration:');
    expect(notice.text).toContain('Host: sync-host, started');
    expect(notice.details).toMatchObject({ lockHolder: holder, heldForMs: 7_500_000 });
  });

  it('keeps server text on its line: control characters in the verdict are shown as escapes', () => {
    const notice = buildRunNotice({ kind: 'failure', outcome: 'failed' }, { ...FAILED_RUN, verdict: 'bad\nline\u001b[31m' });
    expect(notice.text).toContain('Verdict: bad\\nline\\u001b[31m');
  });
});
