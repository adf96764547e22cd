import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/state/state-store.js';
import { makeTempStateDir, type TempStateDir } from './support/temp-state-dir.js';

let temp: TempStateDir;

beforeEach(async () => {
  temp = await makeTempStateDir();
});

afterEach(() => temp.remove());

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));

const operations = Array.from({ length: 5 }, (_, n) => ({ server: 'backup', kind: 'update-license', key: `license:L${n}` }));

/** A run that journaled 5 operations, finished 2, sent 1, and then its process died. */
function crashedRun(): number {
  const crashed = StateStore.open(temp.stateDir);
  const runId = crashed.startRun({ command: 'sync', startedAt: at(0), pid: 999_999, hostname: 'host-a' });
  const [a, b, c] = crashed.journalPlanned(runId, operations, at(1)) as [number, number, number];
  crashed.markSent(a, at(2));
  crashed.markDone(a, null, at(2));
  crashed.markSent(b, at(3));
  crashed.markDone(b, null, at(3));
  crashed.markSent(c, at(4));
  crashed.close();
  return runId;
}

describe('StateStore.recoverInterrupted', () => {
  it('marks a run left running interrupted: done stays done, sent is unknown, pending becomes not-sent', () => {
    const runId = crashedRun();
    const store = StateStore.open(temp.stateDir);
    try {
      expect(store.recoverInterrupted()).toEqual([
        { id: runId, startedAt: at(0).toISOString(), pid: 999_999, hostname: 'host-a', done: 2, failed: 0, unknown: 1, notSent: 2 },
      ]);

      expect(store.journal(runId).map((entry) => entry.status)).toEqual(['done', 'done', 'sent', 'not-sent', 'not-sent']);
      const [run] = store.history(1);
      expect(run).toMatchObject({ id: runId, outcome: 'interrupted', exitCode: null, endedAt: null, durationMs: null });
      expect(run?.operations).toEqual({ planned: 5, done: 2, failed: 0, notSent: 2 });
      expect(run?.verdict).toBe('interrupted: 2 done, 0 failed, 1 sent with no answer (may or may not be applied), 2 not sent');
    } finally {
      store.close();
    }
  });

  it('recovers a run once, and leaves the current run alone', () => {
    crashedRun();
    const store = StateStore.open(temp.stateDir);
    try {
      const current = store.startRun({ command: 'sync', startedAt: at(30), pid: process.pid, hostname: 'host-a' });
      store.journalPlanned(current, operations, at(31));

      expect(store.recoverInterrupted(current)).toHaveLength(1);
      expect(store.recoverInterrupted(current)).toEqual([]);

      expect(store.run(current)?.outcome).toBe('running');
      expect(store.journal(current).every((entry) => entry.status === 'pending')).toBe(true);
    } finally {
      store.close();
    }
  });

  it('counts an interrupted run as a failure for status', () => {
    crashedRun();
    const store = StateStore.open(temp.stateDir);
    try {
      store.recoverInterrupted();
      const status = store.status(at(10), 60 * 60_000);
      expect(status.health).toBe('failing');
      expect(status.consecutiveFailures).toBe(1);
      expect(status.summary).toBe('no run has succeeded yet; the last one was interrupted 10 min ago');
      expect(status.unfinished.map((entry) => entry.status)).toEqual(['sent', 'not-sent', 'not-sent']);
    } finally {
      store.close();
    }
  });
});
