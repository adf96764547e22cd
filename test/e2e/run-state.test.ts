import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/emulator/dataset/dataset-file.js';
import type { RunSummary, StatusReport } from '../../src/state/run-records.js';
import { StateStore } from '../../src/state/state-store.js';
import { allowedLicense, datasetOf, useSyncPair, writesReceived, type SyncPair } from '../support/sync-pair.js';
import { runJson, seedForFailures } from './support/e2e-helpers.js';

// The state directory across runs, with the built CLI as a process and the
// state database as a real SQLite file: what is recorded, the lock, a run
// killed mid-way, and the shrink guard against the last good run.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const licenses = (count: number, prefix = 'DEV') => Array.from({ length: count }, (_, index) => allowedLicense(`${prefix}-${String(index).padStart(3, '0')}`));

/** A primary with `count` licenses and a backup missing the last `missing` of them. */
function staleBackupPair(count: number, missing: number): [Dataset, Dataset] {
  const all = licenses(count);
  return [datasetOf({ licenses: all }), datasetOf({ licenses: all.slice(0, count - missing) })];
}

function readStore<T>(stateDir: string, read: (store: StateStore) => T): T {
  const store = StateStore.openIfExists(stateDir);
  if (store === null) throw new Error(`no state database in ${stateDir}`);
  try {
    return read(store);
  } finally {
    store.close();
  }
}

