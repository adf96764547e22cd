import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliOnPty, startCliOnPty } from '../support/pty-process.js';
import { Screen } from '../progress/support/screen.js';
import { allowedLicense, datasetOf, useSyncPair, type SyncPair } from '../support/sync-pair.js';

// The progress the operator sees, through the built CLI: a live line on a
// terminal (util-linux `script` gives the CLI a pseudo-terminal), log lines
// when stderr is a pipe, the wake-up wait, and stdout left to the report.

const pair = useSyncPair();

const ESC = '\u001b';
/** log-update takes its lines off with "erase line" (then moves up). */
const ERASE_LINE = `${ESC}[2K`;
/** Select Graphic Rendition: colours. */
const COLOUR_CODE = new RegExp(`${ESC}\\[\\d+m`);
/** Shortens the 10 s between progress log lines (an internal setting, for tests). */
const LOG_EVERY = { _SYNC_DBS_PROGRESS_LOG_MS: '300' };

function licenses(count: number) {
  return Array.from({ length: count }, (_, index) => allowedLicense(`prog${String(index).padStart(5, '0')}`));
}

/** The done counts of the progress lines `text` shows for the backup, in order. */
function doneCounts(text: string, total: string, words = { of: 'of', operations: 'operations' }): number[] {
  const pattern = new RegExp(`backup: ([\\d,.]+) ${words.of} ${total.replace('.', '\\.')} ${words.operations}`, 'g');
  return [...text.matchAll(pattern)].map((match) => Number((match[1] as string).replace(/[,.]/g, '')));
}

/** A backup behind `latencyMs` of latency, holding nothing, and a primary holding `count` licenses. */
async function firstSyncOf(p: SyncPair, count: number, latencyMs = 5): Promise<void> {
  await p.load(datasetOf({ licenses: licenses(count) }), datasetOf({}));
  await p.backup.control.setFaults({ latency: { fixedMs: latencyMs } });
}

/**
 * A backup asleep whose proxy answers 503 pages for the next 6 s: long enough
 * for the CLI to start and poll it even on a loaded machine, and to wait a
 * few seconds.
 */
async function sleepingBackup(p: SyncPair, wakeMs = 6_000): Promise<void> {
  await p.load(datasetOf({ licenses: licenses(3) }), datasetOf({}));
  await p.backup.control.setFaults({ coldStart: { idleMs: 600_000, wakeMs, mode: 'error', asleepNow: true } });
}

