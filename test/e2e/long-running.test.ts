import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { StartedCli } from '../support/cli-process.js';
import { keepClearOf, untilLocalTopOfTheHour } from '../support/clock-boundaries.js';
import { allowedLicense, datasetOf, useSyncPair, writesReceived } from '../support/sync-pair.js';
import type { RunSummary } from '../../src/state/run-records.js';
import { deviceIds, runJson } from './support/e2e-helpers.js';

// The long-running mode (`sync --every CRON`) and stop signals, through the
// built CLI: runs on schedule, never two at once, and SIGINT/SIGTERM let the
// operations in flight finish, record the run as interrupted and exit.

const pair = useSyncPair();
type Pair = ReturnType<typeof pair>;

const EVERY_SECOND = '* * * * * *';

function licenses(count: number, prefix: string) {
  return Array.from({ length: count }, (_, index) => allowedLicense(`${prefix}-${String(index).padStart(2, '0')}`));
}

/** The recorded runs, oldest first. */
async function history(p: Pair): Promise<RunSummary[]> {
  const run = await p.cli(['history', '--json', '--limit', '1000']);
  expect(run.exitCode, run.stderr).toBe(0);
  return [...run.json<{ runs: RunSummary[] }>().runs].sort((a, b) => a.id - b.id);
}

/** Polls `check` until it returns true; fails with `what` (and the process's output) after `timeoutMs`. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, cli: StartedCli, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (cli.child.exitCode !== null) break;
    await sleep(50);
  }
  const { stdout, stderr } = cli.output();
  throw new Error(`timed out waiting for ${what} (exit ${cli.child.exitCode})\nstdout:\n${stdout}\nstderr:\n${stderr}`);
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, 'g'))].length;
}

/** No two runs had overlapping [startedAt, endedAt] intervals. */
function overlaps(runs: readonly RunSummary[]): string[] {
  const found: string[] = [];
  const sorted = [...runs].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1] as RunSummary;
    const after = sorted[i] as RunSummary;
    if (before.endedAt === null || Date.parse(before.endedAt) > Date.parse(after.startedAt)) {
      found.push(`run #${before.id} (${before.startedAt} to ${before.endedAt}) overlaps run #${after.id} (from ${after.startedAt})`);
    }
  }
  return found;
}

const NEXT_RUN_LINE = /^(\S+) info\s+next run at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) \(schedule "([^"]*)"\)$/gm;

/** The "next run at" log lines: when each was logged and the time it names. */
function nextRunLines(stderr: string): { loggedAt: number; next: number; schedule: string; line: string }[] {
  return [...stderr.matchAll(NEXT_RUN_LINE)].map((match) => ({
    loggedAt: Date.parse(match[1] ?? ''),
    next: Date.parse(match[2] ?? ''),
    schedule: match[3] ?? '',
    line: match[0],
  }));
}