async function history(p: SyncPair): Promise<RunSummary[]> {
  const run = await p.cli(['history', '--json', '--limit', '50']);
  expect(run.exitCode).toBe(0);
  return run.json<{ format: string; runs: RunSummary[] }>().runs;
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Operations done so far by the newest run (live while it runs); 0 before there is a database. */
function doneInLastRun(stateDir: string): number {
  const store = StateStore.openIfExists(stateDir);
  if (store === null) return 0;
  try {
    return store.history(1)[0]?.operations.done ?? 0;
  } finally {
    store.close();
  }
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('no child pid');
  return child.pid;
}

describe('runs and journal', () => {
  it('records each sync with its outcome, counts and journal, and history and status read them back', async () => {
    const p = pair();
    await p.load(...staleBackupPair(12, 3));

    const first = await runJson(p);
    const second = await runJson(p);

    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(first.report.runId).toBe(1);
    expect(second.report.runId).toBe(2);
    const runs = await history(p);
    expect(runs.map((run) => [run.id, run.outcome, run.exitCode, run.operations.planned, run.operations.done])).toEqual([
      [2, 'in-sync', 0, 0, 0],
      [1, 'in-sync', 0, 3, 3],
    ]);
    expect(runs[1]?.servers).toEqual([
      { server: 'primary', url: p.primary.url, users: 0, licenses: 12 },
      { server: 'backup', url: p.backup.url, users: 0, licenses: 9 },
    ]);
    expect(runs[1]?.verdict).toBe(first.report.verdict);
    const journal = readStore(p.stateDir, (store) => store.journal(1));
    // In plan order, every one done.
    expect(journal.map((entry) => [entry.kind, entry.key, entry.status])).toEqual(
      (first.report.plan?.operations ?? []).map((operation) => [operation.kind, operation.key, 'done']),
    );
    expect(journal.map((entry) => entry.key).sort()).toEqual(['DEV-009', 'DEV-010', 'DEV-011'].map((id) => `license:${id}`));
    expect(readStore(p.stateDir, (store) => store.lastGoodCounts(p.primary.url))).toMatchObject({ users: 0, licenses: 12, runId: 2 });

    const status = await p.cli(['status', '--json']);
    expect(status.exitCode).toBe(0);
    expect(status.json<StatusReport>()).toMatchObject({ health: 'healthy', consecutiveFailures: 0, lastRun: { id: 2 }, running: null });
  });

  it('records a failed run with its failed operations, and status exits with its code', async () => {
    const p = pair();
    await p.load(...staleBackupPair(6, 2));
    // Login is a POST too: a seed that lets it through and fails the two upserts (no retry).
    const seed = seedForFailures(0.9, ['pass', 'fail', 'fail']);
    await p.backup.control.setFaults({ seed, failures: { rate: 0.9, kinds: ['500'], scope: 'writes', afterHandlerShare: 0 } });

    const run = await runJson(p, ['--retries', '1', '--concurrency', '1']);

    expect(run.exitCode).toBe(1);
    const [recorded] = await history(p);
    expect(recorded).toMatchObject({ outcome: 'failed', exitCode: 1, operations: { planned: 2, done: 0, failed: 2 } });
    const status = await p.cli(['status', '--json']);
    expect(status.exitCode).toBe(1);
    const report = status.json<StatusReport>();
    expect(report).toMatchObject({ health: 'failing', consecutiveFailures: 1 });
    expect(report.unfinished.map((entry) => [entry.key, entry.status]).sort()).toEqual([
      ['license:DEV-004', 'failed'],
      ['license:DEV-005', 'failed'],
    ]);
    expect(report.unfinished[0]?.detail).toMatch(/500/);
  });

  it('status says "never run" (exit 7) on an empty state directory and creates nothing there', async () => {
    const p = pair();
    const run = await p.cli(['status']);
    expect(run.exitCode).toBe(7);
    expect(run.stdout).toMatch(/NEVER RUN/);
    expect(await readdir(p.stateDir)).toEqual([]);
  });

  it('status turns stale (exit 7) once the last success is older than twice --expect-every', async () => {
    const p = pair();
    await p.load(...staleBackupPair(3, 0));
    expect((await p.cli(['--quiet'])).exitCode).toBe(0);
    await sleep(2_100);

    const fresh = await p.cli(['status', '--json', '--expect-every', '10m']);
    const stale = await p.cli(['status', '--json', '--expect-every', '1s']);

    expect(fresh.exitCode).toBe(0);
    expect(stale.exitCode).toBe(7);
    expect(stale.json<StatusReport>()).toMatchObject({ health: 'stale', stale: true });
  });
});

describe('the state directory', () => {
  it('when it cannot be used, the run exits 2 before contacting any server, saying why', async () => {
    const p = pair();
    await p.load(...staleBackupPair(3, 1));
    const notADirectory = path.join(p.stateDir, 'plain-file');
    await writeFile(notADirectory, 'x');

    const run = await p.cli([], { env: { SYNC_DBS_STATE_DIR: notADirectory } });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`cannot use the state directory ${notADirectory}: `);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    expect((await p.backup.control.stats()).requests).toEqual({});
  });

  it('refuses a state database written by a newer sync-dbs, naming the file', async () => {
    const p = pair();
    await p.load(...staleBackupPair(3, 1));
    StateStore.open(p.stateDir).close();
    const db = new Database(path.join(p.stateDir, 'state.db'));
    db.pragma('user_version = 99');
    db.close();

    const run = await p.cli([]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/state\.db has schema version 99, written by a newer sync-dbs/);
    expect(await writesReceived(p.backup)).toBe(0);
  });

  it('prunes runs older than --history-retention days after a run, keeping the recent ones', async () => {
    const p = pair();
    await p.load(...staleBackupPair(3, 0));
    const store = StateStore.open(p.stateDir);
    const old = (daysAgo: number) => {
      const at = new Date(Date.now() - daysAgo * 86_400_000);
      const id = store.startRun({ command: 'sync', startedAt: at, pid: 1, hostname: 'old-host' });
      store.finishRun(id, { outcome: 'failed', exitCode: 1, endedAt: at, durationMs: 1, verdict: 'old', servers: [], reportText: null, reportJson: null });
    };
    old(40);
    old(10);
    store.close();

    expect((await p.cli(['--quiet', '--history-retention', '30'])).exitCode).toBe(0);

    expect((await history(p)).map((run) => [run.id, run.verdict])).toEqual([
      [3, 'In sync: nothing to do.'],
      [2, 'old'],
    ]);
  });

  it('history prints a table of the runs, newest first', async () => {
    const p = pair();
    await p.load(...staleBackupPair(5, 2));
    expect((await p.cli(['--quiet'])).exitCode).toBe(0);
    expect((await p.cli(['--quiet'])).exitCode).toBe(0);

    const run = await p.cli(['history']);

    expect(run.exitCode).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^run\s+started\s+outcome\s+exit\s+took\s+done\s+failed\s+not sent\s+verdict$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 1).concat(line.split(/\s{2,}/).slice(2, 4)))).toEqual([
      ['#2', 'in-sync', '0'],
      ['#1', 'in-sync', '0'],
    ]);
    expect(lines[2]).toMatch(/In sync: 2 writes applied and verified\.$/);
  });
});

