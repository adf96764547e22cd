import { DashboardRefused } from '../dashboard/dashboard-server.js';
import type { DashboardSource, SyncRequestAnswer } from '../dashboard/dashboard-source.js';
import type { DashboardStatus, RunTrigger } from '../dashboard/dashboard-status.js';
import { utcCalendarDate } from '../domain/calendar-date.js';
import { currentLanguage, t, type MessageKey } from '../i18n/i18n.js';
import type { LogSink } from '../log/log-sink.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import type { RunResult } from '../outcome/run-result.js';
import { unfinishedLine } from '../report/status-text.js';
import type { Transition } from '../watch/health-tracker.js';
import { decisionAgreement } from './decision-agreement.js';
import type { CronTimer, ServeServices, StateView, SyncRequest, Watchdog } from './serve-services.js';
import { buildDashboardStatus, STATUS_RUNS, type ServerKnowledge } from './status-builder.js';
import { SyncQueue } from './sync-queue.js';
import { TransitionAlerts } from './transition-alerts.js';
import { syncRequestFor } from './trigger-rules.js';

export interface ServeOptions {
  /** The sync schedule (cron, validated). */
  readonly cron: string;
  /** Sync once right away (`--run-at-start`, the default). */
  readonly runAtStart: boolean;
  readonly healthIntervalMs: number;
  readonly downAfter: number;
  readonly upAfter: number;
  /** The configured servers by name: the primary's, then the backups'. */
  readonly primary: string;
  readonly backups: readonly string[];
  readonly log: LogSink;
  /** A finished run's text report, in the current language. */
  readonly renderReport: (result: RunResult) => string;
  readonly now?: () => Date;
  /** status() reads the state database again when its copy is older than this (one-shot runs record there too). */
  readonly stateRefreshMs?: number;
  /** How long a run that found the lock taken (a one-shot run going on) waits before it asks again. */
  readonly lockRetryMs?: number;
}

const DEFAULT_LOCK_RETRY_MS = 30_000;

const TRIGGER_WORDS: Readonly<Record<RunTrigger, MessageKey>> = {
  start: 'serve:trigger.start',
  schedule: 'serve:trigger.schedule',
  'primary-back': 'serve:trigger.primary-back',
  'backup-back': 'serve:trigger.backup-back',
  manual: 'serve:trigger.manual',
};

const EMPTY_STATE: StateView = { runs: [], lastReport: null, unfinished: null };

/**
 * `sync-dbs serve` running: the schedule, the watchdog and what its
 * transitions call for (syncs, webhook posts), the listings after each run,
 * and the status the dashboard reads. Its own errors are logged, never thrown.
 */
export class ServeProcess implements DashboardSource {
  private readonly log: LogSink;
  private readonly now: () => Date;
  private readonly queue: SyncQueue;
  private readonly alerts: TransitionAlerts;
  private readonly listeners = new Set<() => void>();
  private readonly knowledge = new Map<string, ServerKnowledge>();
  private readonly triggers = new Map<number, RunTrigger>();
  private readonly watch: Watchdog;
  private timer: CronTimer | null = null;
  private running: { readonly trigger: RunTrigger; readonly startedAt: Date } | null = null;
  private ownReport: { readonly runId: number; readonly startedAt: string; readonly text: string } | null = null;
  private state: StateView = EMPTY_STATE;
  private stateReadAt = 0;
  private stateBroken = false;
  private interrupted = false;

  constructor(
    private readonly options: ServeOptions,
    private readonly services: ServeServices,
    private readonly signal: AbortSignal,
  ) {
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.queue = new SyncQueue(
      (request) => this.execute(request),
      (error) => this.log.error(t('serve:run.failed', { reason: reasonOf(error) })),
    );
    this.alerts = new TransitionAlerts((transition) => services.notifyTransition(transition), this.log);
    this.watch = services.createWatch({ onCheck: () => this.changed(), onTransition: (transition) => this.heard(transition) });
  }

  /** Whether a run was interrupted by the stop (exit 6). */
  get wasInterrupted(): boolean {
    return this.interrupted;
  }

  /** Starts watching and the schedule (and the run at start). */
  start(): void {
    this.refreshState();
    this.watch.start();
    this.timer = this.services.schedule(this.options.cron, () => {
      if (!this.signal.aborted) this.request({ trigger: 'schedule', backup: null });
    });
    this.logNext();
    if (this.options.runAtStart) this.request({ trigger: 'start', backup: null });
  }

