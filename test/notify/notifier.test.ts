import { afterEach, describe, expect, it } from 'vitest';
import { Notifier } from '../../src/notify/notifier.js';
import { DEFAULT_NOTIFY_ON, type NotifyFormat, type NotifyOn, type NotifySettings } from '../../src/notify/notify-settings.js';
import type { LockHolder, RunOutcome } from '../../src/state/run-records.js';
import { answerAlways, closedPortUrl, startReceiver, type Receiver, type ReceivedRequest, type Script } from './support/receiver.js';
import { recordingLog, type RecordingLog } from './support/recording-log.js';
import { runEnding } from './support/runs.js';

const WEBHOOK_TOKEN = 'WEBHOOK-s3cret-123';
const PING_TOKEN = 'PING-uuid-456';
const HOUR = 3_600_000;

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

interface Harness {
  readonly notifier: Notifier;
  readonly log: RecordingLog;
  readonly receiver: Receiver;
  /** Bodies posted to the webhook, in order. */
  readonly posts: () => Record<string, unknown>[];
  /** Ping paths, relative to the ping URL: `/start`, `` (success), `/fail`. */
  readonly pings: () => string[];
}

interface Setup {
  readonly on?: readonly NotifyOn[];
  readonly format?: NotifyFormat;
  readonly webhook?: boolean;
  readonly ping?: boolean;
  readonly script?: Script;
}

async function harness(setup: Setup = {}): Promise<Harness> {
  const receiver = await startReceiver(setup.script ?? answerAlways(200));
  receivers.push(receiver);
  const log = recordingLog();
  const settings: NotifySettings = {
    webhookUrl: setup.webhook === false ? null : `${receiver.url}/webhook/${WEBHOOK_TOKEN}`,
    format: setup.format ?? 'auto',
    on: setup.on ? new Set(setup.on) : DEFAULT_NOTIFY_ON,
    pingUrl: setup.ping === false ? null : `${receiver.url}/ping/${PING_TOKEN}`,
    timeoutMs: 5_000,
  };
  const of = (prefix: string) => receiver.requests.filter((request: ReceivedRequest) => request.path.startsWith(prefix));
  return {
    notifier: new Notifier(settings, log, { retryDelaysMs: [5, 5] }),
    log,
    receiver,
    posts: () => of('/webhook/').map((request) => request.json as Record<string, unknown>),
    pings: () => of('/ping/').map((request) => request.path.slice(`/ping/${PING_TOKEN}`.length)),
  };
}

async function finish(notifier: Notifier, outcome: RunOutcome, previousConsecutiveFailures: number): Promise<void> {
  await notifier.runFinished({
    run: runEnding(outcome, { consecutiveFailures: outcome === 'in-sync' ? 0 : previousConsecutiveFailures + 1 }),
    previousConsecutiveFailures,
  });
}

function holderFor(now: Date, heldForMs: number): LockHolder {
  return { pid: 999, hostname: 'other-host', startedAt: new Date(now.getTime() - heldForMs).toISOString(), command: 'sync' };
}

function expectNoSecretsLogged(log: RecordingLog): void {
  for (const line of log.lines) {
    expect(line).not.toContain(WEBHOOK_TOKEN);
    expect(line).not.toContain(PING_TOKEN);
  }
}

