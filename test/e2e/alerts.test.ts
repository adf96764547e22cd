import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { CliRun } from '../support/cli-process.js';
import { useServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { closedPort, deviceIds, leaksIn, runJson } from './support/e2e-helpers.js';
import { runGroupJson } from './support/two-way-helpers.js';
import { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from './support/http-receiver.js';

// Alerts through the built CLI: webhook posts and dead-man's-switch pings
// reach a real HTTP receiver on loopback; a receiver that is down or failing
// never changes how the run ends; the secret parts of their URLs never show.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });
// The round trip as the operator runs it by default, over two backups.
const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });

/** The secret parts of the URLs: the webhook's token and the check's uuid. */
const HOOK_TOKEN = 'hook-tok-Qm7Zr2Lx9Vw4';
const PING_UUID = '5b3f0c1e-9d2a-4c7e-8f61-a0b2c3d4e5f6';
const HOOK_PATH = `/hooks/${HOOK_TOKEN}`;
const PING_PATH = `/ping/${PING_UUID}`;

let receiver: HttpReceiver;
beforeAll(async () => {
  receiver = await startHttpReceiver();
});
beforeEach(() => {
  receiver.clear();
  receiver.answerWith(200);
});
afterAll(async () => {
  await receiver.close();
});

/** The environment that points the webhook and the ping at `origin`. */
function alertEnv(origin: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { SYNC_DBS_NOTIFY_WEBHOOK: `${origin}${HOOK_PATH}`, SYNC_DBS_PING_URL: `${origin}${PING_PATH}`, ...extra };
}

/** Backup down, no waiting for it to wake, few retries: an unreachable run within a second or two. */
const FAST_FAILURE = { SYNC_DBS_RETRIES: '2', SYNC_DBS_WAKE_TIMEOUT: '0' } as const;

function webhookPosts(): ReceivedRequest[] {
  return receiver.received('/hooks/');
}

function pingPaths(): string[] {
  return receiver.received('/ping/').map((request) => request.path);
}

/** Every file under `dir`, recursively, read as latin1 text (binary files such as the SQLite database included). */
async function filesUnder(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = await readFile(file, 'latin1');
  }
  return files;
}

/** Where a secret of the alert URLs shows in what the runs printed or in the state directory. */
async function secretLeaks(stateDir: string, runs: Readonly<Record<string, CliRun>>): Promise<string[]> {
  const texts: Record<string, string> = {};
  for (const [name, run] of Object.entries(runs)) {
    texts[`${name} stdout`] = run.stdout;
    texts[`${name} stderr`] = run.stderr;
  }
  for (const [file, text] of Object.entries(await filesUnder(stateDir))) texts[file] = text;
  return leaksIn([HOOK_TOKEN, PING_UUID], texts);
}

const LICENSES = [allowedLicense('alert-1'), allowedLicense('alert-2'), allowedLicense('alert-3')];

