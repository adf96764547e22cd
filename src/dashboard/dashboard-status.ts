// What `sync-dbs serve` knows at a moment, as data: the dashboard renders it
// and `GET /api/status` returns it as JSON (format `sync-dbs-status/1`).
// Times are ISO 8601 UTC strings. `serve/` builds it; nothing here words it.

export const STATUS_FORMAT = 'sync-dbs-status/1';

/** `unknown` until the first check settles it; `down`/`asleep` once `downAfter` checks in a row failed. */
export type WatchState = 'unknown' | 'up' | 'down' | 'asleep';

export type RunTrigger = 'start' | 'schedule' | 'primary-back' | 'backup-back' | 'manual';

export interface HealthSampleStatus {
  readonly at: string;
  readonly ok: boolean;
  readonly latencyMs: number | null;
}

export interface DecisionAgreement {
  /** When the listings compared were read (after a run). */
  readonly at: string;
  /** Licenses compared (every license either side holds). */
  readonly licenses: number;
  readonly agreeing: number;
  /** The first differences (at most 20): the /verify answer each side would give today. */
  readonly differing: readonly { readonly deviceId: string; readonly primary: 'allow' | 'deny' | 'absent'; readonly backup: 'allow' | 'deny' | 'absent' }[];
}

export interface ServerStatus {
  /** `primary`, or the backup's configured name. */
  readonly name: string;
  readonly role: 'primary' | 'backup';
  readonly url: string;
  readonly state: WatchState;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** The last answered check's latency. */
  readonly latencyMs: number | null;
  readonly lastCheckAt: string | null;
  /** When `state` last changed. */
  readonly lastChangeAt: string | null;
  /** Why the last check failed (a failure kind of api/health-probe.ts and its detail); null after a success. */
  readonly lastFailure: { readonly kind: 'asleep' | 'down' | 'error'; readonly detail: string } | null;
  /** Checks of the last hours, oldest first. */
  readonly samples: readonly HealthSampleStatus[];
  /** The last run that reached this server. */
  readonly lastSync: { readonly runId: number | null; readonly at: string; readonly exitCode: number; readonly inSync: boolean } | null;
  /** What the last listing read held. */
  readonly records: { readonly users: number; readonly licenses: number; readonly at: string } | null;
  /** Backups only: the /verify decisions of its licenses against the primary's. */
  readonly agreement: DecisionAgreement | null;
}

export interface RunStatus {
  readonly id: number;
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly exitCode: number | null;
  /** The run's outcome code (`in-sync`, `failed`, `unreachable`...), as stored. */
  readonly outcome: string | null;
  /** Why serve started it; null for runs it did not start (a one-shot run of the scheduler). */
  readonly trigger: RunTrigger | null;
}

export interface DashboardStatus {
  readonly format: typeof STATUS_FORMAT;
  readonly generatedAt: string;
  /** The language the texts below are in (`en`, `pt-BR`). */
  readonly language: string;
  /** `failover` while the primary is declared down or asleep (clients are on the backups). */
  readonly mode: 'primary' | 'failover';
  readonly servers: readonly ServerStatus[];
  readonly running: { readonly trigger: RunTrigger; readonly startedAt: string } | null;
  readonly nextScheduledAt: string | null;
  /** The schedule (cron) and the watchdog's settings. */
  readonly settings: { readonly schedule: string; readonly healthIntervalMs: number; readonly downAfter: number; readonly upAfter: number };
  /** Newest first (at most 200), from the state database: serve's runs and one-shot runs alike. */
  readonly runs: readonly RunStatus[];
  /** The last finished run's text report, in `language`. */
  readonly lastReport: { readonly runId: number | null; readonly startedAt: string; readonly text: string } | null;
  /** The operations a run left unfinished (sent, answer unknown, or never sent), worded in `language`. */
  readonly unfinished: { readonly runId: number; readonly operations: readonly string[] } | null;
}
