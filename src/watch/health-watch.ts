import type { HealthProbe } from '../api/health-probe.js';
import { silentLog, type LogSink } from '../log/log-sink.js';
import { newTrackedServer, recordProbe, type HealthThresholds, type ServerRole, type TrackedServer, type Transition } from './health-tracker.js';

// The watchdog's loop: checks every server's health every `intervalMs`, keeps
// what the checks tell (health-tracker.ts) and tells listeners of each check
// and each transition. Nothing it meets stops the loop: a probe that throws
// or hangs counts as a failed check, a listener that throws is logged.

export interface WatchedServer {
  readonly name: string;
  readonly role: ServerRole;
  readonly url: string;
  /** One health check, given up after `timeoutMs` (LicenseServer.probeHealth). */
  probe(timeoutMs: number): Promise<HealthProbe>;
}

export interface HealthWatchOptions {
  readonly servers: readonly WatchedServer[];
  readonly intervalMs: number;
  /** Each check's own timeout, passed to `probe`. */
  readonly timeoutMs: number;
  readonly downAfter: number;
  readonly upAfter: number;
  /** How long samples are kept (6 h when absent). */
  readonly historyMs?: number;
  readonly now?: () => Date;
  /** After each check is recorded, with the server's name. */
  readonly onCheck?: (server: string) => void;
  /** After a check that flips a server's reachability (health-tracker.ts). */
  readonly onTransition?: (transition: Transition) => void;
  readonly log?: LogSink;
}

/** Beyond its own timeout, a probe that has not settled is abandoned after this much more. */
const HUNG_PROBE_GRACE_MS = 1_000;

export class HealthWatch {
  private readonly tracked = new Map<string, TrackedServer>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly thresholds: HealthThresholds;
  private readonly now: () => Date;
  private readonly log: LogSink;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: HealthWatchOptions) {
    for (const [name, value] of Object.entries({ intervalMs: options.intervalMs, timeoutMs: options.timeoutMs, downAfter: options.downAfter, upAfter: options.upAfter })) {
      if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`HealthWatch: ${name} must be a positive integer, not ${value}`);
    }
    for (const server of options.servers) {
      if (this.tracked.has(server.name)) throw new RangeError(`HealthWatch: two servers are named ${server.name}`);
      this.tracked.set(server.name, newTrackedServer(server));
    }
    this.thresholds = { downAfter: options.downAfter, upAfter: options.upAfter, ...(options.historyMs === undefined ? {} : { historyMs: options.historyMs }) };
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? silentLog;
  }

  /** Checks every server at once now, then every `intervalMs`; does nothing while already started. */
  start(): void {
    if (this.timer !== null) return;
    this.stopped = false;
    this.timer = setInterval(() => this.checkAll(), this.options.intervalMs);
    // The loop alone never keeps the process alive (serve's HTTP server does).
    this.timer.unref();
    this.checkAll();
  }

  /** No new checks from now on; resolves once the checks in flight are recorded. Listeners hear nothing more. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.inFlight.values());
  }

  /** Every server as the checks left it, in the order given; frozen objects. */
  snapshot(): readonly TrackedServer[] {
    return Object.freeze([...this.tracked.values()]);
  }

  /** Checks every server now (or waits for its check in flight), and resolves once all are recorded; nothing after stop(). */
  async checkNow(): Promise<void> {
    await Promise.all(this.checkAll());
  }

  private checkAll(): Promise<void>[] {
    if (this.stopped) return [];
    return this.options.servers.map((server) => this.check(server));
  }

  /** One check of `server`, unless one is in flight: then that one. */
  private check(server: WatchedServer): Promise<void> {
    const running = this.inFlight.get(server.name);
    if (running !== undefined) return running;
    const check = this.probe(server)
      .then((probe) => this.record(server, probe))
      .catch((error: unknown) => this.log.error(`health watch: the check of ${server.name} could not be recorded: ${errorText(error)}`))
      .finally(() => this.inFlight.delete(server.name));
    this.inFlight.set(server.name, check);
    return check;
  }

  private async probe(server: WatchedServer): Promise<HealthProbe> {
    const started = performance.now();
    const failed = (detail: string): HealthProbe => ({ ok: false, latencyMs: Math.round(performance.now() - started), failure: 'error', detail });
    const limitMs = this.options.timeoutMs + HUNG_PROBE_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<HealthProbe>((resolve) => {
      timer = setTimeout(() => resolve(failed(`the check did not settle within ${limitMs / 1000} s`)), limitMs);
      timer.unref();
    });
    try {
      return await Promise.race([server.probe(this.options.timeoutMs), hung]);
    } catch (error) {
      this.log.error(`health check of ${server.name} failed: ${errorText(error)}`);
      return failed('the check itself failed');
    } finally {
      clearTimeout(timer);
    }
  }

  private record(server: WatchedServer, probe: HealthProbe): void {
    const current = this.tracked.get(server.name);
    if (current === undefined) return;
    const { tracked, transition } = recordProbe(current, probe, this.now(), this.thresholds);
    this.tracked.set(server.name, tracked);
    if (this.stopped) return;
    this.tell('onCheck', () => this.options.onCheck?.(server.name));
    if (transition !== null) this.tell('onTransition', () => this.options.onTransition?.(transition));
  }

  /** Calls a listener; what it throws, or its promise rejects with, is logged (an async listener is not awaited). */
  private tell(listener: string, call: () => unknown): void {
    const failed = (error: unknown) => this.log.error(`health watch: the ${listener} listener failed: ${errorText(error)}`);
    try {
      const result = call();
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}

/** The error's name and message, each URL cut to its origin: a webhook's path or query is its secret. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => {
    try {
      return `${new URL(url).origin}/…`;
    } catch {
      return '[url]';
    }
  });
}
