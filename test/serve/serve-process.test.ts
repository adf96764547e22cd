import { describe, expect, it } from 'vitest';
import { DashboardRefused } from '../../src/dashboard/dashboard-server.js';
import { runServe, type ServeOptions } from '../../src/serve/serve-process.js';
import { aRunResult } from '../report/support/run-result-builders.js';
import { aLicense, snapshotOf } from '../plan/support/records.js';
import { aTransition, FakeServices, LinesLog, ranInSync, settle } from './support/serve-fakes.js';

function options(log: LinesLog, overrides: Partial<ServeOptions> = {}): ServeOptions {
  return {
    cron: '0 * * * *',
    runAtStart: false,
    healthIntervalMs: 60_000,
    downAfter: 3,
    upAfter: 3,
    primary: 'primary',
    backups: ['backup'],
    log,
    renderReport: (result) => `report of run #${result.runId}`,
    ...overrides,
  };
}

/** `serve` started on fakes; `stop()` aborts it as SIGTERM would and resolves to its exit code. */
async function serving(overrides: Partial<ServeOptions> = {}, services = new FakeServices()) {
  const log = new LinesLog();
  const controller = new AbortController();
  const exit = runServe(options(log, overrides), services, controller.signal);
  await settle();
  const source = services.dashboards[0];
  const watch = services.watch;
  if (source === undefined || watch === null) throw new Error('serve did not start');
  return {
    services,
    log,
    source,
    watch,
    stop: async () => {
      controller.abort();
      return await exit;
    },
  };
}

describe('serve starts', () => {
  it('the dashboard, then the watch and the schedule, and logs the dashboard\'s URL', async () => {
    const { services, log, watch, stop } = await serving();
    expect(watch.started).toBe(true);
    expect(log.lines).toContain('info: dashboard: http://127.0.0.1:8750/');
    expect(services.runs).toEqual([]);
    expect(await stop()).toBe(0);
  });

  it('with --run-at-start: one run at once', async () => {
    const { services, stop } = await serving({ runAtStart: true });
    expect(services.runs.map((run) => run.request)).toEqual([{ trigger: 'start', backup: null }]);
    services.lastRun().done.resolve(ranInSync(1));
    expect(await stop()).toBe(0);
  });

  it('refused by the dashboard: exit 2 with its message, nothing watched or run', async () => {
    const services = new FakeServices();
    services.dashboardError = new DashboardRefused('the dashboard listens on 0.0.0.0: set --dashboard-token');
    const log = new LinesLog();
    const code = await runServe(options(log, { runAtStart: true }), services, new AbortController().signal);
    expect(code).toBe(2);
    expect(log.lines).toEqual(['error: the dashboard listens on 0.0.0.0: set --dashboard-token']);
    expect(services.watch?.started).toBe(false);
    expect(services.runs).toEqual([]);
  });
});

