import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { StartedCli } from '../support/cli-process.js';
import { allowedLicense, datasetOf, useSyncPair, writesReceived } from '../support/sync-pair.js';
import type { RunSummary } from '../../src/state/run-records.js';

// `sync --every`: the first run comes at start (not an hour later), unless
// --no-run-at-start; each report on stdout is headed by a separator line with
// the run's time (text), or is one JSON document per line (--json).

const pair = useSyncPair();
type Pair = ReturnType<typeof pair>;

const EVERY_SECOND = '* * * * * *';
/** Next due a year from now at the latest: any run within the test came from the start. */
const ONCE_A_YEAR = '0 0 1 1 *';
const SEPARATOR = /^======== run of (.+) ========$/gm;
const LOCAL_TIME_WITH_OFFSET = /\d{1,2}:\d{2}:\d{2}(?: [AP]M)? UTC(?:[+-]\d{2}:\d{2})?$/;

async function finishedRuns(p: Pair): Promise<RunSummary[]> {
  const run = await p.cli(['history', '--json', '--limit', '1000']);
  expect(run.exitCode, run.stderr).toBe(0);
  return run.json<{ runs: RunSummary[] }>().runs.filter((summary) => summary.outcome !== 'running');
}

async function waitFor(what: string, check: () => Promise<boolean>, cli: StartedCli, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (cli.child.exitCode !== null) break;
    await sleep(100);
  }
  const { stdout, stderr } = cli.output();
  throw new Error(`timed out waiting for ${what} (exit ${cli.child.exitCode})\nstdout:\n${stdout}\nstderr:\n${stderr}`);
}

async function stop(cli: StartedCli) {
  cli.child.kill('SIGTERM');
  const ended = await cli.done;
  expect([0, 6], ended.stderr).toContain(ended.exitCode);
  return ended;
}

describe('sync --every', () => {
  it('runs once at start, headed by a separator with the run\'s local time, then waits for the schedule', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('start-1'), allowedLicense('start-2')] }), datasetOf({}));
    const before = Date.now();
    const cli = p.start(['sync', '--every', ONCE_A_YEAR]);
    await waitFor('the run at start', async () => (await finishedRuns(p)).length === 1 && /next run at/.test(cli.output().stderr), cli);
    const ended = await stop(cli);

    const [run] = await finishedRuns(p);
    expect(run).toMatchObject({ outcome: 'in-sync', exitCode: 0, operations: { done: 2 } });
    expect(Date.parse(run?.startedAt ?? '') - before).toBeLessThan(10_000);
    expect(await writesReceived(p.backup)).toBe(2);
    const separators = [...ended.stdout.matchAll(SEPARATOR)];
    expect(separators, ended.stdout).toHaveLength(1);
    expect(ended.stdout.startsWith(separators[0]?.[0] ?? '?')).toBe(true);
    expect(separators[0]?.[1]).toMatch(LOCAL_TIME_WITH_OFFSET);
    // The report follows its separator.
    expect(ended.stdout.slice((separators[0]?.[0] ?? '').length).trim()).not.toBe('');
  }, 30_000);

  it('with --no-run-at-start waits for the schedule: no run, no report', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('wait-1')] }), datasetOf({}));
    const cli = p.start(['sync', '--every', ONCE_A_YEAR, '--no-run-at-start']);
    await waitFor('the next run time', async () => /next run at/.test(cli.output().stderr), cli);
    // Long enough for a run at start to have listed both servers.
    await sleep(1500);
    const ended = await stop(cli);
    expect(ended.exitCode).toBe(0);
    expect(ended.stdout).toBe('');
    expect(await finishedRuns(p)).toEqual([]);
    expect(Object.keys((await p.primary.control.stats()).requests)).toEqual([]);
  }, 30_000);

  it('separates successive text reports: one separator, with the time of its run, before each report', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('tick-1')] }), datasetOf({}));
    const cli = p.start(['sync', '--every', EVERY_SECOND]);
    await waitFor('three separated reports', async () => [...cli.output().stdout.matchAll(SEPARATOR)].length >= 3, cli);
    const { stdout } = await stop(cli);

    const separators = [...stdout.matchAll(SEPARATOR)];
    const reports = stdout.split(SEPARATOR);
    expect(reports[0], 'nothing before the first separator').toBe('');
    for (const separator of separators) expect(separator[1]).toMatch(LOCAL_TIME_WITH_OFFSET);
    // split() keeps each captured time: [ '', time1, report1, time2, report2, ... ].
    const texts = reports.filter((_, index) => index > 0 && index % 2 === 0);
    expect(texts.length).toBe(separators.length);
    for (const text of texts) expect(text.trim(), stdout).not.toBe('');
  }, 30_000);

  it('under --json prints each report as one JSON document per line', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('json-1')] }), datasetOf({}));
    const cli = p.start(['sync', '--json', '--every', EVERY_SECOND]);
    await waitFor('two JSON lines', async () => cli.output().stdout.split('\n').filter(Boolean).length >= 2, cli);
    const { stdout } = await stop(cli);

    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(stdout.endsWith('\n')).toBe(true);
    const reports = lines.map((line) => JSON.parse(line) as { command: string; outcome: string });
    expect(reports.length).toBeGreaterThanOrEqual(2);
    for (const report of reports) expect(report).toMatchObject({ command: 'sync' });
    expect(reports[0]?.outcome).toBe('in-sync');
    expect(stdout).not.toMatch(/========/);
  }, 30_000);

  it('heads the reports in Portuguese under pt-BR', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('pt-1')] }), datasetOf({}));
    const cli = p.start(['sync', '--every', ONCE_A_YEAR], { env: { SYNC_DBS_LANG: 'pt-BR' } });
    await waitFor('the run at start', async () => (await finishedRuns(p)).length === 1, cli);
    await waitFor('its report', async () => /^======== execução de .+ ========$/m.test(cli.output().stdout), cli);
    const ended = await stop(cli);
    // dd/mm/yyyy, the Brazilian way, and the offset.
    expect(ended.stdout).toMatch(/^======== execução de \d{2}\/\d{2}\/\d{4},? \d{2}:\d{2}:\d{2} UTC(?:[+-]\d{2}:\d{2})? ========$/m);
    expect(ended.stderr).toMatch(/próxima execução em/);
  }, 30_000);
});