describe('the lock', () => {
  it('lets exactly one of two concurrent runs sync; the other exits 5 naming the holder', async () => {
    const p = pair();
    await p.load(...staleBackupPair(20, 4));
    await p.backup.control.setFaults({ latency: { fixedMs: 250 } });

    const [a, b] = await Promise.all([p.cli(['--json']), p.cli(['--json'])]);

    const codes = [a.exitCode, b.exitCode].sort();
    expect(codes).toEqual([0, 5]);
    const loser = a.exitCode === 5 ? a : b;
    const winner = a.exitCode === 5 ? b : a;
    expect(loser.stderr).toMatch(/another sync-dbs run holds the lock on .*: pid \d+ on .+, started \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2} UTC/);
    expect(loser.json()).toMatchObject({ outcome: 'locked', exitCode: 5, lockHolder: { pid: expect.any(Number) as number } });
    expect(winner.json()).toMatchObject({ outcome: 'in-sync' });
    expect(await writesReceived(p.backup)).toBe(4);
    expect((await history(p)).map((run) => run.outcome)).toEqual(['in-sync']);
  });

  it('recovers a lock whose holder is gone and says so', async () => {
    const p = pair();
    await p.load(...staleBackupPair(3, 1));
    StateStore.open(p.stateDir).close();
    const pid = deadPid();
    const db = new Database(path.join(p.stateDir, 'state.db'));
    const now = new Date().toISOString();
    db.prepare('INSERT INTO run_lock (id, pid, hostname, started_at, heartbeat_at, command, token) VALUES (1, ?, ?, ?, ?, ?, ?)').run(
      pid,
      os.hostname(),
      now,
      now,
      'sync',
      'left-behind',
    );
    db.close();

    const run = await p.cli([]);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`took over the lock left by pid ${pid}`);
    expect(await writesReceived(p.backup)).toBe(1);
  });
});

