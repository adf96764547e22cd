import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import type { LockHolder, RunOutcome, RunSummary } from '../../src/state/run-records.js';
import { computeStatus, type StatusInput } from '../../src/state/status.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = new Date('2026-03-01T12:00:00.000Z');

const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

let nextId = 1;

/** A run that ended `endedAgoMs` before NOW (interrupted runs have no end: then it is when they started). */
function run(outcome: RunOutcome, endedAgoMs: number): RunSummary {
  return {
    id: nextId++,
    command: 'sync',
    outcome,
    exitCode: outcome === 'interrupted' ? null : outcome === 'in-sync' ? 0 : 1,
    startedAt: ago(endedAgoMs + MIN),
    endedAt: outcome === 'interrupted' ? null : ago(endedAgoMs),
    durationMs: outcome === 'interrupted' ? null : MIN,
    pid: 100,
    hostname: 'host-a',
    verdict: outcome,
    servers: [],
    operations: { planned: 0, done: 0, failed: 0, notSent: 0 },
  };
}

function status(input: Partial<StatusInput>) {
  return computeStatus({
    now: NOW,
    expectEveryMs: HOUR,
    lastRun: null,
    lastSuccess: null,
    firstRunStartedAt: null,
    consecutiveFailures: 0,
    running: null,
    interruptedRun: null,
    unfinished: [],
    ...input,
  });
}

describe('computeStatus', () => {
  it('is never-run until a run has finished, mentioning one that is running', () => {
    const holder: LockHolder = { pid: 321, hostname: 'host-a', startedAt: ago(5 * MIN), command: 'sync' };

    const report = status({ running: holder, firstRunStartedAt: ago(5 * MIN) });

    expect(report).toMatchObject({ health: 'never-run', stale: true, sinceLastSuccessMs: null, running: holder, lastRun: null });
    expect(report.summary).toBe('no run has finished yet; one has been running for 5 min (pid 321 on host-a)');
    expect(status({}).summary).toBe('no run has finished yet');
  });

  it('is healthy when the last run succeeded within twice the interval', () => {
    const success = run('in-sync', 30 * MIN);

    const report = status({ lastRun: success, lastSuccess: success, firstRunStartedAt: ago(10 * HOUR) });

    expect(report).toMatchObject({ now: NOW.toISOString(), health: 'healthy', stale: false, sinceLastSuccessMs: 30 * MIN, consecutiveFailures: 0, expectEveryMs: HOUR });
    expect(report.summary).toBe('the last run succeeded 30 min ago (expected every 1 h)');
  });

  it('is still healthy at exactly twice the interval, and stale one millisecond later', () => {
    const atBoundary = run('in-sync', 2 * HOUR);
    const pastBoundary = run('in-sync', 2 * HOUR + 1);

    expect(status({ lastRun: atBoundary, lastSuccess: atBoundary }).health).toBe('healthy');
    const stale = status({ lastRun: pastBoundary, lastSuccess: pastBoundary });
    expect(stale).toMatchObject({ health: 'stale', stale: true });
    expect(stale.summary).toBe('last success 2 h ago, more than twice the expected interval (1 h)');
  });

  it('is failing when the last run did not succeed, counting the failures since the last success', () => {
    const success = run('in-sync', 50 * MIN);
    const failure = run('unreachable', 5 * MIN);

    const report = status({ lastRun: failure, lastSuccess: success, consecutiveFailures: 2 });

    expect(report).toMatchObject({ health: 'failing', stale: false, consecutiveFailures: 2, sinceLastSuccessMs: 50 * MIN });
    expect(report.summary).toBe('the last run could not reach a server 5 min ago; 2 runs have not succeeded since the last success 50 min ago');
  });

  it('counts an interrupted run as a failure', () => {
    const success = run('in-sync', 50 * MIN);
    const interrupted = run('interrupted', 5 * MIN);

    const report = status({ lastRun: interrupted, lastSuccess: success, consecutiveFailures: 1 });

    expect(report.health).toBe('failing');
    expect(report.summary).toBe('the last run was interrupted 6 min ago; 1 run has not succeeded since the last success 50 min ago');
  });

  it('is stale when the last success is too old, even though later runs keep failing', () => {
    const success = run('in-sync', 5 * HOUR + 5 * MIN);
    const failure = run('failed', 10 * MIN);

    const report = status({ lastRun: failure, lastSuccess: success, consecutiveFailures: 4 });

    expect(report.health).toBe('stale');
    expect(report.summary).toBe('last success 5 h 5 min ago, more than twice the expected interval (1 h); 4 runs have not succeeded since (the last one failed)');
  });

  it('without any success: failing while the first run is recent, stale once it is more than twice the interval old', () => {
    const failure = run('refused', 10 * MIN);
    const base = { lastRun: failure, consecutiveFailures: 3 };

    const recent = status({ ...base, firstRunStartedAt: ago(2 * HOUR) });
    expect(recent).toMatchObject({ health: 'failing', stale: true, sinceLastSuccessMs: null });
    expect(recent.summary).toBe('no run has succeeded yet; the last one was refused by a safety guard 10 min ago');

    const old = status({ ...base, firstRunStartedAt: ago(2 * HOUR + 1) });
    expect(old.health).toBe('stale');
    expect(old.summary).toBe('no run has ever succeeded, and the first one started 2 h ago, more than twice the expected interval (1 h)');
  });

  it('passes the lock holder and the unfinished operations through', () => {
    const success = run('in-sync', 10 * MIN);
    const holder: LockHolder = { pid: 7, hostname: 'host-b', startedAt: ago(MIN), command: 'sync' };
    const unfinished = [{ runId: success.id, seq: 3, server: 'backup', kind: 'create-user', key: 'user:x', status: 'failed' as const, detail: 'HTTP 500' }];

    const report = status({ lastRun: success, lastSuccess: success, running: holder, unfinished });

    expect(report.running).toBe(holder);
    expect(report.unfinished).toBe(unfinished);
    expect(report.lastRun).toBe(success);
    expect(report.lastSuccess).toBe(success);
  });
});

describe('computeStatus in Brazilian Portuguese', () => {
  afterEach(() => setLanguage('en'));

  it('says why in Portuguese, and counts the full unfinished operations', () => {
    setLanguage('pt-BR');
    const success = run('in-sync', 3 * HOUR);
    const failure = run('refused', 20 * MIN);
    const report = status({ lastRun: failure, lastSuccess: success, consecutiveFailures: 2, firstRunStartedAt: ago(10 * HOUR), unfinishedCount: 1_500 });
    expect(report.summary).toBe(
      'último sucesso há 3 h, mais que o dobro do intervalo esperado (1 h); 2 execuções não tiveram sucesso desde então (a última foi recusada por uma proteção)',
    );
    expect(report.unfinishedCount).toBe(1_500);
    const recent = run('in-sync', 30 * MIN + 5_000);
    expect(status({ lastRun: recent, lastSuccess: recent }).summary).toBe('a última execução teve sucesso há 30 min 5 s (esperada a cada 1 h)');
  });
});