describe('the triggers', () => {
  it('a schedule tick starts a run', async () => {
    const { services, stop } = await serving();
    services.tick();
    expect(services.runs.map((run) => run.request)).toEqual([{ trigger: 'schedule', backup: null }]);
    services.lastRun().done.resolve(ranInSync(1));
    await stop();
  });

  it('the primary back starts the full reconciling run at once', async () => {
    const { services, watch, stop } = await serving();
    watch.transition(aTransition('primary', 'down'));
    watch.transition(aTransition('primary', 'back'));
    await settle();
    expect(services.runs.map((run) => run.request)).toEqual([{ trigger: 'primary-back', backup: null }]);
    services.lastRun().done.resolve(ranInSync(1));
    await stop();
  });

  it('a backup back, the primary up: a run of that backup', async () => {
    const { services, watch, stop } = await serving();
    watch.transition(aTransition('backup', 'back'));
    await settle();
    expect(services.runs.map((run) => run.request)).toEqual([{ trigger: 'backup-back', backup: 'backup' }]);
    services.lastRun().done.resolve(ranInSync(1));
    await stop();
  });

  it('a trigger during a run queues one follow-up run, and "sync now" says so', async () => {
    const { services, source, watch, stop } = await serving();
    expect(source.requestSync()).toBe('started');
    services.tick();
    watch.transition(aTransition('primary', 'back'));
    expect(source.requestSync()).toBe('queued');
    await settle();
    expect(services.runs).toHaveLength(1);
    services.runs[0]?.done.resolve(ranInSync(1));
    await settle();
    expect(services.runs.map((run) => run.request.trigger)).toEqual(['manual', 'schedule']);
    services.runs[1]?.done.resolve(ranInSync(2));
    await settle();
    expect(services.runs).toHaveLength(2);
    await stop();
  });

  it('a lock held by another run is logged, and the same run is asked for again after a pause', async () => {
    const { services, log, stop } = await serving({ lockRetryMs: 20 });
    services.watch?.transition(aTransition('primary', 'back'));
    services.lastRun().done.resolve({ kind: 'locked' });
    await settle();
    expect(log.lines).toContain('warn: another sync-dbs run holds the lock: nothing was done; tried again in 0 s');
    expect(services.runs).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(services.runs.map((run) => run.request)).toEqual([
      { trigger: 'primary-back', backup: null },
      { trigger: 'primary-back', backup: null },
    ]);
    services.lastRun().done.resolve(ranInSync(3));
    expect(await stop()).toBe(0);
  });

  it('a stop cancels the pending ask after a lock', async () => {
    const { services, stop } = await serving({ lockRetryMs: 40 });
    services.tick();
    services.lastRun().done.resolve({ kind: 'locked' });
    await settle();
    expect(await stop()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(services.runs).toHaveLength(1);
  });

  it('a run that throws is logged, and serve goes on', async () => {
    const { services, log, source, stop } = await serving();
    services.tick();
    services.lastRun().done.reject(new Error('database is locked'));
    await settle();
    expect(log.lines).toContain('error: the sync failed unexpectedly: database is locked (serve goes on)');
    expect(source.status().running).toBeNull();
    expect(source.requestSync()).toBe('started');
    services.lastRun().done.resolve(ranInSync(4));
    expect(await stop()).toBe(0);
  });
  it('a watch that cannot say its servers leaves the status without them, and the run\'s listings are still read', async () => {
    const { services, log, source, watch, stop } = await serving();
    watch.snapshotError = new Error('tracker broken');
    expect(source.status().servers).toEqual([]);
    expect(log.lines).toContain('debug: could not read the watchdog\'s state: tracker broken');
    services.tick();
    services.lastRun().done.resolve(ranInSync(5));
    await settle();
    expect(services.listingReads).toEqual([['primary', 'backup']]);
    expect(await stop()).toBe(0);
  });
});

describe('the webhook', () => {
  it('is posted once per transition', async () => {
    const { services, watch, stop } = await serving();
    watch.transition(aTransition('primary', 'down'));
    watch.transition(aTransition('primary', 'down', { from: 'down', to: 'asleep' }));
    watch.transition(aTransition('backup', 'down'));
    watch.transition(aTransition('primary', 'back'));
    await settle();
    expect(services.posted.map((transition) => `${transition.server} ${transition.kind}`)).toEqual(['primary down', 'backup down', 'primary back']);
    services.lastRun().done.resolve(ranInSync(1));
    await stop();
  });
});

describe('after a run', () => {
  it('reads the listings of the servers that are not down and records each backup\'s /verify agreement', async () => {
    const services = new FakeServices();
    // Lifetime licenses: the listings are read on the fakes' day (2026-12-04), long after the records' dates.
    const lifetime = (deviceId: string, status: 'active' | 'blocked' = 'active') => aLicense({ device_id: deviceId, license_type: 'vitalicia', status });
    services.listings = new Map([
      ['primary', { ok: true, snapshot: snapshotOf({ licenses: [lifetime('A'), lifetime('B', 'blocked')] }) }],
      ['backup', { ok: true, snapshot: snapshotOf({ licenses: [lifetime('A'), lifetime('B')] }) }],
    ]);
    const { source, log, stop } = await serving({}, services);
    source.requestSync();
    services.lastRun().done.resolve(ranInSync(9));
    await settle();
    expect(services.listingReads).toEqual([['primary', 'backup']]);
    const backup = source.status().servers.find((server) => server.name === 'backup');
    expect(backup?.agreement).toMatchObject({ licenses: 2, agreeing: 1, differing: [{ deviceId: 'B', primary: 'deny', backup: 'allow' }] });
    expect(backup?.records).toMatchObject({ users: 0, licenses: 2 });
    expect(source.status().servers.find((server) => server.name === 'primary')?.agreement).toBeNull();
    expect(log.lines).toContain('warn: backup gives the primary\'s /verify answer for 1 of 2 licenses');
    await stop();
  });

  it('leaves out a server the watch has down, and logs a listing that could not be read', async () => {
    const services = new FakeServices();
    services.listings.set('primary', { ok: false, reason: 'GET /admin/users: HTTP 500' });
    const { watch, log, source, stop } = await serving({}, services);
    watch.transition(aTransition('backup', 'down'));
    source.requestSync();
    services.lastRun().done.resolve(ranInSync(9));
    await settle();
    expect(services.listingReads).toEqual([['primary']]);
    expect(log.lines).toContain('warn: could not read the listings of primary after the run: GET /admin/users: HTTP 500');
    await stop();
  });

  it('shows the run\'s trigger, its report and each server\'s last sync in the status', async () => {
    const services = new FakeServices();
    services.state = {
      runs: [{ id: 12, command: 'sync', outcome: 'in-sync', exitCode: 0, startedAt: '2026-12-04T12:00:00.000Z', endedAt: '2026-12-04T12:00:01.000Z', durationMs: 1000, pid: 1, hostname: 'h', verdict: 'ok', servers: [], operations: { planned: 0, done: 0, failed: 0, notSent: 0 } }],
      lastReport: { runId: 12, text: 'stored text' },
      unfinished: null,
    };
    const { watch, source, stop } = await serving({}, services);
    watch.transition(aTransition('primary', 'back'));
    await settle();
    expect(source.status().running).toMatchObject({ trigger: 'primary-back' });
    services.lastRun().done.resolve({ kind: 'ran', result: aRunResult({ runId: 12, startedAt: '2026-12-04T12:00:00.000Z', durationMs: 1000 }) });
    await settle();
    const status = source.status();
    expect(status.running).toBeNull();
    expect(status.runs[0]).toMatchObject({ id: 12, trigger: 'primary-back' });
    expect(status.lastReport).toEqual({ runId: 12, startedAt: '2026-12-04T12:00:00.000Z', text: 'report of run #12' });
    expect(status.servers.find((server) => server.name === 'backup')?.lastSync).toEqual({ runId: 12, at: '2026-12-04T12:00:01.000Z', exitCode: 0, inSync: true });
    expect(status.nextScheduledAt).toBe('2026-12-04T13:00:00.000Z');
    await stop();
  });
});

describe('the dashboard hears', () => {
  it('every check and each run\'s start and end, until it unsubscribes', async () => {
    const { services, source, watch, stop } = await serving();
    let heard = 0;
    const unsubscribe = source.subscribe(() => (heard += 1));
    watch.hooks.onCheck('primary');
    expect(heard).toBe(1);
    source.requestSync();
    expect(heard).toBe(2);
    services.lastRun().done.resolve(ranInSync(1));
    await settle();
    expect(heard).toBe(3);
    unsubscribe();
    watch.hooks.onCheck('primary');
    expect(heard).toBe(3);
    await stop();
  });
});

describe('the stop', () => {
  it('starts no new run, lets the run in progress finish, then stops the watch and closes the dashboard: exit 6 when it was interrupted', async () => {
    const { services, watch, source, stop } = await serving();
    source.requestSync();
    source.requestSync();
    const stopped = stop();
    await settle();
    expect(services.lastRun().signal.aborted).toBe(true);
    expect(watch.stopped).toBe(false);
    services.tick();
    watch.transition(aTransition('primary', 'back'));
    await settle();
    expect(services.runs).toHaveLength(1);
    services.lastRun().done.resolve({ kind: 'ran', result: aRunResult({ runId: 2, outcome: 'interrupted', exitCode: 6 }) });
    expect(await stopped).toBe(6);
    expect(services.runs).toHaveLength(1);
    expect(services.listingReads).toEqual([]);
    expect(watch.stopped).toBe(true);
    expect(services.dashboardClosed).toBe(true);
    expect(services.timerCancelled).toBe(true);
  });

  it('exits 0 when idle', async () => {
    const { services, watch, stop } = await serving();
    expect(await stop()).toBe(0);
    expect(watch.stopped).toBe(true);
    expect(services.dashboardClosed).toBe(true);
  });
});
