import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerCounts } from '../../src/state/run-records.js';
import { StateStore, type RunEnd } from '../../src/state/state-store.js';
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

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute));

const SERVERS: readonly ServerCounts[] = [
  { server: 'primary', url: 'https://primary.example/', users: 120, licenses: 340 },
  { server: 'backup', url: 'https://backup.example/', users: 118, licenses: 335 },
];

const OPERATIONS = [
  { server: 'backup', kind: 'create-user', key: 'user:revenda1' },
  { server: 'backup', kind: 'update-license', key: 'license:ABC-1' },
  { server: 'backup', kind: 'update-license', key: 'license:ABC-2' },
];

function end(overrides: Partial<RunEnd> = {}): RunEnd {
  return {
    outcome: 'in-sync',
    exitCode: 0,
    endedAt: at(5),
    durationMs: 5 * 60_000,
    verdict: 'backup in sync with primary',
    servers: SERVERS,
    reportText: 'report text',
    reportJson: '{"report":true}',
    ...overrides,
  };
}

function startRun(minute = 0, command = 'sync'): number {
  return store.startRun({ command, startedAt: at(minute), pid: 4242, hostname: 'host-a' });
}

describe('StateStore: runs and their journal', () => {
  it('records a run from start to finish: journal, counts, servers, history and unfinished operations', () => {
    const runId = startRun();
    expect(store.run(runId)).toMatchObject({ outcome: 'running', exitCode: null, endedAt: null, verdict: null, startedAt: at(0).toISOString() });

    const [created, first, second] = store.journalPlanned(runId, OPERATIONS, at(1));
    expect(store.journal(runId).map((entry) => [entry.seq, entry.key, entry.status])).toEqual([
      [0, 'user:revenda1', 'pending'],
      [1, 'license:ABC-1', 'pending'],
      [2, 'license:ABC-2', 'pending'],
    ]);

    store.markSent(created as number, at(2));
    store.markDone(created as number, 'created\nwith a new password', at(2));
    store.markSent(first as number, at(3));
    store.markFailed(first as number, 'HTTP 400:\tLicença inválida', at(3));
    expect(store.history(1)[0]?.operations).toEqual({ planned: 3, done: 1, failed: 1, notSent: 0 });

    store.finishRun(runId, end({ outcome: 'failed', exitCode: 1, verdict: '1 operation failed' }));
    expect(second).toBeTypeOf('number');

    const [summary] = store.history(10);
    expect(summary).toEqual({
      id: runId,
      command: 'sync',
      outcome: 'failed',
      exitCode: 1,
      startedAt: at(0).toISOString(),
      endedAt: at(5).toISOString(),
      durationMs: 300_000,
      pid: 4242,
      hostname: 'host-a',
      verdict: '1 operation failed',
      servers: SERVERS,
      operations: { planned: 3, done: 1, failed: 1, notSent: 1 },
    });
    expect(store.unfinishedOperations(runId)).toEqual([
      { runId, seq: 1, server: 'backup', kind: 'update-license', key: 'license:ABC-1', status: 'failed', detail: 'HTTP 400: Licença inválida' },
      { runId, seq: 2, server: 'backup', kind: 'update-license', key: 'license:ABC-2', status: 'not-sent', detail: null },
    ]);
    expect(store.journal(runId)[0]?.detail).toBe('created with a new password');
    expect(store.unfinishedOperations(runId, 1)).toHaveLength(1);
  });

  it('numbers operations journaled in several batches in one sequence', () => {
    const runId = startRun();
    store.journalPlanned(runId, OPERATIONS.slice(0, 2), at(1));
    store.journalPlanned(runId, OPERATIONS.slice(2), at(2));
    expect(store.journal(runId).map((entry) => entry.seq)).toEqual([0, 1, 2]);
  });

  it('journals a large plan in one go, returning the ids in plan order', () => {
    const runId = startRun();
    const operations = Array.from({ length: 15_000 }, (_, n) => ({ server: 'backup', kind: 'update-license', key: `license:${n}` }));

    const ids = store.journalPlanned(runId, operations, at(1));

    expect(ids).toHaveLength(15_000);
    expect(new Set(ids).size).toBe(15_000);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(store.history(1)[0]?.operations.planned).toBe(15_000);
  });

  it('refuses journal updates for rows that do not exist, and finishing an unknown run or as running', () => {
    const runId = startRun();
    expect(() => store.markSent(999, at(1))).toThrow('no journal row 999');
    expect(() => store.markDone(999, null, at(1))).toThrow('no journal row 999');
    expect(() => store.finishRun(runId + 1, end())).toThrow(`no run ${runId + 1}`);
    expect(() => store.finishRun(runId, end({ outcome: 'running' }))).toThrow("cannot finish as 'running'");
  });

  it('lists history newest first, limited, with live counts for a run still going', () => {
    const first = startRun(0);
    store.finishRun(first, end());
    const second = startRun(10, 'dry-run');
    store.finishRun(second, end({ outcome: 'changes-pending', exitCode: 2, endedAt: at(11) }));
    const third = startRun(20);
    store.journalPlanned(third, OPERATIONS, at(21));

    expect(store.history(10).map((run) => [run.id, run.outcome])).toEqual([
      [third, 'running'],
      [second, 'changes-pending'],
      [first, 'in-sync'],
    ]);
    expect(store.history(2)).toHaveLength(2);
    expect(store.history(1)[0]?.operations).toEqual({ planned: 3, done: 0, failed: 0, notSent: 0 });
  });

  it('gives the report of the most recent finished run that stored one', () => {
    expect(store.lastRunReport()).toBeNull();
    const first = startRun(0);
    store.finishRun(first, end({ reportText: 'first report', reportJson: '{"n":1}' }));
    const second = startRun(10);
    store.finishRun(second, end({ reportText: null, reportJson: null }));
    startRun(20);

    expect(store.lastRunReport()).toEqual({ runId: first, text: 'first report', json: '{"n":1}' });
  });
});

describe('StateStore: last good counts', () => {
  it('are the counts of the last in-sync run, per server URL', () => {
    expect(store.lastGoodCounts('https://backup.example/')).toBeNull();
    const runId = startRun();
    store.finishRun(runId, end());

    expect(store.lastGoodCounts('https://backup.example/')).toEqual({ users: 118, licenses: 335, runId, recordedAt: at(5).toISOString() });
    expect(store.lastGoodCounts('https://primary.example/')).toMatchObject({ users: 120, licenses: 340 });
  });

  it('are not changed by a run that did not succeed, nor by servers whose listings were not read', () => {
    const good = startRun(0);
    store.finishRun(good, end());

    const failed = startRun(10);
    store.finishRun(failed, end({ outcome: 'failed', exitCode: 1, servers: SERVERS.map((server) => ({ ...server, users: 1, licenses: 1 })) }));
    const unread = startRun(20);
    store.finishRun(unread, end({ endedAt: at(25), servers: [{ ...SERVERS[0]!, users: 130, licenses: 350 }, { ...SERVERS[1]!, users: null, licenses: null }] }));

    expect(store.lastGoodCounts('https://backup.example/')).toMatchObject({ users: 118, licenses: 335, runId: good });
    expect(store.lastGoodCounts('https://primary.example/')).toMatchObject({ users: 130, licenses: 350, runId: unread });
  });
});
