// In-memory stand-ins for what `serve` drives: the watchdog, the recorded
// runs, the listings, the state database, the webhook, the dashboard and
// the cron timer. Each records what it was asked and lets a test steer it.
import type { DashboardSource } from '../../../src/dashboard/dashboard-source.js';
import type { LogSink } from '../../../src/log/log-sink.js';
import type {
  CronTimer,
  ListingRead,
  ServeRunOutcome,
  ServeServices,
  StateView,
  SyncRequest,
  WatchHooks,
  Watchdog,
} from '../../../src/serve/serve-services.js';
import type { Transition, TrackedServer, WatchState } from '../../../src/watch/health-tracker.js';
import { aRunResult } from '../../report/support/run-result-builders.js';
import { snapshotOf } from '../../plan/support/records.js';

export const AT = new Date('2026-12-04T12:00:00.000Z');

export function aTracked(name: string, role: 'primary' | 'backup', state: WatchState = 'up'): TrackedServer {
  return {
    name,
    role,
    url: `https://${name}.example.com`,
    state,
    consecutiveFailures: state === 'up' ? 0 : 3,
    consecutiveSuccesses: state === 'up' ? 3 : 0,
    latencyMs: state === 'up' ? 42 : null,
    lastCheckAt: AT.toISOString(),
    lastChangeAt: AT.toISOString(),
    lastFailure: state === 'up' ? null : { kind: 'down', detail: 'connection refused' },
    samples: [{ at: AT.toISOString(), ok: state === 'up', latencyMs: state === 'up' ? 42 : null }],
  };
}

/** A transition as the watch announces it; `overrides` may describe one it never would, to test the guards. */
export function aTransition(server: string, kind: 'down' | 'back', overrides: Readonly<Record<string, unknown>> = {}): Transition {
  return {
    server,
    role: server === 'primary' ? 'primary' : 'backup',
    kind,
    from: kind === 'back' ? 'down' : 'up',
    to: kind === 'back' ? 'up' : 'down',
    at: AT.toISOString(),
    afterChecks: 3,
    detail: kind === 'down' ? 'connection refused' : null,
    ...overrides,
  } as Transition;
}

/** A promise and the functions that settle it. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 10; round++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export class FakeWatch implements Watchdog {
  started = false;
  stopped = false;
  constructor(
    readonly hooks: WatchHooks,
    public servers: TrackedServer[],
  ) {}

  start(): void {
    this.started = true;
  }

  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }

  /** When set, `snapshot()` throws it. */
  snapshotError: Error | null = null;

  snapshot(): readonly TrackedServer[] {
    if (this.snapshotError !== null) throw this.snapshotError;
    return this.servers;
  }

  /** The watchdog declares `server` in `state` and says so. */
  transition(transition: Transition): void {
    this.servers = this.servers.map((server) => (server.name === transition.server ? { ...server, state: transition.to } : server));
    this.hooks.onTransition(transition);
  }
}

export interface RunCall {
  readonly request: SyncRequest;
  readonly signal: AbortSignal;
  readonly done: Deferred<ServeRunOutcome>;
}

/** A run that ended in sync, recorded as run `runId`. */
export function ranInSync(runId: number): ServeRunOutcome {
  return { kind: 'ran', result: aRunResult({ runId, startedAt: AT.toISOString(), servers: [], targets: [] }) };
}

export class FakeServices implements ServeServices {
  watch: FakeWatch | null = null;
  readonly runs: RunCall[] = [];
  readonly listingReads: string[][] = [];
  readonly posted: Transition[] = [];
  readonly dashboards: DashboardSource[] = [];
  dashboardClosed = false;
  dashboardError: unknown = null;
  timerCancelled = false;
  onTick: (() => void) | null = null;
  state: StateView = { runs: [], lastReport: null, unfinished: null };
  listings = new Map<string, ListingRead>([
    ['primary', { ok: true, snapshot: snapshotOf() }],
    ['backup', { ok: true, snapshot: snapshotOf() }],
  ]);

  constructor(readonly watched: TrackedServer[] = [aTracked('primary', 'primary'), aTracked('backup', 'backup')]) {}

  createWatch(hooks: WatchHooks): Watchdog {
    this.watch = new FakeWatch(hooks, this.watched);
    return this.watch;
  }

  runSync(request: SyncRequest, signal: AbortSignal): Promise<ServeRunOutcome> {
    const done = deferred<ServeRunOutcome>();
    this.runs.push({ request, signal, done });
    return done.promise;
  }

  readListings(servers: readonly string[]): Promise<{ at: Date; servers: ReadonlyMap<string, ListingRead> }> {
    this.listingReads.push([...servers]);
    return Promise.resolve({ at: AT, servers: new Map([...this.listings].filter(([name]) => servers.includes(name))) });
  }

  readState(): StateView {
    return this.state;
  }

  notifyTransition(transition: Transition): Promise<void> {
    this.posted.push(transition);
    return Promise.resolve();
  }

  startDashboard(source: DashboardSource): Promise<{ url: string; close(): Promise<void> }> {
    if (this.dashboardError !== null) return Promise.reject(this.dashboardError);
    this.dashboards.push(source);
    return Promise.resolve({
      url: 'http://127.0.0.1:8750/',
      close: () => {
        this.dashboardClosed = true;
        return Promise.resolve();
      },
    });
  }

  schedule(_cron: string, onTick: () => void): CronTimer {
    this.onTick = onTick;
    return { next: () => new Date('2026-12-04T13:00:00.000Z'), cancel: () => (this.timerCancelled = true) };
  }

  /** The schedule fires. */
  tick(): void {
    if (this.onTick === null) throw new Error('no schedule yet');
    this.onTick();
  }

  /** The last run asked for; it is still running until a test settles `done`. */
  lastRun(): RunCall {
    const run = this.runs.at(-1);
    if (run === undefined) throw new Error('no run asked for');
    return run;
  }
}

/** A log sink that keeps its lines as `level: text`. */
export class LinesLog implements LogSink {
  readonly lines: string[] = [];
  debug(message: string): void {
    this.lines.push(`debug: ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info: ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
}
