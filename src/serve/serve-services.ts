// What `sync-dbs serve` needs from the world, as small interfaces: the real
// ones are made in serve-wiring.ts; the tests pass in-memory fakes.
import type { DashboardSource, SyncRequestAnswer } from '../dashboard/dashboard-source.js';
import type { RunTrigger } from '../dashboard/dashboard-status.js';
import type { RunResult } from '../outcome/run-result.js';
import type { Snapshot } from '../snapshot/records.js';
import type { JournalEntry, RunSummary } from '../state/run-records.js';
import type { Transition, TrackedServer } from '../watch/health-tracker.js';

export type { SyncRequestAnswer };

/** The watchdog, as serve drives it (HealthWatch). */
export interface Watchdog {
  start(): void;
  stop(): Promise<void>;
  snapshot(): readonly TrackedServer[];
}

/** What serve hears from the watchdog. */
export interface WatchHooks {
  onCheck(server: string): void;
  onTransition(transition: Transition): void;
}

/** One sync serve asks for: why, and which backups it takes (`null`: every configured one). */
export interface SyncRequest {
  readonly trigger: RunTrigger;
  readonly backup: string | null;
}

/** How a sync ended: it ran (whatever its outcome), or another run held the lock and nothing was done. */
export type ServeRunOutcome = { readonly kind: 'ran'; readonly result: RunResult } | { readonly kind: 'locked' };

/** A cron schedule's timer. */
export interface CronTimer {
  /** The next time it fires; null when the schedule has no future time. */
  next(): Date | null;
  cancel(): void;
}

/** Each server's listing read after a run: its snapshot, or why it could not be read (worded). */
export type ListingRead = { readonly ok: true; readonly snapshot: Snapshot } | { readonly ok: false; readonly reason: string };

export interface ListingsRead {
  readonly at: Date;
  /** By server name (`primary`, backup names); a server not read (down, asleep) is absent. */
  readonly servers: ReadonlyMap<string, ListingRead>;
}

/** What the state database holds for the dashboard. */
export interface StateView {
  /** Newest first. */
  readonly runs: readonly RunSummary[];
  /** The newest stored text report. */
  readonly lastReport: { readonly runId: number; readonly text: string } | null;
  /** The operations the interrupted run, or else the last finished one, left unfinished. */
  readonly unfinished: { readonly runId: number; readonly entries: readonly JournalEntry[] } | null;
}

export interface DashboardHandle {
  readonly url: string;
  close(): Promise<void>;
}

export interface ServeServices {
  /** Makes the watchdog over every configured server (not started). */
  createWatch(hooks: WatchHooks): Watchdog;
  /** One recorded sync; it must honour `signal` (finish what is in flight, then stop). */
  runSync(request: SyncRequest, signal: AbortSignal): Promise<ServeRunOutcome>;
  /** Lists the named servers (never a write, never /verify). */
  readListings(servers: readonly string[], signal: AbortSignal): Promise<ListingsRead>;
  /** Reads the state database; at most `limit` runs. */
  readState(limit: number): StateView;
  /** Posts the webhook of one transition (the settings decide whether). */
  notifyTransition(transition: Transition): Promise<void>;
  /** Starts the dashboard on `source`; rejects with DashboardRefused when it may not start. */
  startDashboard(source: DashboardSource): Promise<DashboardHandle>;
  /** Calls `onTick` on the cron schedule. */
  schedule(cron: string, onTick: () => void): CronTimer;
}