describe('webhook posts and pings across runs', () => {
  it('posts a failure, then a recovery, then nothing for a plain success; pings start and fail/success every run', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: LICENSES }), datasetOf({}));
    const logFile = path.join(p.stateDir, 'cli.log');
    const debug = ['--log-level', 'debug', '--log-file', logFile];

    // Run 1: the backup is down.
    await p.backup.control.setFaults({ down: true });
    const failed = await runJson(p, debug, { env: alertEnv(receiver.origin, FAST_FAILURE) });
    expect(failed.exitCode, failed.stderr).toBe(3);
    expect(failed.report.outcome).toBe('unreachable');
    const failurePosts = webhookPosts();
    expect(failurePosts).toHaveLength(1);
    const failurePost = failurePosts[0] as ReceivedRequest;
    expect(failurePost.method).toBe('POST');
    expect(failurePost.path).toBe(HOOK_PATH);
    expect(failurePost.contentType).toMatch(/^application\/json/);
    expect(failurePost.json).toMatchObject({
      source: 'sync-dbs',
      event: 'failure',
      outcome: 'unreachable',
      exitCode: 3,
      consecutiveFailures: 1,
      runId: expect.any(Number),
      title: expect.stringMatching(/failed/),
    });
    expect(pingPaths()).toEqual([`${PING_PATH}/start`, `${PING_PATH}/fail`]);
    expect(receiver.received('/ping/').every((request) => request.method === 'POST')).toBe(true);

    // Run 2: healthy again, the first success after a failure.
    receiver.clear();
    await p.backup.control.setFaults({});
    const recovered = await runJson(p, debug, { env: alertEnv(receiver.origin) });
    expect(recovered.exitCode, recovered.stderr).toBe(0);
    expect(recovered.report.outcome).toBe('in-sync');
    expect((await deviceIds(p.backup)).sort()).toEqual(['alert-1', 'alert-2', 'alert-3']);
    const recoveryPosts = webhookPosts();
    expect(recoveryPosts).toHaveLength(1);
    expect(recoveryPosts[0]?.json).toMatchObject({
      source: 'sync-dbs',
      event: 'recovery',
      outcome: 'in-sync',
      exitCode: 0,
      consecutiveFailures: 0,
      details: { previousConsecutiveFailures: 1 },
    });
    expect(pingPaths()).toEqual([`${PING_PATH}/start`, PING_PATH]);

    // Run 3: healthy once more: no post, only the pings.
    receiver.clear();
    const quiet = await runJson(p, debug, { env: alertEnv(receiver.origin) });
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.report.outcome).toBe('in-sync');
    expect(webhookPosts()).toEqual([]);
    expect(pingPaths()).toEqual([`${PING_PATH}/start`, PING_PATH]);

    // The state directory saw all three runs (and the debug logs): no token, no uuid anywhere.
    const files = await filesUnder(p.stateDir);
    expect(Object.keys(files)).toContain('cli.log');
    expect(Object.keys(files).some((file) => file.startsWith(`logs${path.sep}`) && file.endsWith('.log'))).toBe(true);
    expect(Object.keys(files).some((file) => file.startsWith('state.db'))).toBe(true);
    expect(await secretLeaks(p.stateDir, { failed: failed.run, recovered: recovered.run, quiet: quiet.run })).toEqual([]);
  });

  it('posts every success with --notify-on failure,recovery,success', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: LICENSES }), datasetOf({}));
    const run = await runJson(p, [], { env: alertEnv(receiver.origin, { SYNC_DBS_NOTIFY_ON: 'failure,recovery,success' }) });
    expect(run.exitCode, run.stderr).toBe(0);
    const posts = webhookPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.json).toMatchObject({ source: 'sync-dbs', event: 'success', outcome: 'in-sync', exitCode: 0, runId: run.report.runId });
    expect(pingPaths()).toEqual([`${PING_PATH}/start`, PING_PATH]);
  });

  it('posts a refusal when a guard stops the run (exit 4), and pings fail', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: [allowedLicense('keep-1')] }), datasetOf({ licenses: [allowedLicense('keep-1'), allowedLicense('gone-1')] }));
    const run = await runJson(p, ['--delete'], { env: alertEnv(receiver.origin) });
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.report.outcome).toBe('refused');
    const posts = webhookPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.json).toMatchObject({ source: 'sync-dbs', event: 'refused', outcome: 'refused', exitCode: 4, title: expect.stringMatching(/guard/) });
    expect(pingPaths()).toEqual([`${PING_PATH}/start`, `${PING_PATH}/fail`]);
    expect(await deviceIds(p.backup)).toEqual(['keep-1', 'gone-1']);
    expect(String((posts[0]?.json as { text?: unknown }).text)).toContain('before it wrote anything');
  });

  it('says a refusal stopped only part of the run when another backup was written, never "before it wrote anything"', async () => {
    const g = group();
    const reseller = { username: 'revenda-a', password: 'revenda-a-123', role: 'user' as const };
    await g.load(datasetOf({ users: [reseller], licenses: LICENSES }), datasetOf({ users: [reseller] }), datasetOf({ users: [reseller] }));
    // koyeb's account is a reseller's: the role guard refuses koyeb alone; render is filled.
    const run = await runGroupJson(g, [], { env: { ...alertEnv(receiver.origin), SYNC_DBS_BACKUP_2_USER: reseller.username, SYNC_DBS_BACKUP_2_PASSWORD: reseller.password } });
    expect(run.exitCode, run.stderr).toBe(4);
    expect(run.report.targets.map((target) => [target.server, target.outcome])).toEqual([
      ['render', 'in-sync'],
      ['koyeb', 'refused'],
    ]);
    const posts = webhookPosts();
    expect(posts).toHaveLength(1);
    const text = String((posts[0]?.json as { text?: unknown }).text);
    expect(text).toContain('A safety guard stopped part of the run');
    expect(text).toMatch(/3 operations were written to the servers it did not stop/);
    expect(text).not.toContain('before it wrote anything');
  });
});