describe('progress on a terminal', () => {
  it('redraws one line with the growing count of a 5,000-license sync, takes it off at the end, and leaves stdout to the JSON report', async () => {
    const p = pair();
    await firstSyncOf(p, 5_000);
    const reportFile = path.join(p.stateDir, 'report.json');

    const run = await runCliOnPty(['sync', '--json'], { env: p.env(), cwd: p.stateDir, stdoutFile: reportFile, timeoutMs: 110_000 });

    expect(run.exitCode, run.terminal.slice(-2_000)).toBe(0);
    const counts = doneCounts(run.terminal, '5,000');
    expect(new Set(counts).size, run.terminal.slice(0, 2_000)).toBeGreaterThanOrEqual(5);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(counts.at(-1)).toBeGreaterThan(counts[0] as number);
    // Each redraw erases the line it replaces, and the last one is taken off before the run ends.
    const lastLine = run.terminal.lastIndexOf('of 5,000 operations');
    expect(run.terminal.slice(lastLine)).toContain(ERASE_LINE);
    expect(run.terminal.slice(lastLine)).not.toMatch(/backup: [\d,]+ of/);

    const report = await readFile(reportFile, 'utf8');
    expect(report).not.toContain(ESC);
    expect(JSON.parse(report)).toMatchObject({ command: 'sync', outcome: 'in-sync', exitCode: 0 });
  }, 120_000);

  it('leaves a clean screen when stdout shares the terminal: log lines whole, the report after them, no progress line left', async () => {
    const p = pair();
    await firstSyncOf(p, 300);

    const run = await runCliOnPty(['sync', '--log-level', 'debug'], { env: p.env(), cwd: p.stateDir });

    expect(run.exitCode, run.terminal.slice(-2_000)).toBe(0);
    expect(doneCounts(run.terminal, '300').length).toBeGreaterThan(0);
    const screen = new Screen();
    screen.write(run.terminal);
    const shown = screen.shown();
    expect(shown.filter((line) => /backup: [\d,]+ of 300 operations/.test(line))).toEqual([]);
    // A log line drawn over the progress line (or the reverse) would leave a timestamp inside a line.
    expect(shown.filter((line) => /.\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d) (debug|info|warn|error)/.test(line))).toEqual([]);
    expect(shown.filter((line) => / debug backup: create-license license:prog\d{5} /.test(line)).length).toBe(300);
    expect(shown.join('\n')).toMatch(/In sync: 300 writes applied and verified\./);
  }, 30_000);

  it('takes the line off before the report even when no log line comes after the writes (--log-level error)', async () => {
    const p = pair();
    await firstSyncOf(p, 300);

    // One write at a time keeps the writes over several 200 ms redraws: the adaptive limit wrote all 300 within two.
    const run = await runCliOnPty(['sync', '--log-level', 'error', '--concurrency', '1'], { env: p.env(), cwd: p.stateDir });

    expect(run.exitCode, run.terminal.slice(-2_000)).toBe(0);
    expect(doneCounts(run.terminal, '300').length).toBeGreaterThan(0);
    const screen = new Screen();
    screen.write(run.terminal);
    expect(screen.shown().filter((line) => /backup: [\d,]+ of 300 operations/.test(line))).toEqual([]);
    // Nothing before the report's first line: the progress line is gone, not pushed up by it.
    expect(screen.shown()[0]).toMatch(/^Result: /);
    expect(screen.shown().join('\n')).toContain('In sync: 300 writes applied and verified.');
  }, 30_000);

  it('counts the seconds while a server wakes up, in colour', async () => {
    const p = pair();
    await sleepingBackup(p);

    const run = await runCliOnPty(['sync'], { env: p.env({ SYNC_DBS_WAKE_TIMEOUT: '30' }), cwd: p.stateDir });

    expect(run.exitCode, run.terminal).toBe(0);
    const seconds = [...run.terminal.matchAll(/waking backup: (\d+) s of 30/g)].map((match) => Number(match[1]));
    expect(new Set(seconds).size, run.terminal).toBeGreaterThanOrEqual(2);
    expect(run.terminal).toContain(`${ESC}[33mwaking backup:`);
  }, 30_000);

  it('writes no colour codes under NO_COLOR', async () => {
    const p = pair();
    await sleepingBackup(p);

    const run = await runCliOnPty(['sync'], { env: p.env({ SYNC_DBS_WAKE_TIMEOUT: '30', NO_COLOR: '1' }), cwd: p.stateDir });

    expect(run.exitCode, run.terminal).toBe(0);
    expect(run.terminal).toMatch(/waking backup: \d+ s of 30/);
    expect(run.terminal).not.toMatch(COLOUR_CODE);
  }, 30_000);

  it('shows nothing with --no-progress', async () => {
    const p = pair();
    await sleepingBackup(p);

    const run = await runCliOnPty(['sync', '--no-progress'], { env: p.env({ SYNC_DBS_WAKE_TIMEOUT: '30', ...LOG_EVERY }), cwd: p.stateDir });

    expect(run.exitCode, run.terminal).toBe(0);
    expect(run.terminal).toContain('backup: waiting for the server to wake up');
    expect(run.terminal).not.toContain('waking backup');
  }, 30_000);

  it('takes the line off when SIGINT stops the run', async () => {
    const p = pair();
    await firstSyncOf(p, 5_000);
    const started = startCliOnPty(['sync'], { env: p.env(), cwd: p.stateDir });
    const deadline = Date.now() + 20_000;
    while (doneCounts(started.terminal(), '5,000').filter((count) => count > 0).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const pid = started.cliPid();
    expect(pid, started.terminal()).not.toBeNull();
    process.kill(pid as number, 'SIGINT');

    const run = await started.done;

    expect(run.exitCode, run.terminal.slice(-2_000)).toBe(6);
    // The last progress line drawn (the report's own 'N of 5,000 operations done' comes later and is not one).
    const lastLine = Math.max(...[...run.terminal.matchAll(/backup: [\d,]+ of 5,000 operations/g)].map((match) => match.index + match[0].length));
    expect(lastLine).toBeGreaterThan(0);
    expect(run.terminal.slice(lastLine)).toContain(ERASE_LINE);
    expect(run.terminal.slice(lastLine)).not.toMatch(/backup: [\d,]+ of/);
  }, 60_000);
});

describe('progress without a terminal', () => {
  it('logs a progress line at each interval while writing', async () => {
    const p = pair();
    // 25 ms per write, 4 at a time, keeps 500 writes over 3 s, ten 300 ms intervals, on any machine: the adaptive
    // limit grows with an idle backup, and wrote them in about 1 s (at 5 ms, Node 24 wrote them in 0.6 s).
    await firstSyncOf(p, 500, 25);

    const run = await p.cli(['sync', '--concurrency', '4'], { env: LOG_EVERY });

    expect(run.exitCode, run.stderr).toBe(0);
    const lines = run.stderr.split('\n').filter((line) => / info {2}backup: [\d,]+ of 500 operations/.test(line));
    expect(lines.length, run.stderr).toBeGreaterThanOrEqual(2);
    expect(run.stderr).not.toContain(ESC);
    expect(run.stdout).not.toMatch(/backup: [\d,]+ of 500 operations/);
  }, 30_000);

  it('logs none with --no-progress', async () => {
    const p = pair();
    await firstSyncOf(p, 500);

    const run = await p.cli(['sync', '--no-progress'], { env: LOG_EVERY });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('plan: 500 operations');
    expect(run.stderr).not.toMatch(/backup: [\d,]+ of 500 operations/);
  }, 30_000);

  it('logs the wake-up wait of `health` too', async () => {
    const p = pair();
    await sleepingBackup(p);

    const run = await p.cli(['health'], { env: { ...LOG_EVERY, SYNC_DBS_WAKE_TIMEOUT: '30' } });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ info {2}waking backup: \d+ s of 30\n/);
    expect(run.stdout).not.toContain('waking');
  }, 30_000);

  it('logs the wake-up wait in Brazilian Portuguese', async () => {
    const p = pair();
    await sleepingBackup(p);

    const run = await p.cli(['sync'], { env: { ...LOG_EVERY, SYNC_DBS_WAKE_TIMEOUT: '30', SYNC_DBS_LANG: 'pt-BR' } });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ info {2}acordando backup: \d+ s de 30\n/);
    expect(run.stderr).not.toContain('waking backup');
  }, 30_000);
});