  /** No new run; the run in progress finishes what is in flight (it hears the same signal); the watch stops. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    if (this.queue.current !== null) this.log.info(t('serve:stop.waiting'));
    await this.queue.close();
    try {
      await this.watch.stop();
    } catch (error) {
      this.log.warn(t('serve:watch.stopFailed', { reason: reasonOf(error) }));
    }
    this.changed();
  }

  status(): DashboardStatus {
    if (this.now().getTime() - this.stateReadAt >= (this.options.stateRefreshMs ?? 15_000)) this.refreshState();
    return buildDashboardStatus({
      now: this.now(),
      language: currentLanguage(),
      watched: this.safeSnapshot(),
      knowledge: this.knowledge,
      running: this.running,
      nextScheduledAt: this.nextScheduled(),
      settings: { schedule: this.options.cron, healthIntervalMs: this.options.healthIntervalMs, downAfter: this.options.downAfter, upAfter: this.options.upAfter },
      state: this.state,
      triggers: this.triggers,
      ownReport: this.ownReport,
      unfinishedLine,
    });
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  requestSync(): SyncRequestAnswer {
    return this.request({ trigger: 'manual', backup: null });
  }

  private request(request: SyncRequest): SyncRequestAnswer {
    if (this.signal.aborted) return 'queued';
    const answer = this.queue.request(request);
    if (answer === 'queued') this.log.info(t('serve:run.queued', { trigger: t(TRIGGER_WORDS[request.trigger]) }));
    return answer;
  }

  private heard(transition: Transition): void {
    try {
      const words = { server: transition.server, count: transition.afterChecks };
      if (transition.kind === 'down') this.log.warn(t(transition.to === 'asleep' ? 'serve:transition.asleep' : 'serve:transition.down', words));
      else this.log.info(t('serve:transition.back', words));
      void this.alerts.heard(transition);
      const request = syncRequestFor(transition, this.watch.snapshot());
      if (request !== null) this.request(request);
    } catch (error) {
      this.log.error(t('serve:transition.failed', { server: transition.server, reason: reasonOf(error) }));
    }
    this.changed();
  }

  private async execute(request: SyncRequest): Promise<void> {
    if (this.signal.aborted) return;
    this.running = { trigger: request.trigger, startedAt: this.now() };
    const trigger = t(TRIGGER_WORDS[request.trigger]);
    this.log.info(request.backup === null ? t('serve:run.starting', { trigger }) : t('serve:run.startingBackup', { trigger, server: request.backup }));
    this.changed();
    try {
      const outcome = await this.services.runSync(request, this.signal);
      if (outcome.kind === 'locked') {
        this.retryAfterLock(request);
        return;
      }
      const { result } = outcome;
      if (result.exitCode === EXIT_CODES.interrupted) this.interrupted = true;
      this.learnFromRun(result);
      if (!this.signal.aborted) await this.readListings();
    } finally {
      this.running = null;
      this.refreshState();
      this.changed();
      this.logNext();
    }
  }

  /** The run that holds the lock may be the very one that fails while the primary is down: the run asked for (the primary back above all) must not wait for the next hour. */
  private retryAfterLock(request: SyncRequest): void {
    const delayMs = this.options.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS;
    this.log.warn(t('serve:run.locked', { seconds: Math.round(delayMs / 1000) }));
    // After a stop, request() asks for nothing; unref: the pause keeps no stopped process alive.
    setTimeout(() => this.request(request), delayMs).unref();
  }

  private learnFromRun(result: RunResult): void {
    const at = new Date(Date.parse(result.startedAt) + result.durationMs).toISOString();
    if (result.runId !== null) {
      this.triggers.set(result.runId, this.running?.trigger ?? 'manual');
      try {
        this.ownReport = { runId: result.runId, startedAt: result.startedAt, text: this.options.renderReport(result) };
      } catch (error) {
        this.log.warn(t('serve:report.failed', { reason: reasonOf(error) }));
      }
    }
    const lastSync = (exitCode: number, inSync: boolean) => ({ runId: result.runId, at, exitCode, inSync });
    this.know(this.options.primary, { lastSync: lastSync(result.exitCode, result.outcome === 'in-sync') });
    for (const target of result.targets) this.know(target.server, { lastSync: lastSync(target.exitCode, target.outcome === 'in-sync') });
    for (const server of result.servers) {
      if (server.users !== null && server.licenses !== null) this.know(server.name, { records: { users: server.users, licenses: server.licenses, at } });
    }
  }

