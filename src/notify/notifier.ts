import type { LogSink } from '../log/log-sink.js';
import type { LockHolder, RunOutcome } from '../state/run-records.js';
import { ping, postWebhook } from './deliver.js';
import { decideNotification, type NotifyEvent, type NotifyEventKind } from './notify-event.js';
import type { NotifySettings } from './notify-settings.js';
import { buildRunNotice, outcomeText, type RunDescription, type RunNotice, type ServerRef } from './run-notice.js';
import { pingUrlFor, type PingKind } from './target-url.js';
import { resolveFormat, webhookPayload } from './webhook-payload.js';
import { t, type MessageKey } from '../i18n/i18n.js';

export interface RunFinishedInput {
  readonly run: RunDescription & { readonly outcome: RunOutcome };
  /** Finished runs since the last success that did not succeed, before this one. */
  readonly previousConsecutiveFailures: number;
}

export interface LockConflictInput {
  readonly holder: LockHolder;
  readonly now: Date;
  /** The scheduling interval; shorter conflicts are not reported. */
  readonly expectEveryMs: number;
  /** This (refused) run's host. */
  readonly hostname: string;
  readonly servers: readonly ServerRef[];
  readonly exitCode: number | null;
  readonly consecutiveFailures: number;
}

export interface NotifierTuning {
  /** Waits between delivery attempts; tests pass tiny ones. */
  readonly retryDelaysMs?: readonly number[];
}

/** Outcomes that ping the dead-man's switch as a success: the run worked, dry runs included. */
const PING_SUCCESS: readonly RunOutcome[] = ['in-sync', 'changes-pending'];

const SENT: Readonly<Record<NotifyEventKind, MessageKey>> = {
  failure: 'notify:notifier.sent.failure',
  refused: 'notify:notifier.sent.refused',
  'lock-conflict': 'notify:notifier.sent.lock-conflict',
  recovery: 'notify:notifier.sent.recovery',
  success: 'notify:notifier.sent.success',
};

/**
 * Sends the alerts of a run: a webhook post when `decideNotification` calls
 * for one, and dead-man's-switch pings at start and end. Every method resolves
 * within about `timeoutMs` and never rejects: a lost alert is logged, it never
 * fails the run.
 */
export class Notifier {
  constructor(
    private readonly settings: NotifySettings,
    private readonly log: LogSink,
    private readonly tuning: NotifierTuning = {},
  ) {}

  /** The URLs to blank out of every log line: they carry secret tokens. */
  secretUrls(): string[] {
    const urls: string[] = [];
    if (this.settings.webhookUrl) urls.push(this.settings.webhookUrl);
    if (this.settings.pingUrl) {
      urls.push(this.settings.pingUrl);
      for (const kind of ['start', 'success', 'fail'] as const) {
        const url = pingUrlFor(this.settings.pingUrl, kind);
        if (url !== null) urls.push(url);
      }
    }
    return [...new Set(urls)];
  }

  /** Call once the run holds the lock: a start ping with no end makes the check overdue. */
  async runStarted(): Promise<void> {
    await this.guarded(() => this.ping('start'));
  }

  async runFinished(input: RunFinishedInput): Promise<void> {
    await this.guarded(async () => {
      const { run } = input;
      const event = decideNotification({
        outcome: run.outcome,
        previousConsecutiveFailures: input.previousConsecutiveFailures,
        on: this.settings.on,
        now: new Date(),
        expectEveryMs: Number.POSITIVE_INFINITY,
      });
      const notice = event === null ? null : buildRunNotice(event, run);
      const summary = notice === null ? `${outcomeText(run.outcome)}: ${run.verdict}` : `${notice.title}\n\n${notice.text}`;
      await Promise.all([
        notice === null ? Promise.resolve() : this.post(notice),
        this.ping(PING_SUCCESS.includes(run.outcome) ? 'success' : 'fail', summary),
      ]);
    });
  }

  /** A run that found the lock taken: a webhook post when the holder has had it for more than one interval. No ping. */
  async lockConflict(input: LockConflictInput): Promise<void> {
    await this.guarded(async () => {
      const event: NotifyEvent | null = decideNotification({
        outcome: 'locked',
        previousConsecutiveFailures: input.consecutiveFailures,
        on: this.settings.on,
        lockHolder: input.holder,
        now: input.now,
        expectEveryMs: input.expectEveryMs,
      });
      if (event === null) return;
      const notice = buildRunNotice(event, {
        verdict: t('notify:notifier.lockVerdict'),
        outcome: 'locked',
        exitCode: input.exitCode,
        startedAt: input.now.toISOString(),
        durationMs: null,
        runId: null,
        hostname: input.hostname,
        servers: input.servers,
        failures: 0,
        consecutiveFailures: input.consecutiveFailures,
        lockHolder: input.holder,
      });
      await this.post(notice);
    });
  }

  private async post(notice: RunNotice): Promise<void> {
    const url = this.settings.webhookUrl;
    if (url === null) return;
    const payload = webhookPayload(resolveFormat(this.settings.format, url), notice);
    if (await postWebhook(url, payload, this.deliveryOptions())) this.log.info(t(SENT[notice.event]));
  }

  private async ping(kind: PingKind, body?: string): Promise<void> {
    if (this.settings.pingUrl === null) return;
    await ping(this.settings.pingUrl, kind, { ...this.deliveryOptions(), ...(body === undefined ? {} : { body }) });
  }

  private deliveryOptions() {
    return { timeoutMs: this.settings.timeoutMs, log: this.log, ...(this.tuning.retryDelaysMs ? { retryDelaysMs: this.tuning.retryDelaysMs } : {}) };
  }

  private async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      // Deliveries never throw; this is a bug in building the notice, which must not fail the run either.
      this.log.warn(t('notify:notifier.broken', { reason: error instanceof Error ? error.message : String(error) }));
    }
  }
}