describe('sync --every', () => {
  it('with --no-run-at-start and a 5-field cron expression logs the next run at the top of the hour; SIGTERM while idle exits 0 and records nothing', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: licenses(1, 'idle') }), datasetOf({}));
    await keepClearOf(untilLocalTopOfTheHour(new Date()), 20_000); // the hourly schedule must not fire during the test
    const cli = p.start(['sync', '--every', '0 * * * *', '--no-run-at-start']);
    await waitFor('the next run time', () => nextRunLines(cli.output().stderr).length > 0, cli);
    const [logged] = nextRunLines(cli.output().stderr);
    expect(logged?.schedule).toBe('0 * * * *');
    const next = new Date(logged?.next ?? Number.NaN);
    expect(next.getMinutes(), logged?.line).toBe(0);
    expect(next.getSeconds(), logged?.line).toBe(0);
    expect(next.getTime()).toBeGreaterThan(logged?.loggedAt ?? Number.NaN);
    expect(next.getTime() - (logged?.loggedAt ?? Number.NaN)).toBeLessThanOrEqual(3_600_000);

    cli.child.kill('SIGTERM');
    const ended = await cli.done;
    expect(ended.exitCode, ended.stderr).toBe(0);
    expect(ended.stderr).toMatch(/\bstopped\b/);
    expect(await history(p)).toEqual([]);
    expect(await writesReceived(p.backup)).toBe(0);
  }, 60_000);


  it('runs on schedule, logs the next run time, writes only in the first run and stops on SIGTERM', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: licenses(3, 'sched') }), datasetOf({}));
    const cli = p.start(['sync', '--every', EVERY_SECOND]);
    await waitFor('two finished runs', async () => (await history(p)).filter((run) => run.outcome === 'in-sync').length >= 2, cli);

    // At start and after each run: the next tick, a whole second, about a second after the line's own time.
    const { stderr } = cli.output();
    const nextRuns = nextRunLines(stderr);
    expect(nextRuns.length, stderr).toBeGreaterThanOrEqual(3);
    for (const { loggedAt, next, line } of nextRuns) {
      expect(next % 1000, line).toBe(0);
      expect(Math.abs(next - loggedAt), line).toBeLessThanOrEqual(1500);
    }

    cli.child.kill('SIGTERM');
    const ended = await cli.done;
    const runs = await history(p);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((run) => run.outcome === 'running')).toEqual([]);
    // SIGTERM while idle exits 0; in the middle of a run that then stops short, 6.
    const interrupted = runs.some((run) => run.outcome === 'interrupted');
    expect(ended.exitCode, ended.stderr).toBe(interrupted ? 6 : 0);
    expect(ended.stderr).toMatch(/SIGTERM: finishing the operations in flight/);
    expect(ended.stderr).toMatch(/\bstopped\b/);

    const [first, ...later] = runs as [RunSummary, ...RunSummary[]];
    expect(first).toMatchObject({ command: 'sync', outcome: 'in-sync', exitCode: 0, pid: cli.child.pid, operations: { planned: 3, done: 3, failed: 0, notSent: 0 } });
    for (const run of later) expect(run.operations, `run #${run.id}`).toMatchObject({ done: 0, failed: 0 });
    for (const run of later.slice(0, -1)) expect(run.outcome, `run #${run.id}`).toBe('in-sync');
    expect(await writesReceived(p.backup)).toBe(3);
    expect((await deviceIds(p.backup)).sort()).toEqual(['sched-00', 'sched-01', 'sched-02']);
    expect(overlaps(runs)).toEqual([]);
  }, 30_000);

  it('skips a scheduled run while the previous one is still going: never two runs at once', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: licenses(3, 'slow') }), datasetOf({}));
    // Every request to the backup takes 400 ms: a run takes well over the 1 s between ticks.
    await p.backup.control.setFaults({ latency: { fixedMs: 400 } });
    const cli = p.start(['sync', '--every', EVERY_SECOND], { env: { SYNC_DBS_CONCURRENCY: '1' } });
    await waitFor(
      'two finished runs and a skipped tick',
      async () => /still going; this scheduled run is skipped/.test(cli.output().stderr) && (await history(p)).filter((run) => run.outcome !== 'running').length >= 2,
      cli,
    );
    cli.child.kill('SIGTERM');
    const ended = await cli.done;
    expect([0, 6], ended.stderr).toContain(ended.exitCode);

    const runs = await history(p);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((run) => run.outcome === 'running')).toEqual([]);
    expect(overlaps(runs)).toEqual([]);
    // The skipped ticks never even reached the lock.
    expect(ended.stderr).not.toMatch(/holds the lock/);
    expect(count(ended.stderr, /this scheduled run is skipped/)).toBeGreaterThanOrEqual(1);
    expect(await writesReceived(p.backup)).toBe(3);
  }, 30_000);
});

