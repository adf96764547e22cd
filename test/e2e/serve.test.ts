import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/emulator/dataset/dataset-file.js';
import type { HealthSampleStatus, ServerStatus } from '../../src/dashboard/dashboard-status.js';
import type { StatusReport } from '../../src/state/run-records.js';
import { useServerGroup, type RestartableEmulator } from '../support/server-group.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver.js';
import { generatedPassword, resellerSession } from './support/reseller-session.js';
import { expectAllInStep, expectSameAnswerEverywhere, renderAndKoyeb, rowOn } from './support/round-trip.js';
import { finishedRuns, portIsOpen, serverIn, startServe, statusDigest, } from './support/serve-process.js';
import { licensesOn, statusClass } from './support/two-way-helpers.js';

// Issue 17's acceptance, end to end: `sync-dbs serve` as a real process with
// a 1 s health interval, against a primary and two backups (emulators on
// loopback that stop and start again on the same port with their data) and a
// webhook receiver. The primary goes down: the watchdog declares it down after
// `--down-after` failed checks and posts one webhook; a reseller works on a
// backup; the primary comes back: after `--up-after` answered checks a
// reconciling run starts by itself, and the work ends up everywhere.
// Deadlines are generous (a loaded 2-core machine); the check counts are exact.

const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });

const DOWN_AFTER = 3;
const UP_AFTER = 3;
const WATCHDOG = ['--health-interval', '1', '--down-after', String(DOWN_AFTER), '--up-after', String(UP_AFTER), '--notify-format', 'generic'];
/** The checks take a second each; the rest is slack for a loaded machine. */
const TRANSITION_DEADLINE_MS = 25_000;
const HOOK_PATH = '/hooks/serve-e2e';

const RESELLERS = [
  { username: 'revenda-a', password: 'revenda-a-123', role: 'user' as const, email: 'a@revenda.com.br' },
  { username: 'revenda-b', password: 'revenda-b-123', role: 'user' as const, email: 'b@revenda.com.br' },
];

/** 12 licenses: L-000..L-005 sold by revenda-a, L-006..L-011 by revenda-b. */
function primaryDataset(count = 12): Dataset {
  const licenses = Array.from({ length: count }, (_, index) => allowedLicense(`L-${String(index).padStart(3, '0')}`, { created_by: index < count / 2 ? 'revenda-a' : 'revenda-b' }));
  return datasetOf({ users: RESELLERS, licenses });
}

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
beforeEach(() => receiver.clear());
afterAll(async () => {
  await receiver.close();
});

/** The transition posts received so far, as `event server afterChecks`. */
function transitionPosts(): string[] {
  return receiver.received(HOOK_PATH).map((request) => {
    const body = request.json as { event?: unknown; server?: unknown; afterChecks?: unknown } | undefined;
    return `${String(body?.event)} ${String(body?.server)} ${String(body?.afterChecks)}`;
  });
}

/**
 * The checks that settled the server's last change: the samples up to its
 * `lastChangeAt` back to the last one of the other kind. `ok` is the kind that
 * settled it (false for down, true for back).
 */
function settlingChecks(server: ServerStatus, ok: boolean): HealthSampleStatus[] {
  const changeAt = Date.parse(server.lastChangeAt ?? '');
  const before = server.samples.filter((sample) => Date.parse(sample.at) <= changeAt);
  const lastOther = before.map((sample) => sample.ok).lastIndexOf(!ok);
  return before.slice(lastOther + 1);
}

/** `sync-dbs status --json`, and the operations it lists as sent without a recorded answer (or never settled). */
async function unfinishedInFlight(g: ReturnType<typeof group>): Promise<{ report: StatusReport; inFlight: string[] }> {
  const report = (await g.cli(['status', '--json'])).json<StatusReport>();
  return { report, inFlight: report.unfinished.filter((entry) => entry.status === 'sent' || entry.status === 'pending').map((entry) => `${entry.key} ${entry.status}`) };
}