describe('Notifier', () => {
  it('on a failed run posts the webhook and pings fail with the summary', async () => {
    const { notifier, posts, pings, receiver, log } = await harness();

    await finish(notifier, 'failed', 0);

    expect(posts()).toEqual([
      expect.objectContaining({ source: 'sync-dbs', event: 'failure', outcome: 'failed', exitCode: 1, title: 'sync-dbs: backup sync failed', runId: 42 }),
    ]);
    expect(pings()).toEqual(['/fail']);
    const pingBody = receiver.requests.find((request) => request.path.endsWith('/fail'))?.body ?? '';
    expect(pingBody).toMatch(/^sync-dbs: backup sync failed\n/);
    expect(pingBody).toContain('Verdict: NOT in sync');
    expect(log.warnings()).toEqual([]);
    expect(log.lines).toContain('info Sent the failure notification.');
  });

  it.each(['unreachable', 'interrupted'] as const)('an %s run is a failure', async (outcome) => {
    const { notifier, posts, pings } = await harness();

    await finish(notifier, outcome, 0);

    expect(posts()).toEqual([expect.objectContaining({ event: 'failure', outcome })]);
    expect(pings()).toEqual(['/fail']);
  });

  it('a guard refusal posts a refused event and pings fail', async () => {
    const { notifier, posts, pings } = await harness();

    await finish(notifier, 'refused', 0);

    expect(posts()).toEqual([expect.objectContaining({ event: 'refused', outcome: 'refused' })]);
    expect(pings()).toEqual(['/fail']);
  });

  it('posts the recovery once: failures, then the first success, then quiet successes', async () => {
    const { notifier, posts, pings } = await harness();

    await finish(notifier, 'failed', 0);
    await finish(notifier, 'unreachable', 1);
    await finish(notifier, 'in-sync', 2);
    await finish(notifier, 'in-sync', 0);
    await finish(notifier, 'in-sync', 0);

    expect(posts().map((post) => post.event)).toEqual(['failure', 'failure', 'recovery']);
    expect(posts()[2]).toMatchObject({ title: 'sync-dbs: backup sync recovered', details: { previousConsecutiveFailures: 2 } });
    expect(pings()).toEqual(['/fail', '/fail', '', '', '']);
  });

  it('does not post on a plain success, but pings success', async () => {
    const { notifier, posts, pings, log } = await harness();

    await finish(notifier, 'in-sync', 0);

    expect(posts()).toEqual([]);
    expect(pings()).toEqual(['']);
    expect(log.warnings()).toEqual([]);
  });

  it('posts every success with --notify-on success', async () => {
    const { notifier, posts } = await harness({ on: ['failure', 'recovery', 'success'] });

    await finish(notifier, 'in-sync', 0);
    await finish(notifier, 'in-sync', 0);

    expect(posts().map((post) => post.event)).toEqual(['success', 'success']);
  });

  it('with --notify-on success alone, a recovery is posted as a success and failures are not posted', async () => {
    const { notifier, posts, pings } = await harness({ on: ['success'] });

    await finish(notifier, 'failed', 0);
    await finish(notifier, 'in-sync', 1);

    expect(posts().map((post) => post.event)).toEqual(['success']);
    expect(pings()).toEqual(['/fail', '']);
  });

  it('a dry run with changes pending posts nothing and pings success', async () => {
    const { notifier, posts, pings } = await harness({ on: ['failure', 'recovery', 'success'] });

    await finish(notifier, 'changes-pending', 0);

    expect(posts()).toEqual([]);
    expect(pings()).toEqual(['']);
  });

  it('runStarted pings start and posts nothing', async () => {
    const { notifier, posts, pings } = await harness();

    await notifier.runStarted();

    expect(pings()).toEqual(['/start']);
    expect(posts()).toEqual([]);
  });

  it('keeps the ping URL query string on every ping', async () => {
    const receiver = await startReceiver(answerAlways(200));
    receivers.push(receiver);
    const notifier = new Notifier(
      { webhookUrl: null, format: 'auto', on: DEFAULT_NOTIFY_ON, pingUrl: `${receiver.url}/ping/${PING_TOKEN}?create=1`, timeoutMs: 5_000 },
      recordingLog(),
    );

    await notifier.runStarted();
    await finish(notifier, 'in-sync', 0);
    await finish(notifier, 'failed', 0);

    expect(receiver.requests.map(({ path, query }) => ({ path, query }))).toEqual([
      { path: `/ping/${PING_TOKEN}/start`, query: { create: '1' } },
      { path: `/ping/${PING_TOKEN}`, query: { create: '1' } },
      { path: `/ping/${PING_TOKEN}/fail`, query: { create: '1' } },
    ]);
  });

  it('sends nothing when neither a webhook nor a ping URL is set', async () => {
    const { notifier, receiver } = await harness({ webhook: false, ping: false });

    await notifier.runStarted();
    await finish(notifier, 'failed', 0);

    expect(receiver.requests).toEqual([]);
  });

  it('posts the Discord shape when the format says so', async () => {
    const { notifier, posts } = await harness({ format: 'discord' });

    await finish(notifier, 'failed', 0);

    expect(posts()).toEqual([
      expect.objectContaining({ username: 'sync-dbs', content: 'sync-dbs: backup sync failed', embeds: [expect.objectContaining({ title: 'sync-dbs: backup sync failed' })] }),
    ]);
  });

  it('posts the Slack shape when the format says so', async () => {
    const { notifier, posts } = await harness({ format: 'slack' });

    await finish(notifier, 'refused', 0);

    expect(posts()).toEqual([{ text: 'sync-dbs: backup sync refused by a safety guard', blocks: [expect.objectContaining({ type: 'header' }), expect.objectContaining({ type: 'section' })] }]);
  });

  describe('lock conflicts', () => {
    const now = new Date('2025-03-01T12:00:00.000Z');
    const conflict = (heldForMs: number) => ({
      holder: holderFor(now, heldForMs),
      now,
      expectEveryMs: HOUR,
      hostname: 'sync-host',
      servers: [{ name: 'backup', url: 'https://backup.example.com' }],
      exitCode: 1,
      consecutiveFailures: 0,
    });

    it('post the webhook when the lock has been held for more than one interval, and never ping', async () => {
      const { notifier, posts, pings } = await harness();

      await notifier.lockConflict(conflict(2 * HOUR));

      expect(posts()).toEqual([expect.objectContaining({ event: 'lock-conflict', outcome: 'locked', runId: null, details: expect.objectContaining({ heldForMs: 2 * HOUR }) })]);
      expect(String(posts()[0]?.text)).toContain('process 999 on other-host');
      expect(pings()).toEqual([]);
    });

    it('post nothing for a shorter overlap', async () => {
      const { notifier, receiver } = await harness();

      await notifier.lockConflict(conflict(HOUR / 2));

      expect(receiver.requests).toEqual([]);
    });

    it('post nothing when failures are not notified', async () => {
      const { notifier, receiver } = await harness({ on: ['recovery', 'success'] });

      await notifier.lockConflict(conflict(2 * HOUR));

      expect(receiver.requests).toEqual([]);
    });
  });

  describe('a notification that cannot be delivered', () => {
    it('is logged and does not fail the run: webhook answering 500, ping still sent', async () => {
      const { notifier, log, receiver, pings } = await harness({ script: (_index, request) => ({ status: request.path.startsWith('/webhook/') ? 500 : 200 }) });

      await expect(finish(notifier, 'failed', 0)).resolves.toBeUndefined();

      expect(pings()).toEqual(['/fail']);
      const warnings = log.warnings();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(receiver.url);
      expect(warnings[0]).toContain('HTTP 500');
      expectNoSecretsLogged(log);
    });

    it('is logged and does not fail the run: nothing listening', async () => {
      const url = await closedPortUrl();
      const log = recordingLog();
      const notifier = new Notifier(
        { webhookUrl: `${url}/webhook/${WEBHOOK_TOKEN}`, format: 'auto', on: DEFAULT_NOTIFY_ON, pingUrl: `${url}/ping/${PING_TOKEN}`, timeoutMs: 5_000 },
        log,
        { retryDelaysMs: [5, 5] },
      );

      await expect(notifier.runStarted()).resolves.toBeUndefined();
      await expect(finish(notifier, 'failed', 0)).resolves.toBeUndefined();

      expect(log.warnings()).toHaveLength(3);
      for (const warning of log.warnings()) {
        expect(warning).toContain(url);
        expect(warning).toContain('ECONNREFUSED');
      }
      expectNoSecretsLogged(log);
    });

    it('is logged and does not fail the run: URLs that are not URLs', async () => {
      const log = recordingLog();
      const notifier = new Notifier({ webhookUrl: 'nonsense WEBHOOK-s3cret-123', format: 'auto', on: DEFAULT_NOTIFY_ON, pingUrl: 'nonsense PING-uuid-456', timeoutMs: 1_000 }, log);

      await expect(notifier.runStarted()).resolves.toBeUndefined();
      await expect(finish(notifier, 'failed', 0)).resolves.toBeUndefined();

      expect(log.warnings()).toHaveLength(3);
      expectNoSecretsLogged(log);
    });
  });

  it('lists every URL that carries a secret, ping variants included', async () => {
    const notifier = new Notifier(
      { webhookUrl: 'https://discord.com/api/webhooks/1/tok', format: 'auto', on: DEFAULT_NOTIFY_ON, pingUrl: 'https://hc-ping.com/uuid?create=1', timeoutMs: 1_000 },
      recordingLog(),
    );
    expect(new Set(notifier.secretUrls())).toEqual(
      new Set([
        'https://discord.com/api/webhooks/1/tok',
        'https://hc-ping.com/uuid?create=1',
        'https://hc-ping.com/uuid/start?create=1',
        'https://hc-ping.com/uuid/fail?create=1',
      ]),
    );
    expect(new Notifier({ webhookUrl: null, format: 'auto', on: DEFAULT_NOTIFY_ON, pingUrl: null, timeoutMs: 1_000 }, recordingLog()).secretUrls()).toEqual([]);
  });
});
