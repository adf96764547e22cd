import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteEntry } from '../../src/emulator/write-log.js';
import type { JsonInterruptedRun, JsonOperation, JsonReport } from '../../src/report/json-report.js';
import type { RunSummary } from '../../src/state/run-records.js';
import { runJson } from '../e2e/support/e2e-helpers.js';
import { TIMER_SLACK_MS } from '../support/fault-testing.js';
import { TODAY, useSyncPair, type SyncPair } from '../support/sync-pair.js';
import { createdTwice, observedAllows, replicableDifferences, verifyDisagreements } from './support/crash-convergence.js';
import { crashData } from './support/crash-dataset.js';
import { progressOf, writesOf } from './support/crash-progress.js';
import { setCrashTrap, type Catch, type Release, type SeenRequest, type TrapServer, type Trigger } from './support/crash-trap.js';
import { recordScenario } from './support/scenario-results.js';

// Issue 6, crash tests: a sync of 2,000 licenses killed with SIGKILL at ten
// points, from waking the servers to verification. Each time the next run
// takes over the lock the dead process left, reports the killed run with
// journal counts that match how far it had got, and converges; a third run
// has nothing left to do.

// The crash points of the executor, the journal and the lock, on the strict mirror's one stage of writes
// (the round trip's stages go through the same executor and journal; its convergence is the chaos scenarios').
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });
const data = crashData({ seed: 606, licenses: 2_000, users: 100, today: TODAY });

/** The default --concurrency: at most this many operations are in flight when the process dies. */
const CONCURRENCY = 8;

/** What the sync plans for the freshly loaded pair (from `sync-dbs plan --json`), the same for every point. */
interface PlanFacts {
  readonly operations: readonly JsonOperation[];
  /** Write requests the whole plan makes. */
  readonly writes: number;
  /** Licenses the plan creates, then blocks (the primary denies them). */
  readonly createdThenBlocked: ReadonlySet<string>;
  readonly createdLicenses: ReadonlySet<string>;
}

type Phase = 'before-plan' | 'writing' | 'verifying';

/** What a point's own checks get to see. */
interface PointContext {
  readonly pair: SyncPair;
  /** The request that sprang the trap. */
  readonly caught: SeenRequest;
  /** Every request the servers received before the kill. */
  readonly seenBeforeKill: readonly SeenRequest[];
  /** The writes the backup had handled when the process died. */
  readonly writesAtKill: readonly WriteEntry[];
  /** performance.now() when SIGKILL was sent. */
  readonly killedAt: number;
}

interface CrashPoint {
  readonly id: string;
  /** Where the process is killed, in a few words. */
  readonly point: string;
  readonly phase: Phase;
  /** The request that springs the trap: its server and route (when the point fixes it). */
  readonly caught: { readonly server: TrapServer; readonly route?: string };
  readonly trigger: (plan: PlanFacts) => Trigger;
  /** Held (the default), or answered at once in the server's place. */
  readonly catch?: Catch;
  /** What becomes of the held requests after the kill. */
  readonly release: Release;
  /** Writes the backup had handled when the process died; undefined when it depends on timing. */
  readonly writesAtKill?: (plan: PlanFacts) => number;
  readonly killedEnv?: Readonly<Record<string, string>>;
  /** Time given to the frozen process before the kill. */
  readonly waitBeforeKillMs?: number;
  /** The point's own checks: right after the kill, after the held requests were released, after the next run. */
  readonly atKill?: (context: PointContext) => void;
  readonly afterRelease?: (context: PointContext) => Promise<void>;
  readonly afterRecovery?: (context: PointContext, recovery: JsonReport) => Promise<void>;
}

const on =
  (server: TrapServer, route: string): Trigger =>
  (request) =>
    request.server === server && request.route === route;

const nthWrite =
  (number: (plan: PlanFacts) => number) =>
  (plan: PlanFacts): Trigger =>
  (request) =>
    request.server === 'backup' && request.writeNumber === number(plan);

const atShare = (share: number) => (plan: PlanFacts) => Math.round(share * plan.writes);

const BLOCK_ROUTE = 'POST /admin/devices/:device_id/deactivate';
const LISTING_ROUTE = 'GET /admin/devices';
/** Point 9 kills this long after the 503, well inside the first backoff (1 to 2 s with --retry-delay 1). */
const KILL_IN_BACKOFF_AFTER_MS = 300;
const SERVICE_UNAVAILABLE_PAGE = '<!doctype html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>';