describe('payload formats', () => {
  it('shapes the post as a Discord message with --notify-format discord', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: LICENSES }), datasetOf({}));
    await p.backup.control.setFaults({ down: true });
    const run = await p.cli([], { env: alertEnv(receiver.origin, { ...FAST_FAILURE, SYNC_DBS_NOTIFY_FORMAT: 'discord' }) });
    expect(run.exitCode, run.stderr).toBe(3);
    const posts = webhookPosts();
    expect(posts).toHaveLength(1);
    const body = posts[0]?.json as { embeds?: { title?: string; description?: string; color?: number; fields?: { name: string; value: string }[] }[] };
    expect(body).toMatchObject({ username: 'sync-dbs', content: expect.stringMatching(/unreachable/), allowed_mentions: { parse: [] } });
    expect(body.embeds).toHaveLength(1);
    const embed = body.embeds?.[0];
    expect(embed?.title).toBe('sync-dbs: backup sync failed, a server is unreachable');
    expect(embed?.description).toMatch(/could not reach a license server/);
    expect(embed?.color).toEqual(expect.any(Number));
    expect(embed?.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Outcome', value: 'unreachable' }), expect.objectContaining({ name: 'Exit code', value: '3' })]),
    );
    // Not the generic shape.
    expect(body).not.toHaveProperty('event');
  });

  it('shapes the post as Slack blocks with --notify-format slack', async () => {
    const p = pair();
    await p.load(datasetOf({ licenses: LICENSES }), datasetOf({}));
    const run = await p.cli([], { env: alertEnv(receiver.origin, { SYNC_DBS_NOTIFY_FORMAT: 'slack', SYNC_DBS_NOTIFY_ON: 'success' }) });
    expect(run.exitCode, run.stderr).toBe(0);
    const posts = webhookPosts();
    expect(posts).toHaveLength(1);
    const body = posts[0]?.json as { text?: string; blocks?: { type: string; text?: { type: string; text: string } }[] };
    expect(body.text).toBe('sync-dbs: backup sync succeeded');
    expect(body.blocks?.[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'sync-dbs: backup sync succeeded' } });
    expect(body.blocks?.[1]).toMatchObject({ type: 'section', text: { type: 'mrkdwn', text: expect.stringMatching(/Verdict:/) } });
    expect(body).not.toHaveProperty('event');
  });
});

