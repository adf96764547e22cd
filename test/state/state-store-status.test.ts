import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireRunLock } from '../../src/state/run-lock.js';
import type { RunOutcome } from '../../src/state/run-records.js';
import { STATUS_UNFINISHED_LISTED, StateStore } from '../../src/state/state-store.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

let temp: TempStateDir;
let store: StateStore;

beforeEach(async () => {
  temp = await makeTempStateDir();
  store = StateStore.open(temp.stateDir);
});

afterEach(async () => {
  store.close();
  await temp.remove();
});

const HOUR = 60 * 60_000;
const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));

function finishedRun(minute: number, outcome: RunOutcome): number {
  const id = store.startRun({ command: 'sync', startedAt: at(minute), pid: 10, hostname: 'host-a' });
  const [journalId] = store.journalPlanned(id, [{ server: 'backup', kind: 'create-user', key: `user:u${id}` }], at(minute));
  if (outcome !== 'in-sync') store.markFailed(journalId as number, 'HTTP 500', at(minute));
  else store.markDone(journalId as number, null, at(minute));
  store.finishRun(id, { outcome, exitCode: 0, endedAt: at(minute + 1), durationMs: 60_000, verdict: outcome, servers: [], reportText: null, reportJson: null });
  return id;
}

describe('StateStore.status', () => {
  it('is never-run on an empty state database', () => {
    expect(store.status(at(0), HOUR)).toMatchObject({ health: 'never-run', lastRun: null, lastSuccess: null, consecutiveFailures: 0, running: null, unfinished: [], unfinishedCount: 0 });
  });

  it('reads the last run, the last success, the failures since, the unfinished operations and the lock holder', () => {
    const success = finishedRun(0, 'in-sync');
    finishedRun(10, 'failed');
    const lastFailure = finishedRun(20, 'unreachable');
    const running = store.startRun({ command: 'sync', startedAt: at(30), pid: 11, hostname: 'host-b' });
    const attempt = acquireRunLock(store.database, { pid: 11, hostname: 'host-b', command: 'sync', startedAt: at(30) }, { now: () => at(30) });

    try {
      const status = store.status(at(31), HOUR);

      expect(status).toMatchObject({ health: 'failing', consecutiveFailures: 2, sinceLastSuccessMs: 30 * 60_000, stale: false });
      expect(status.lastRun?.id).toBe(lastFailure);
      expect(status.lastRun?.id).not.toBe(running);
      expect(status.lastSuccess?.id).toBe(success);
      expect(status.running).toEqual({ pid: 11, hostname: 'host-b', startedAt: at(30).toISOString(), command: 'sync' });
      expect(status.unfinished).toEqual([
        { runId: lastFailure, seq: 0, server: 'backup', kind: 'create-user', key: `user:u${lastFailure}`, status: 'failed', detail: 'HTTP 500' },
      ]);
    } finally {
      if (attempt.acquired) attempt.lock.release();
    }
  });

  it('counts every unfinished operation of the last run, however many, and lists the first ones in plan order', () => {
    const planned = 5_500;
    const id = store.startRun({ command: 'sync', startedAt: at(0), pid: 10, hostname: 'host-a' });
    const operations = Array.from({ length: planned }, (_, index) => ({ server: 'backup', kind: 'create-license', key: `license:d${index}` }));
    const journalIds = store.journalPlanned(id, operations, at(0));
    for (const journalId of journalIds.slice(0, 7)) store.markDone(journalId, null, at(0));
    store.markFailed(journalIds[7] as number, 'HTTP 500', at(0));
    store.finishRun(id, { outcome: 'failed', exitCode: 1, endedAt: at(1), durationMs: 60_000, verdict: 'failed', servers: [], reportText: null, reportJson: null });

    const status = store.status(at(2), HOUR);
    expect(status.unfinishedCount).toBe(planned - 7);
    expect(status.unfinished).toHaveLength(STATUS_UNFINISHED_LISTED);
    expect(status.unfinished.slice(0, 2).map((entry) => [entry.key, entry.status])).toEqual([
      ['license:d7', 'failed'],
      ['license:d8', 'not-sent'],
    ]);
    expect(store.countUnfinishedOperations(id)).toBe(planned - 7);
  });

  it('a run still recorded as running after a good one, with no process holding the lock, is interrupted (not healthy), with its unfinished operations', () => {
    finishedRun(0, 'in-sync');
    const killed = store.startRun({ command: 'sync', startedAt: at(10), pid: 4_000_000, hostname: 'host-a' });
    const [sent] = store.journalPlanned(killed, [{ server: 'backup', kind: 'block', key: 'license:x' }], at(10));
    store.markSent(sent as number, at(10));

    const status = store.status(at(12), HOUR, { hostname: 'host-a', isAlive: () => false });

    expect(status).toMatchObject({ health: 'interrupted', running: null, consecutiveFailures: 0 });
    expect(status.interruptedRun?.id).toBe(killed);
    expect(status.summary).toBe(
      `run #${killed}, started 2 min ago (pid 4000000 on host-a), is still recorded as running but no process holds the lock: it was killed or crashed before it finished; some writes may not have been sent, and the next run plans again`,
    );
    expect(status.unfinished).toEqual([{ runId: killed, seq: 0, server: 'backup', kind: 'block', key: 'license:x', status: 'sent', detail: null }]);
  });

  it('the same run, while its process holds the lock, is running: the last finished run decides', () => {
    finishedRun(0, 'in-sync');
    store.startRun({ command: 'sync', startedAt: at(10), pid: 12, hostname: 'host-a' });
    const attempt = acquireRunLock(store.database, { pid: 12, hostname: 'host-a', command: 'sync', startedAt: at(10) }, { now: () => at(10), isAlive: () => true });
    try {
      const status = store.status(at(12), HOUR, { hostname: 'host-a', isAlive: () => true });
      expect(status).toMatchObject({ health: 'healthy', interruptedRun: null });
      expect(status.running?.pid).toBe(12);
    } finally {
      if (attempt.acquired) attempt.lock.release();
    }
  });
});