const CRASH_POINTS: readonly CrashPoint[] = [
  {
    id: '01',
    point: 'while waking the backup',
    phase: 'before-plan',
    caught: { server: 'backup', route: 'GET /health' },
    trigger: () => on('backup', 'GET /health'),
    release: 'serve',
    writesAtKill: () => 0,
  },
  {
    id: '02',
    point: 'while logging in to the primary',
    phase: 'before-plan',
    caught: { server: 'primary', route: 'POST /admin/login' },
    trigger: () => on('primary', 'POST /admin/login'),
    release: 'drop',
    writesAtKill: () => 0,
  },
  {
    id: '03',
    point: "during the primary's license listing",
    phase: 'before-plan',
    caught: { server: 'primary', route: LISTING_ROUTE },
    trigger: () => on('primary', LISTING_ROUTE),
    release: 'serve',
    writesAtKill: () => 0,
  },
  {
    id: '04',
    point: "during the backup's license listing",
    phase: 'before-plan',
    caught: { server: 'backup', route: LISTING_ROUTE },
    trigger: () => on('backup', LISTING_ROUTE),
    release: 'drop',
    writesAtKill: () => 0,
  },
  {
    id: '05',
    point: 'at the first write',
    phase: 'writing',
    caught: { server: 'backup' },
    trigger: nthWrite(() => 1),
    release: 'serve',
    writesAtKill: () => 0,
  },
  {
    id: '06',
    point: 'between a create and its block',
    phase: 'writing',
    caught: { server: 'backup', route: BLOCK_ROUTE },
    trigger: (plan) => (request) =>
      request.server === 'backup' && request.route === BLOCK_ROUTE && request.key !== null && plan.createdThenBlocked.has(request.key),
    release: 'drop',
    atKill: ({ caught, writesAtKill }) => {
      // Created (and allowed, as every new license is) and its block still held.
      expect(writesAtKill.filter((write) => write.key === caught.key).map(({ effect, allowed }) => ({ effect, allowed }))).toEqual([{ effect: 'inserted', allowed: true }]);
    },
    afterRelease: async ({ pair: p, caught }) => {
      // The block was dropped: the backup now lets in a client the primary refuses.
      const key = caught.key as string;
      const [onBackup, onPrimary] = await Promise.all([observedAllows(p.backup, [key]), observedAllows(p.primary, [key])]);
      expect({ backup: onBackup.get(key), primary: onPrimary.get(key) }).toEqual({ backup: true, primary: false });
    },
    afterRecovery: async ({ pair: p, caught }, recovery) => {
      const key = caught.key as string;
      expect(recovery.plan?.operations.filter((operation) => operation.key === `license:${key}`).map((operation) => operation.kind)).toEqual(['block']);
      expect((await observedAllows(p.backup, [key])).get(key)).toBe(false);
    },
  },
  {
    id: '07',
    point: 'after 25% of the writes',
    phase: 'writing',
    caught: { server: 'backup' },
    trigger: nthWrite(atShare(0.25)),
    release: 'serve',
    writesAtKill: (plan) => atShare(0.25)(plan) - 1,
  },
  {
    id: '08',
    point: 'after 75% of the writes',
    phase: 'writing',
    caught: { server: 'backup' },
    trigger: nthWrite(atShare(0.75)),
    release: 'drop',
    writesAtKill: (plan) => atShare(0.75)(plan) - 1,
  },
  {
    id: '09',
    point: 'during a retry wait',
    phase: 'writing',
    caught: { server: 'backup' },
    trigger: nthWrite(() => 1),
    catch: { answer: { status: 503, contentType: 'text/html; charset=utf-8', body: SERVICE_UNAVAILABLE_PAGE } },
    release: 'serve',
    writesAtKill: () => 0,
    killedEnv: { SYNC_DBS_RETRY_DELAY: '1', SYNC_DBS_RETRY_MAX_DELAY: '2' },
    waitBeforeKillMs: KILL_IN_BACKOFF_AFTER_MS,
    atKill: ({ caught, seenBeforeKill, killedAt }) => {
      // Killed in the backoff: the 503 went out at least 300 ms before, and the write was not sent again.
      const resent = seenBeforeKill.filter((request) => request !== caught && request.server === 'backup' && request.key === caught.key && request.route === caught.route);
      expect(resent).toEqual([]);
      expect(killedAt - caught.at).toBeGreaterThanOrEqual(KILL_IN_BACKOFF_AFTER_MS - TIMER_SLACK_MS);
    },
  },
  {
    id: '10',
    point: 'during verification',
    phase: 'verifying',
    caught: { server: 'backup', route: LISTING_ROUTE },
    trigger: () => (request, seen) =>
      request.server === 'backup' && request.route === LISTING_ROUTE && seen.filter((r) => r.server === 'backup' && r.route === LISTING_ROUTE).length === 2,
    release: 'drop',
    writesAtKill: (plan) => plan.writes,
  },
];

let plan: PlanFacts;
const durations: string[] = [];
const fileStarted = performance.now();