describe('a delivery that fails never fails the run', () => {
  async function expectUnaffected(origin: string): Promise<CliRun> {
    const p = pair();
    await p.load(datasetOf({ licenses: LICENSES }), datasetOf({}));
    const { run, report } = await runJson(p, [], { env: alertEnv(origin, { SYNC_DBS_NOTIFY_ON: 'failure,recovery,success' }) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report).toMatchObject({ outcome: 'in-sync', exitCode: 0, failures: [] });
    expect(report.applied.summary).toMatchObject({ done: 3, failed: 0 });
    expect((await deviceIds(p.backup)).sort()).toEqual(['alert-1', 'alert-2', 'alert-3']);
    // Each lost delivery is a warning naming the origin only.
    for (const what of ['webhook notification', 'start ping', 'success ping']) {
      expect(run.stderr).toContain(`Could not send the ${what} to ${origin}`);
    }
    expect(run.stderr).not.toContain('/hooks/');
    expect(run.stderr).not.toContain('/ping/');
    expect(await secretLeaks(p.stateDir, { run })).toEqual([]);
    return run;
  }

  it('exits 0 with its report when nothing listens at the webhook and ping URLs', async () => {
    const port = await closedPort();
    const run = await expectUnaffected(`http://127.0.0.1:${port}`);
    expect(run.stderr).toMatch(/no answer \(ECONNREFUSED\)/);
  }, 30_000);

  it('exits 0 with its report when the receiver answers 500 to everything', async () => {
    receiver.answerWith(500);
    const run = await expectUnaffected(receiver.origin);
    expect(run.stderr).toMatch(/HTTP 500/);
    // It did try them: the posts and pings arrived (and were answered 500).
    expect(webhookPosts().length).toBeGreaterThan(0);
    expect(webhookPosts().every((post) => (post.json as { event?: unknown }).event === 'success')).toBe(true);
    expect(pingPaths()).toContain(`${PING_PATH}/start`);
    expect(pingPaths()).toContain(PING_PATH);
  }, 30_000);
});

describe('lock conflicts', () => {
  it('posts a lock-conflict when the lock has been held longer than --expect-every, and nothing within the default interval', async () => {
    const p = pair();
    const licenses = Array.from({ length: 14 }, (_, index) => allowedLicense(`slow-${String(index).padStart(2, '0')}`));
    await p.load(datasetOf({ licenses }), datasetOf({}));
    // The holder's writes wait until both other runs have tried: it holds the lock until then however loaded the
    // machine is (with 300 ms per write instead, it ended 1.8 times as late as they did under load).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    p.backup.emulator.intercept(async (request) => {
      if (request.method === 'GET' || request.route === 'POST /admin/login') return undefined;
      await gate;
      return undefined;
    });
    onTestFinished(() => {
      release();
      p.backup.emulator.intercept(null);
    });

    // A run that holds the lock (no alert settings of its own).
    const holder = p.start(['sync']);
    const heldSince = await lockHeldSince(p);
    // Sleep past one --expect-every (1 s) since the holder took the lock.
    await sleep(Math.max(0, heldSince + 1300 - Date.now()));

    const [overdue, withinInterval] = await Promise.all([
      runJson(p, [], {
        env: { SYNC_DBS_NOTIFY_WEBHOOK: `${receiver.origin}/hooks/overdue-${HOOK_TOKEN}`, SYNC_DBS_PING_URL: `${receiver.origin}/ping/overdue-${PING_UUID}`, SYNC_DBS_EXPECT_EVERY: '1s' },
      }),
      runJson(p, [], {
        env: { SYNC_DBS_NOTIFY_WEBHOOK: `${receiver.origin}/hooks/default-${HOOK_TOKEN}`, SYNC_DBS_PING_URL: `${receiver.origin}/ping/default-${PING_UUID}` },
      }),
    ]);
    release();
    const held = await holder.done;
    expect(held.exitCode, held.stderr).toBe(0);

    for (const locked of [overdue, withinInterval]) {
      expect(locked.exitCode, locked.stderr).toBe(5);
      expect(locked.report).toMatchObject({ outcome: 'locked', exitCode: 5, lockHolder: { pid: holder.child.pid } });
      expect(locked.stderr).toMatch(/another sync-dbs run holds the lock/);
    }
    const overduePosts = receiver.received(`/hooks/overdue-${HOOK_TOKEN}`);
    expect(overduePosts).toHaveLength(1);
    expect(overduePosts[0]?.json).toMatchObject({
      source: 'sync-dbs',
      event: 'lock-conflict',
      outcome: 'locked',
      exitCode: 5,
      runId: null,
      details: { lockHolder: { pid: holder.child.pid }, heldForMs: expect.any(Number) },
    });
    expect((overduePosts[0]?.json as { details: { heldForMs: number } }).details.heldForMs).toBeGreaterThan(1000);
    // Within the default interval (1h) a conflict is an overlap that sorts itself out: no post.
    expect(receiver.received(`/hooks/default-${HOOK_TOKEN}`)).toEqual([]);
    // A run that did nothing does not ping the dead-man's switch.
    expect(receiver.received('/ping/')).toEqual([]);
  }, 30_000);
});

/** Waits until a run holds the state directory's lock; resolves to when it took it (ms since the epoch). */
async function lockHeldSince(p: ReturnType<typeof pair>): Promise<number> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const status = await p.cli(['status', '--json']);
    if (status.stdout.trim().startsWith('{')) {
      const running = status.json<{ running: { startedAt: string } | null }>().running;
      if (running !== null) return Date.parse(running.startedAt);
    }
    await sleep(100);
  }
  throw new Error('no run took the lock within 15 s');
}