describe('sync-dbs serve, end to end', () => {
  it('declares the primary down with one webhook, and reconciles the outage work by itself when it is back; SIGTERM exits 0', { timeout: 90_000 }, async () => {
    const g = group();
    const { primary } = g;
    const { render, koyeb } = renderAndKoyeb(g);
    const all: RestartableEmulator[] = [primary, render, koyeb];
    await g.load(primaryDataset(), datasetOf({}), datasetOf({}));
    const serve = await startServe(g, WATCHDOG, { env: { SYNC_DBS_NOTIFY_WEBHOOK: `${receiver.origin}${HOOK_PATH}` } });

    // The run at start fills both backups; then every server is up and every backup agrees with the primary.
    const first = await serve.waitFor('the run at start, every server up and every backup compared', (s) => {
      const [run] = finishedRuns(s, 'start');
      const settled = s.running === null && s.servers.every((server) => server.state === 'up') && s.servers.every((server) => server.role === 'primary' || server.agreement !== null);
      return run !== undefined && settled ? run : undefined;
    });
    expect(first.exitCode, serve.output()).toBe(0);
    expect(transitionPosts(), 'webhook posts before any outage').toEqual([]);

    // The primary goes down: down after exactly DOWN_AFTER failed checks, failover mode, one webhook.
    await primary.stop();
    const down = await serve.waitFor('the primary declared down', (s) => (serverIn(s, 'primary').state === 'down' ? s : undefined), TRANSITION_DEADLINE_MS);
    expect(down.mode, statusDigest(down)).toBe('failover');
    const primaryDown = serverIn(down, 'primary');
    expect(primaryDown.lastFailure?.kind).toBe('down');
    expect(settlingChecks(primaryDown, false).map((sample) => sample.ok), 'the checks that declared the primary down').toEqual(Array<boolean>(DOWN_AFTER).fill(false));
    expect(down.servers.filter((server) => server.role === 'backup').map((server) => server.state)).toEqual(['up', 'up']);
    await serve.waitFor('the down webhook', () => (transitionPosts().length > 0 ? true : undefined), 10_000);
    expect(transitionPosts()).toEqual([`server-down primary ${DOWN_AFTER}`]);

    // Outage work on render, by a reseller with the password the first run generated there.
    const seller = await resellerSession(render, 'revenda-a', await generatedPassword(g.stateDir, 'render', 'revenda-a'));
    await seller.sell('R-001', { license_type: 'semestral' });
    await seller.block('L-001'); // a clone showed up
    // Two more failed checks: still down, no run, no second post.
    const stillDown = await serve.waitFor('two more failed checks of the primary', (s) => (serverIn(s, 'primary').consecutiveFailures >= DOWN_AFTER + 2 ? s : undefined));
    expect([stillDown.mode, serverIn(stillDown, 'primary').state, stillDown.running]).toEqual(['failover', 'down', null]);
    expect(transitionPosts(), 'webhook posts after more failed checks').toEqual([`server-down primary ${DOWN_AFTER}`]);

    // The primary comes back: back after exactly UP_AFTER answered checks, and the reconciling run starts by itself.
    await primary.start();
    const back = await serve.waitFor(
      'a run with trigger primary-back',
      (s) => (s.running?.trigger === 'primary-back' || s.runs.some((run) => run.trigger === 'primary-back') ? s : undefined),
      TRANSITION_DEADLINE_MS,
    );
    const primaryBack = serverIn(back, 'primary');
    expect(primaryBack.state).toBe('up');
    expect(settlingChecks(primaryBack, true).map((sample) => sample.ok), 'the checks that declared the primary back').toEqual(Array<boolean>(UP_AFTER).fill(true));
    const startedAt = back.running?.trigger === 'primary-back' ? back.running.startedAt : back.runs.find((run) => run.trigger === 'primary-back')?.startedAt;
    expect(Date.parse(startedAt ?? ''), 'the reconciling run starts once the primary is declared back').toBeGreaterThanOrEqual(Date.parse(primaryBack.lastChangeAt ?? '') - 1000);

    const reconciled = await serve.waitFor('the reconciling run finished and compared', (s) => {
      const [run] = finishedRuns(s, 'primary-back');
      const compared = s.servers.every((server) => server.role === 'primary' || Date.parse(server.agreement?.at ?? '') >= Date.parse(run?.startedAt ?? ''));
      return run !== undefined && s.running === null && compared ? { status: s, run } : undefined;
    });
    expect([reconciled.run.exitCode, reconciled.run.outcome], serve.output()).toEqual([0, 'in-sync']);
    expect(reconciled.status.runs.filter((run) => run.trigger !== null).map((run) => run.trigger), 'the runs serve started, newest first').toEqual(['primary-back', 'start']);

    // The work is on all three servers, and every client gets the same answer from each.
    await expectAllInStep(all);
    for (const server of all) {
      const sold = await rowOn(server, 'R-001');
      expect([sold.created_by, sold.license_type, statusClass(sold.status)], `the sale on render, on ${server.name}`).toEqual(['revenda-a', 'semestral', 'open']);
      expect(statusClass((await rowOn(server, 'L-001')).status), `the block on render, on ${server.name}`).toBe('held');
    }
    const answers = await expectSameAnswerEverywhere(all, ['never-registered']);
    expect([answers.get('R-001'), answers.get('L-001'), answers.get('L-002'), answers.get('never-registered')]).toEqual([true, false, true, false]);

    // The dashboard's status: all up, back in primary mode, each backup agreeing on every license it holds.
    const final = reconciled.status;
    expect(final.mode).toBe('primary');
    expect(final.servers.map((server) => [server.name, server.state])).toEqual([
      ['primary', 'up'],
      ['render', 'up'],
      ['koyeb', 'up'],
    ]);
    for (const backup of [render, koyeb]) {
      const shown = serverIn(final, backup.name);
      const held = (await licensesOn(backup)).size;
      expect([shown.agreement?.licenses, shown.agreement?.agreeing, shown.agreement?.differing], `${backup.name}'s agreement`).toEqual([held, held, []]);
      expect(shown.records?.licenses, `${backup.name}'s records`).toBe(held);
      expect(shown.lastSync?.inSync, `${backup.name}'s last sync`).toBe(true);
    }
    expect(transitionPosts(), 'webhook posts of the whole story').toEqual([`server-down primary ${DOWN_AFTER}`, `server-back primary ${UP_AFTER}`]);

    // SIGTERM: exit 0, the dashboard's port closed.
    const ended = await serve.stop('SIGTERM');
    expect(ended.exitCode, ended.stderr).toBe(0);
    expect(await portIsOpen(serve.port), 'the dashboard port after the exit').toBe(false);
  });

  it('SIGINT during a run lets its in-flight writes finish: exit 0 or 6, nothing left "sent" in status', { timeout: 60_000 }, async () => {
    const g = group();
    const { render } = renderAndKoyeb(g);
    await g.load(primaryDataset(), datasetOf({}), datasetOf({}));
    // render's first license write waits until the signal was sent.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: string[] = [];
    render.emulator.intercept(async (request) => {
      if (request.method === 'GET' || request.route === 'POST /admin/login' || !request.route.includes('/admin/devices')) return undefined;
      held.push((request.body as { device_id?: string } | undefined)?.device_id ?? request.path);
      await gate;
      return undefined;
    });
    try {
      const serve = await startServe(g, ['--health-interval', '1'], { env: { SYNC_DBS_CONCURRENCY: '1' } });
      await serve.waitFor('the run at start writing to render', (s) => (s.running?.trigger === 'start' && held.length > 0 ? true : undefined));
      const stopping = serve.stop('SIGINT');
      await serve.waitForOutput('the stop heard', /SIGINT: finishing/);
      release();
      const ended = await stopping;
      expect([0, 6], ended.stderr).toContain(ended.exitCode);
      expect(ended.stderr).toMatch(/\bstopped\b/);
      expect(await portIsOpen(serve.port)).toBe(false);
      // What it says about the stop: no request retried after it, no pointer to failures the report does not have.
      expect(ended.stderr.slice(ended.stderr.indexOf('SIGINT: finishing')), 'retries announced after the stop').not.toMatch(/retrying/);
      expect(ended.stdout, 'the report of the interrupted run').toMatch(/Interrupted: \d+ of \d+ writes sent/);
      expect(ended.stdout.includes('(see Failures)') && !/^\s*Failures/m.test(ended.stdout), `the report points at a Failures section it does not have:\n${ended.stdout}`).toBe(false);

      // The write in flight when the signal came was answered and recorded done; nothing is left "sent, no answer".
      const heldId = held[0] ?? '';
      expect((await licensesOn(render)).has(heldId), `${heldId}, in flight at the signal, on render`).toBe(true);
      const { report, inFlight } = await unfinishedInFlight(g);
      expect(report.interruptedRun, 'a run still recorded as running').toBeNull();
      expect(inFlight, 'operations sent without a recorded answer').toEqual([]);
      expect(report.lastRun?.exitCode).toBe(ended.exitCode);
    } finally {
      release();
      render.emulator.intercept(null);
    }
  });

  it('a one-shot sync while serve runs a sync gets the lock conflict (exit 5) and does nothing', { timeout: 60_000 }, async () => {
    const g = group();
    const { render } = renderAndKoyeb(g);
    await g.load(primaryDataset(), datasetOf({}), datasetOf({}));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    render.emulator.intercept(async (request) => {
      if (request.method === 'GET' || request.route === 'POST /admin/login') return undefined;
      writes++;
      await gate;
      return undefined;
    });
    try {
      const serve = await startServe(g, ['--health-interval', '1']);
      await serve.waitFor('the run at start writing to render', (s) => (s.running?.trigger === 'start' && writes > 0 ? true : undefined));
      const oneShot = await g.cli(['sync', '--json'], { timeoutMs: 20_000 });
      expect(oneShot.exitCode, oneShot.stderr).toBe(5);
      release();
      const done = await serve.waitFor('the run at start finished', (s) => finishedRuns(s, 'start')[0]);
      expect(done.exitCode, serve.output()).toBe(0);
      // The one-shot run is no run of serve: the status lists serve's run only.
      expect((await serve.status()).runs.map((run) => run.trigger)).toEqual(['start']);
      const ended = await serve.stop('SIGTERM');
      expect(ended.exitCode, ended.stderr).toBe(0);
    } finally {
      release();
      render.emulator.intercept(null);
    }
  });
});