beforeAll(async () => {
  const p = pair();
  await p.load(data.primary, data.backup);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-crash-plan-'));
  try {
    const planned = await runJson(p, ['plan'], { env: { SYNC_DBS_STATE_DIR: dir }, cwd: dir });
    expect(planned.exitCode, planned.stderr).toBe(0);
    const operations = planned.report.plan?.operations ?? [];
    const creations = operations.filter((operation) => operation.kind === 'create-license');
    plan = {
      operations,
      writes: operations.reduce((sum, operation) => sum + writesOf(operation), 0),
      createdThenBlocked: new Set(creations.filter((operation) => operation.kind === 'create-license' && operation.thenBlock !== null).map(deviceIdOf)),
      createdLicenses: new Set(creations.map(deviceIdOf)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // A run that writes a lot, with many creations followed by a block.
  expect(plan.operations.filter((operation) => operation.kind === 'create-user')).toHaveLength(data.missingUsers.length);
  expect(plan.createdThenBlocked.size).toBe(data.missingDenied.length);
  expect(plan.createdThenBlocked.size).toBeGreaterThan(300);
  expect(plan.createdLicenses.size).toBeGreaterThan(900);
  expect(plan.writes).toBeGreaterThan(1_400);
}, 60_000);

afterAll(() => {
  console.log(`crash points: ${durations.join(', ')}; file ${((performance.now() - fileStarted) / 1000).toFixed(1)} s`);
});

function deviceIdOf(operation: JsonOperation): string {
  return operation.key.slice('license:'.length);
}

/** The journal counts the next run reported must match how far the killed run had got, as the backup saw it. */
function expectJournalMatches(point: CrashPoint, interrupted: JsonInterruptedRun, writesAtKill: readonly WriteEntry[]): void {
  const { done, failed, unknown, notSent } = interrupted;
  if (point.phase === 'before-plan') {
    expect({ done, failed, unknown, notSent }).toEqual({ done: 0, failed: 0, unknown: 0, notSent: 0 });
    return;
  }
  const total = plan.operations.length;
  expect(done + failed + unknown + notSent).toBe(total);
  expect(failed).toBe(0);
  if (point.phase === 'verifying') {
    expect({ done, unknown, notSent }).toEqual({ done: total, unknown: 0, notSent: 0 });
    return;
  }
  // Killed with writes in flight: at least the caught one, at most one per concurrent slot.
  expect(unknown).toBeGreaterThanOrEqual(1);
  expect(unknown).toBeLessThanOrEqual(CONCURRENCY);
  const server = progressOf(plan.operations, writesAtKill);
  expect(server.unplanned).toBe(0);
  // `done` only for what the server did; whatever it did (or began) was journaled as sent first.
  expect(done).toBeLessThanOrEqual(server.complete);
  expect(server.complete).toBeLessThanOrEqual(done + unknown);
  expect(server.touched).toBeLessThanOrEqual(done + unknown);
  expect(notSent).toBeLessThanOrEqual(total - server.touched);
}

interface KilledRun {
  readonly pid: number;
  readonly context: PointContext;
  /** From the start of the run to its death. */
  readonly killedAfterMs: number;
}

/** Runs the sync until the trap catches the point, kills it with SIGKILL there, then lets the held requests go. */
async function killAt(p: SyncPair, point: CrashPoint): Promise<KilledRun> {
  const trap = setCrashTrap({ primary: p.primary.emulator, backup: p.backup.emulator }, point.trigger(plan), point.catch);
  try {
    const started = performance.now();
    const killed = p.start(['--json'], point.killedEnv === undefined ? {} : { env: point.killedEnv });
    const first = await Promise.race([trap.sprung.then((request) => ({ request })), killed.done.then((run) => ({ run }))]);
    if ('run' in first) throw new Error(`the run ended (exit ${first.run.exitCode}) before it got ${point.point}\n${first.run.stderr}`);
    const caught = first.request;
    if (point.waitBeforeKillMs !== undefined) await sleep(point.waitBeforeKillMs);
    const seenBeforeKill = trap.seen();
    const killedAt = performance.now();
    killed.child.kill('SIGKILL');
    const run = await killed.done;
    const killedAfterMs = performance.now() - started;
    expect(killed.child.signalCode).toBe('SIGKILL');
    expect(run.exitCode).toBeNull();
    expect({ server: caught.server, ...(point.caught.route === undefined ? {} : { route: caught.route }) }).toEqual(point.caught);
    if (point.catch === undefined) expect(trap.held()).toContainEqual(caught);
    const writesAtKill = (await p.backup.control.writes()).writes;
    if (point.writesAtKill !== undefined) expect(writesAtKill).toHaveLength(point.writesAtKill(plan));
    const context: PointContext = { pair: p, caught, seenBeforeKill, writesAtKill, killedAt };
    point.atKill?.(context);
    await trap.release(point.release);
    await point.afterRelease?.(context);
    return { pid: killed.child.pid as number, context, killedAfterMs };
  } finally {
    // Whatever failed above, leave no request hanging and no trap on the servers.
    await trap.release('drop');
    trap.remove();
  }
}

describe('a sync of 2,000 licenses killed with SIGKILL', () => {
  it.each(CRASH_POINTS.map((point) => [`crash-${point.id}: killed ${point.point}`, point] as const))(
    '%s; the next run recovers the lock, reports the killed run and converges',
    async (_name, point) => {
      const started = performance.now();
      const p = pair();
      await p.load(data.primary, data.backup);
      const killed = await killAt(p, point);
      const { caught } = killed.context;

      // The next run, faults off, on the same state directory.
      const writesBeforeRecovery = (await p.backup.control.writes()).writes.length;
      const recovery = await runJson(p);
      const writesAfterRecovery = (await p.backup.control.writes()).writes;
      expect(recovery.exitCode, recovery.stderr).toBe(0);
      expect(recovery.stderr).toContain(`took over the lock left by pid ${killed.pid}`);
      expect(recovery.report.interruptedRuns).toHaveLength(1);
      const interrupted = recovery.report.interruptedRuns[0] as JsonInterruptedRun;
      expect(interrupted).toMatchObject({ runId: 1, pid: killed.pid });
      expectJournalMatches(point, interrupted, killed.context.writesAtKill);
      expect(recovery.report).toMatchObject({ outcome: 'in-sync', runId: 2 });

      // Converged: the primary's replicable data and /verify answers on the backup, nothing created twice, nothing written to the primary.
      const [primaryState, backupState] = await Promise.all([p.primary.control.state(), p.backup.control.state()]);
      expect(replicableDifferences(primaryState, backupState, TODAY, data.unrepairableContent)).toEqual([]);
      expect(await verifyDisagreements(p.primary, p.backup, primaryState.devices.map((row) => row.device_id))).toEqual([]);
      expect(createdTwice(writesAfterRecovery, plan.createdLicenses)).toEqual([]);
      expect((await p.primary.control.writes()).writes).toEqual([]);
      await point.afterRecovery?.(killed.context, recovery.report);

      // A third run has nothing left to do.
      const third = await runJson(p);
      expect(third.exitCode, third.stderr).toBe(0);
      expect(third.report.plan?.operations).toEqual([]);
      expect(third.report.interruptedRuns).toEqual([]);
      expect((await p.backup.control.writes()).writes).toHaveLength(writesAfterRecovery.length);

      // And history keeps the killed run as interrupted.
      const history = await p.cli(['history', '--json']);
      expect(history.exitCode, history.stderr).toBe(0);
      expect(history.json<{ runs: RunSummary[] }>().runs.map(({ id, outcome, pid }) => ({ id, outcome, pid }))).toEqual([
        { id: 3, outcome: 'in-sync', pid: expect.any(Number) as number },
        { id: 2, outcome: 'in-sync', pid: expect.any(Number) as number },
        { id: 1, outcome: 'interrupted', pid: killed.pid },
      ]);

      const seconds = (performance.now() - started) / 1000;
      const recoveryWrites = writesAfterRecovery.length - writesBeforeRecovery;
      const where = `${caught.server} ${caught.route}${caught.writeNumber === null ? '' : ` (write ${caught.writeNumber} of ${plan.writes})`}`;
      durations.push(`${point.id} ${seconds.toFixed(1)} s`);
      console.log(
        `crash-${point.id} (${point.point}): killed after ${(killed.killedAfterMs / 1000).toFixed(1)} s at ${where}; ` +
          `interrupted: ${interrupted.done} done, ${interrupted.failed} failed, ${interrupted.unknown} unknown, ${interrupted.notSent} not sent; ` +
          `recovery: ${recoveryWrites} writes; ${seconds.toFixed(1)} s`,
      );
      await recordScenario({
        id: `crash-${point.id}`,
        group: 'crash',
        scenario: `sync of 2,000 licenses killed ${point.point}`,
        injected: `SIGKILL while ${where} was ${point.catch === undefined ? 'held' : 'waiting to be retried after a 503'}; the held requests then ${point.release === 'serve' ? 'done by the server' : 'dropped'}`,
        runsToConverge: 2,
        operationsFailed: interrupted.failed + recovery.report.applied.summary.failed,
        requestsRetried: point.catch === undefined ? 0 : 1,
        lost: 'nothing',
        notes:
          `next run reported run #1 interrupted: ${interrupted.done} done, ${interrupted.failed} failed, ${interrupted.unknown} sent without an answer, ` +
          `${interrupted.notSent} never sent; the recovery run made ${recoveryWrites} writes (${recovery.report.plan?.operations.length ?? 0} operations)`,
      });
    },
  );
});
