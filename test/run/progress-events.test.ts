import { describe, expect, it } from 'vitest';
import type { ProgressListener } from '../../src/progress/progress-listener.js';
import { license, user, type InMemoryServer } from './support/in-memory-server.js';
import { TODAY, useHarness } from './support/run-harness.js';

// What a run tells its progress listener (the CLI draws it): each server's
// wake-up wait, then its writes counted as they settle, each ended by `finished`.

const harness = useHarness();

function recorder(): ProgressListener & { readonly events: string[] } {
  const events: string[] = [];
  return {
    events,
    writing: (server, { done, total, failed }) => events.push(`${server} ${done}/${total} failed ${failed}`),
    waking: (server, elapsedMs, limitMs) => events.push(`${server} waking ${elapsedMs} of ${limitMs}`),
    finished: (server) => events.push(`${server} finished`),
  };
}

describe('the progress a run reports', () => {
  it('counts each server\'s writes as they settle, failures included, from none to all', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY), license('D2', TODAY), license('D3', TODAY)).withUsers(user('ana'));
    const backup = h.backups[0] as InMemoryServer;
    backup.failWrite({ call: 'upsert', key: 'D2', kind: 'rejected', status: 400, reason: 'HTTP 400' });
    const progress = recorder();

    const result = await h.sync({ progress });

    expect(result.outcome).toBe('failed');
    const backupEvents = progress.events.filter((event) => event.startsWith('backup '));
    // The wake-up ends first (the server was awake: nothing was waited for).
    expect(backupEvents[0]).toBe('backup finished');
    const writes = backupEvents.slice(1);
    expect(writes[0]).toBe('backup 0/4 failed 0');
    expect(writes.slice(1, -1).map((event) => event.split(' ')[1])).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(writes.at(-2)).toBe('backup 4/4 failed 1');
    expect(writes.at(-1)).toBe('backup finished');
    expect(progress.events.filter((event) => event.startsWith('primary ') && !event.endsWith('finished'))).toEqual([]);
  });

  it('reports the wake-up wait of a sleeping server with its limit, and ends it once the server is awake', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY));
    (h.backups[0] as InMemoryServer).faults = { asleepMs: 700 };
    const progress = recorder();

    await h.sync({ progress, config: { wakeTimeoutMs: 5_000 } });

    const backup = progress.events.filter((event) => event.startsWith('backup '));
    expect(backup.slice(0, 2)).toEqual(['backup waking 700 of 5000', 'backup finished']);
    expect(backup.slice(2)).toEqual(['backup 0/1 failed 0', 'backup 1/1 failed 0', 'backup finished']);
  });

  it('ends the wake-up wait of a server that never wakes', async () => {
    const h = harness();
    h.primary.withLicenses(license('D1', TODAY));
    (h.backups[0] as InMemoryServer).faults = { asleepMs: 1_000, unreachable: true };
    const progress = recorder();

    const result = await h.sync({ progress });

    expect(result.exitCode).toBe(3);
    expect(progress.events.filter((event) => event.startsWith('backup '))).toEqual(['backup waking 1000 of 1000', 'backup finished']);
  });
});