  /** Lists the servers that are not down, for their counts and each backup's /verify agreement with the primary. */
  private async readListings(): Promise<void> {
    const unreachable = new Set(this.safeSnapshot().filter((server) => server.state === 'down' || server.state === 'asleep').map((server) => server.name));
    const names = [this.options.primary, ...this.options.backups].filter((name) => !unreachable.has(name));
    if (names.length === 0) return;
    try {
      const read = await this.services.readListings(names, this.signal);
      const at = read.at.toISOString();
      for (const [name, listing] of read.servers) {
        if (listing.ok) this.know(name, { records: { users: listing.snapshot.users.size, licenses: listing.snapshot.licenses.size, at } });
        else this.log.warn(t('serve:listing.failed', { server: name, reason: listing.reason }));
      }
      const primary = read.servers.get(this.options.primary);
      if (primary === undefined || !primary.ok) return;
      for (const backup of this.options.backups) {
        const listing = read.servers.get(backup);
        if (listing === undefined || !listing.ok) continue;
        const agreement = decisionAgreement(primary.snapshot, listing.snapshot, utcCalendarDate(read.at), read.at);
        this.know(backup, { agreement });
        const words = { server: backup, agreeing: agreement.agreeing, count: agreement.licenses };
        if (agreement.agreeing === agreement.licenses) this.log.info(t('serve:agreement.all', words));
        else this.log.warn(t('serve:agreement.some', words));
      }
    } catch (error) {
      this.log.warn(t('serve:listing.allFailed', { reason: reasonOf(error) }));
    }
  }

  private know(server: string, facts: Partial<ServerKnowledge>): void {
    const known = this.knowledge.get(server) ?? { lastSync: null, records: null, agreement: null };
    this.knowledge.set(server, { ...known, ...facts });
  }

  private refreshState(): void {
    this.stateReadAt = this.now().getTime();
    try {
      this.state = this.services.readState(STATUS_RUNS);
      this.stateBroken = false;
      // Triggers of runs older than those listed are no longer shown.
      const oldest = this.state.runs.at(-1)?.id;
      if (oldest !== undefined) for (const id of this.triggers.keys()) if (id < oldest) this.triggers.delete(id);
    } catch (error) {
      // Logged once per spell of failures: the dashboard asks often.
      if (!this.stateBroken) this.log.warn(t('serve:state.failed', { reason: reasonOf(error) }));
      this.stateBroken = true;
    }
  }

  /** The watch's servers; none when it fails (the dashboard and the agreement go on without them). */
  private safeSnapshot(): ReturnType<Watchdog['snapshot']> {
    try {
      return this.watch.snapshot();
    } catch (error) {
      this.log.debug(t('serve:watch.snapshotFailed', { reason: reasonOf(error) }));
      return [];
    }
  }

  private nextScheduled(): Date | null {
    return this.timer?.next() ?? null;
  }

  private logNext(): void {
    if (this.signal.aborted || this.timer === null) return;
    const next = this.nextScheduled();
    this.log.info(next === null ? t('serve:schedule.never', { schedule: this.options.cron }) : t('serve:schedule.next', { at: next, schedule: this.options.cron }));
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.log.debug(t('serve:listener.failed', { reason: reasonOf(error) }));
      }
    }
  }
}

/**
 * Runs `serve` until `signal` aborts: the dashboard first (a refusal exits 2
 * before anything starts), then the watch and the schedule. Resolves to the
 * exit code: 0, or 6 when the stop interrupted a run.
 */
export async function runServe(options: ServeOptions, services: ServeServices, signal: AbortSignal): Promise<number> {
  const { log } = options;
  const serving = new ServeProcess(options, services, signal);
  let dashboard;
  try {
    dashboard = await services.startDashboard(serving);
  } catch (error) {
    log.error(error instanceof DashboardRefused ? error.message : t('serve:dashboard.failed', { reason: reasonOf(error) }));
    return EXIT_CODES.usage;
  }
  log.info(t('serve:dashboard.url', { url: dashboard.url }));
  serving.start();
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await serving.stop();
  try {
    await dashboard.close();
  } catch (error) {
    log.warn(t('serve:dashboard.closeFailed', { reason: reasonOf(error) }));
  }
  log.info(t('serve:stopped'));
  return serving.wasInterrupted ? EXIT_CODES.interrupted : EXIT_CODES.inSync;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