describe('a stop signal in the middle of a run', () => {
  const MANY = licenses(40, 'many');
  const ALL_KEYS = MANY.map((license) => license.device_id).sort();

  /** Loads 40 missing licenses and a slow backup; starts `sync` with `args`; waits until some writes are done. */
  async function startSlowRun(p: Pair, args: readonly string[]): Promise<StartedCli> {
    await p.load(datasetOf({ licenses: MANY }), datasetOf({}));
    await p.backup.control.setFaults({ latency: { fixedMs: 150 } });
    const cli = p.start([...args, '--log-level', 'debug'], { env: { SYNC_DBS_CONCURRENCY: '2' } });
    // The debug line comes as each operation is sent; with 2 in flight, 6 sent means at least 4 done.
    await waitFor('six operations sent', () => count(cli.output().stderr, /backup: create-license license:/) >= 6, cli);
    return cli;
  }

  /** The interrupted run is recorded with what it did; the backup got exactly those writes; the next run finishes the job. */
  async function expectInterruptedThenResumed(p: Pair, cli: StartedCli, signal: 'SIGTERM' | 'SIGINT'): Promise<void> {
    const ended = await cli.done;
    expect(ended.exitCode, ended.stderr).toBe(6);
    expect(ended.stderr).toContain(`${signal}: finishing the operations in flight`);
    expect(ended.stderr).toMatch(/interrupted: \d+ of 40 operations were not sent/);

    const runs = await history(p);
    expect(runs.filter((run) => run.outcome === 'running')).toEqual([]);
    const stopped = runs.at(-1) as RunSummary;
    expect(stopped).toMatchObject({ command: 'sync', outcome: 'interrupted', exitCode: 6, pid: cli.child.pid });
    const { planned, done, failed, notSent } = stopped.operations;
    expect(planned).toBe(40);
    expect(failed).toBe(0);
    expect(done).toBeGreaterThan(0);
    expect(notSent).toBeGreaterThan(0);
    // The operations in flight finished: every planned one is either done or never sent.
    expect(done + notSent).toBe(40);
    // One write per created license: the backup received exactly the writes recorded as done.
    expect(await writesReceived(p.backup)).toBe(done);
    expect(await deviceIds(p.backup)).toHaveLength(done);

    await p.backup.control.setFaults({});
    const resumed = await runJson(p);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.report.outcome).toBe('in-sync');
    expect(resumed.report.applied.summary).toMatchObject({ done: notSent, failed: 0 });
    // The interrupted run was closed properly, not left for this one to find.
    expect(resumed.report.interruptedRuns).toEqual([]);
    expect((await deviceIds(p.backup)).sort()).toEqual(ALL_KEYS);
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('one-shot sync: %s lets the writes in flight finish, records the run as interrupted and exits 6', async (signal) => {
    const p = pair();
    const cli = await startSlowRun(p, ['sync', '--json']);
    cli.child.kill(signal);
    const ended = await cli.done;
    const report = ended.json<{ outcome: string; exitCode: number; applied: { summary: { done: number; notSent: number } } }>();
    expect(report).toMatchObject({ outcome: 'interrupted', exitCode: 6 });
    expect(report.applied.summary.done + report.applied.summary.notSent).toBe(40);
    await expectInterruptedThenResumed(p, cli, signal);
  }, 30_000);

  it.each([
    ['waiting for a sleeping server to wake up', { down: true }, { SYNC_DBS_WAKE_TIMEOUT: '60' }],
    ['retrying a listing that is not JSON', { malformedListing: { mode: 'html' } }, { SYNC_DBS_RETRIES: '6', SYNC_DBS_RETRY_DELAY: '5', SYNC_DBS_RETRY_MAX_DELAY: '20' }],
  ] as const)('SIGTERM while %s stops at once, as interrupted (exit 6), with nothing written', async (_what, faults, env) => {
    const p = pair();
    await p.load(datasetOf({ licenses: licenses(3, 'wake') }), datasetOf({}));
    await p.primary.control.setFaults(faults);
    const cli = p.start(['sync', '--json'], { env });
    await waitFor('the first requests', async () => Object.keys((await p.primary.control.stats()).requests).length > 0, cli);
    await sleep(500);
    const signalled = Date.now();
    cli.child.kill('SIGTERM');
    const ended = await cli.done;

    // Well before the wake timeout or the next retry: the wait itself was cut short.
    expect(Date.now() - signalled).toBeLessThan(4_000);
    expect(ended.exitCode, ended.stderr).toBe(6);
    expect(ended.json()).toMatchObject({ outcome: 'interrupted', exitCode: 6, verdict: 'Interrupted before writing anything.' });
    expect((await history(p)).map((run) => [run.outcome, run.exitCode])).toEqual([['interrupted', 6]]);
    expect(await writesReceived(p.backup)).toBe(0);
  }, 30_000);

  it('a second SIGTERM exits at once; the next run finds the run it left behind and reports it as interrupted', async () => {
    const p = pair();
    const cli = await startSlowRun(p, ['sync']);
    // From now on each write takes 1.5 s: once the quick ones have settled, the two in flight are far from done
    // when the second signal comes, so the process dies with them unanswered.
    await p.backup.control.setFaults({ latency: { fixedMs: 1500 } });
    await sleep(400);
    cli.child.kill('SIGTERM');
    await waitFor('the first SIGTERM to be seen', () => cli.output().stderr.includes('SIGTERM: finishing the operations in flight'), cli);
    cli.child.kill('SIGTERM');
    const ended = await cli.done;
    expect(ended.exitCode, ended.stderr).toBe(143);
    expect(ended.stderr).toMatch(/SIGTERM again: exiting now/);
    // Killed before it could record its end: still `running` until the next run looks.
    expect((await history(p)).at(-1)).toMatchObject({ outcome: 'running', pid: cli.child.pid });
    // The writes it left in flight still reach the backup (the emulator answers into a closed socket);
    // let them land so that they do not fall into the next test's data.
    await sleep(1600);

    await p.backup.control.setFaults({});
    const next = await runJson(p);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/was interrupted: \d+ done, 0 failed, \d+ sent without an answer, \d+ never sent/);
    expect(next.report.interruptedRuns).toEqual([
      { runId: expect.any(Number), startedAt: expect.any(String), pid: cli.child.pid, hostname: expect.any(String), done: expect.any(Number), failed: 0, unknown: expect.any(Number), notSent: expect.any(Number) },
    ]);
    const left = next.report.interruptedRuns[0] as { done: number; unknown: number; notSent: number };
    expect(left.done).toBeGreaterThan(0);
    expect(left.notSent).toBeGreaterThan(0);
    // The (at most two) writes in flight were sent, their answers never recorded.
    expect(left.unknown).toBeGreaterThan(0);
    expect(left.unknown).toBeLessThanOrEqual(2);
    expect(left.done + left.unknown + left.notSent).toBe(40);
    expect((await deviceIds(p.backup)).sort()).toEqual(ALL_KEYS);
    const runs = await history(p);
    expect(runs.filter((run) => run.outcome === 'running')).toEqual([]);
    expect(runs.find((run) => run.pid === cli.child.pid)).toMatchObject({ outcome: 'interrupted', operations: { planned: 40, done: left.done, notSent: left.notSent } });
  }, 30_000);

  it('sync --every: SIGTERM lets the run in progress wind down, records it as interrupted and exits 6', async () => {
    const p = pair();
    const cli = await startSlowRun(p, ['sync', '--every', EVERY_SECOND]);
    cli.child.kill('SIGTERM');
    const ended = await cli.done;
    expect(ended.stderr).toMatch(/waiting for the run in progress to finish its operations in flight/);
    expect(ended.stderr).toMatch(/\bstopped\b/);
    await expectInterruptedThenResumed(p, cli, 'SIGTERM');
    // Only the one run: no tick started another after the signal.
    expect((await history(p)).filter((run) => run.pid === cli.child.pid)).toHaveLength(1);
  }, 30_000);
});