describe('a run killed with SIGKILL', () => {
  it('leaves a journal that the next run reports as interrupted, then that run converges', async () => {
    const p = pair();
    await p.load(...staleBackupPair(40, 30));
    await p.backup.control.setFaults({ latency: { fixedMs: 60 } });
    const killed = p.start([], { env: { SYNC_DBS_CONCURRENCY: '2' } });
    await waitFor('some operations done', () => doneInLastRun(p.stateDir) >= 4);
    killed.child.kill('SIGKILL');
    await killed.done;
    await p.backup.control.setFaults({});

    const next = await runJson(p);

    expect(next.exitCode).toBe(0);
    expect(next.stderr).toMatch(/took over the lock left by pid \d+/);
    expect(next.report.interruptedRuns).toHaveLength(1);
    const interrupted = next.report.interruptedRuns[0];
    expect(interrupted).toMatchObject({ runId: 1, pid: killed.child.pid });
    expect(interrupted!.done).toBeGreaterThanOrEqual(4);
    expect(interrupted!.notSent).toBeGreaterThan(0);
    expect(interrupted!.done + interrupted!.failed + interrupted!.unknown + interrupted!.notSent).toBe(30);
    expect(next.run.stdout).toBe(next.stdout);
    expect((await history(p)).map((run) => run.outcome)).toEqual(['in-sync', 'interrupted']);
    expect((await p.backup.control.state()).devices).toHaveLength(40);
    const text = await p.cli([]);
    expect(text.stdout).not.toMatch(/Interrupted earlier/);
  }, 40_000);

  it('the text report names the interrupted run', async () => {
    const p = pair();
    await p.load(...staleBackupPair(20, 15));
    await p.backup.control.setFaults({ latency: { fixedMs: 80 } });
    const killed = p.start([], { env: { SYNC_DBS_CONCURRENCY: '1' } });
    await waitFor('the journal', () => doneInLastRun(p.stateDir) >= 2);
    killed.child.kill('SIGKILL');
    await killed.done;
    await p.backup.control.setFaults({});

    const next = await p.cli([]);

    expect(next.exitCode).toBe(0);
    expect(next.stdout).toMatch(/Interrupted earlier \(1\): .*\n {2}run #1 \(pid \d+ on .+, started .+\): \d+ done, 0 failed, \d+ sent without an answer, \d+ never sent/);
  }, 40_000);
});

describe('the shrink guard against the last good run', () => {
  it('refuses (exit 4, nothing written) a primary listing far smaller than at the last good run, unless --force', async () => {
    const p = pair();
    const all = licenses(50);
    await p.load(datasetOf({ licenses: all }), datasetOf({ licenses: all.slice(0, 45) }));
    expect((await runJson(p)).exitCode).toBe(0);
    // The backup is wiped (so the backup-based ratio cannot help), and the primary answers with a tenth of its rows.
    await p.load(datasetOf({ licenses: all }), datasetOf({}));
    await p.primary.control.setFaults({ malformedListing: { mode: 'partial', keepFraction: 0.1 } });

    const refused = await runJson(p);

    expect(refused.exitCode).toBe(4);
    expect(refused.report.guards).toEqual([
      { guard: 'shrunk-since-last-good-run', message: expect.stringMatching(/lists 5 licenses \(GET \/admin\/devices\) but listed 50 at the last good run .* 90% fewer, more than --max-shrink 10%/) as string },
    ]);
    expect(await writesReceived(p.backup)).toBe(0);

    const allowed = await runJson(p, ['--max-shrink', '0.95']);
    expect(allowed.exitCode).toBe(0);
    expect(await writesReceived(p.backup)).toBe(5);
  });

  it('--force goes on and reports the overridden guard', async () => {
    const p = pair();
    const all = licenses(20);
    await p.load(datasetOf({ licenses: all }), datasetOf({ licenses: all }));
    expect((await runJson(p)).exitCode).toBe(0);
    await p.load(datasetOf({ licenses: all.slice(0, 10) }), datasetOf({ licenses: all.slice(0, 10) }));

    const refused = await runJson(p);
    const forced = await runJson(p, ['--force']);

    expect(refused.exitCode).toBe(4);
    expect(forced.exitCode).toBe(0);
    expect(forced.report.forcedGuards).toEqual([{ guard: 'shrunk-since-last-good-run', message: expect.stringMatching(/10 licenses \(GET \/admin\/devices\) but listed 20/) as string }]);
    expect(forced.stderr).toMatch(/--force: going on although/);
    // That good run is the new reference.
    expect((await runJson(p)).exitCode).toBe(0);
  });

  it('plan shows the same refusal without recording a run', async () => {
    const p = pair();
    const all = licenses(20);
    await p.load(datasetOf({ licenses: all }), datasetOf({ licenses: all }));
    expect((await runJson(p)).exitCode).toBe(0);
    await p.load(datasetOf({ licenses: all.slice(0, 2) }), datasetOf({ licenses: all.slice(0, 2) }));

    const plan = await runJson(p, ['plan']);

    expect(plan.exitCode).toBe(4);
    expect(plan.report.guards.map((guard) => guard.guard)).toEqual(['shrunk-since-last-good-run']);
    expect(await history(p)).toHaveLength(1);
  });
});

describe('the rotated log file', () => {
  it('gets one JSON object per line in <state-dir>/logs, named by the UTC day', async () => {
    const p = pair();
    await p.load(...staleBackupPair(4, 1));
    expect((await p.cli(['--quiet'])).exitCode).toBe(0);

    const dir = path.join(p.stateDir, 'logs');
    const files = (await readdir(dir)).filter((name) => name.endsWith('.log'));
    expect(files).toEqual([`sync-dbs-${new Date().toISOString().slice(0, 10)}.log`]);
    const lines = (await readFile(path.join(dir, files[0]!), 'utf8')).trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { level: string; message: string; timestamp: string });
    expect(entries.some((entry) => entry.level === 'info' && /^backup: plan: 1 operation$/.test(entry.message))).toBe(true);
    for (const entry of entries) expect(Date.parse(entry.timestamp)).not.toBeNaN();
  });
});
