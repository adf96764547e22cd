import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/state/run-records.js';
import { StateStore } from '../../src/state/state-store.js';
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

const day = (n: number) => new Date(Date.UTC(2026, 0, n, 12));

const URL_BACKUP = 'https://backup.example/';

/** A run started on `startDay` with one journaled operation; finished on the same day unless outcome is running. */
function run(startDay: number, outcome: RunOutcome): number {
  const id = store.startRun({ command: 'sync', startedAt: day(startDay), pid: 1, hostname: 'host-a' });
  store.journalPlanned(id, [{ server: 'backup', kind: 'create-user', key: `user:u${id}` }], day(startDay));
  if (outcome === 'running') return id;
  const servers = [{ server: 'backup', url: URL_BACKUP, users: startDay, licenses: startDay }];
  store.finishRun(id, { outcome, exitCode: 0, endedAt: day(startDay), durationMs: 1, verdict: outcome, servers, reportText: null, reportJson: null });
  return id;
}

const count = (table: string) => store.database.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get();

describe('StateStore.prune', () => {
  it('deletes old finished runs with their journal and servers, keeping recent runs, running ones and the last success', () => {
    const oldSuccess = run(1, 'in-sync');
    const lastSuccess = run(2, 'in-sync');
    const oldFailure = run(3, 'failed');
    const interrupted = run(4, 'running');
    const stillRunning = run(5, 'running');
    store.recoverInterrupted(stillRunning);
    const recentFailure = run(20, 'failed');

    expect(store.prune(day(10))).toEqual({ runs: 3 });

    expect(store.history(100).map((kept) => kept.id)).toEqual([recentFailure, stillRunning, lastSuccess]);
    expect([oldSuccess, oldFailure, interrupted].map((id) => store.run(id))).toEqual([null, null, null]);
    expect(count('journal')).toBe(3);
    expect(count('run_servers')).toBe(2);
    expect(store.lastGoodCounts(URL_BACKUP)).toMatchObject({ runId: lastSuccess, users: 2 });
  });

  it('keeps everything that ended on or after the date', () => {
    run(10, 'failed');
    run(11, 'in-sync');
    expect(store.prune(day(10))).toEqual({ runs: 0 });
    expect(store.history(10)).toHaveLength(2);
  });
});
