import type { NOTIFY_FORMAT_CHOICES, NOTIFY_ON_CHOICES } from './settings.js';

/** A license server by its configured name: `primary`, `backup`, `backup-2` or a name the operator chose. */
export type ServerName = string;

export interface ServerConfig {
  readonly name: ServerName;
  /** Normalised: scheme, host, port (when not the default) and path prefix; no trailing slash, credentials, query or fragment. */
  readonly url: string;
  readonly username: string;
  /** The resolved secret. Never log it. */
  readonly password: string;
}

/** `one-way`: the primary into each backup; `two-way`: merge the primary and one peer against their base. */
export const SYNC_MODES = ['one-way', 'two-way'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/** Whose version wins when a two-way run finds a record changed differently on both sides (a block always wins). */
export const CONFLICT_POLICIES = ['primary', 'peer', 'none'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/** Everything a sync run needs to know, validated and with defaults applied. */
export interface SyncConfig {
  readonly primary: ServerConfig;
  /** The backups this run syncs (every configured one, or those --backup names), in configuration order; never empty. */
  readonly backups: readonly ServerConfig[];
  /** --mode: default one-way. A two-way run has exactly one backup (the peer). */
  readonly mode: SyncMode;
  /** --conflict: default primary. */
  readonly conflict: ConflictPolicy;
  /** --concurrency: requests in flight at once, integer 1..64, default 8. */
  readonly concurrency: number;
  /** --timeout SECONDS: per-request timeout, default 30 s. */
  readonly timeoutMs: number;
  /** --wake-timeout SECONDS: how long to wait for a sleeping server, default 120 s. */
  readonly wakeTimeoutMs: number;
  /** --retries: total attempts per request (1 = no retry), integer 1..20, default 6. */
  readonly retries: number;
  /** --retry-delay SECONDS: first backoff, default 1 s. */
  readonly retryDelayMs: number;
  /** --retry-max-delay SECONDS: longest backoff, at least the retry delay, default 32 s. */
  readonly retryMaxDelayMs: number;
  /** --max-answer-mb: the largest answer read from a server, integer 1..4096 MB, default 128. */
  readonly maxAnswerMb: number;
  /** --delete: default false. */
  readonly delete: boolean;
  /** --max-delete: integer >= 0, default 0. */
  readonly maxDelete: number;
  /** --new-users: default 'create'. */
  readonly newUsers: 'create' | 'skip';
  /** --min-primary-ratio: 0..1, default 0.5. */
  readonly minPrimaryRatio: number;
  /** --state-dir: absolute path (not created by the config layer). */
  readonly stateDir: string;
  /** Contents of --ca-file (PEM), null when not given. */
  readonly ca: string | null;
  /** --allow-insecure-http: plain http to hosts other than loopback. */
  readonly allowInsecureHttp: boolean;
  /** --max-shrink: 0..1, default 0.1; the primary may list at most this fraction less than at the last good run. */
  readonly maxShrink: number;
  /** --expect-every: the scheduled interval, default 1 h. */
  readonly expectEveryMs: number;
  /** --every: a cron expression for the long-running mode; null for one run. */
  readonly every: string | null;
  /** --log-retention: days of daily log files, default 14. */
  readonly logRetentionDays: number;
  /** --history-retention: days of runs and journal kept, default 90. */
  readonly historyRetentionDays: number;
  readonly notify: NotifyConfig;
}

export type NotifyFormatChoice = (typeof NOTIFY_FORMAT_CHOICES)[number];
export type NotifyOnChoice = (typeof NOTIFY_ON_CHOICES)[number];

export interface NotifyConfig {
  /** --notify-webhook: a secret (its path holds the token); null when not set. */
  readonly webhookUrl: string | null;
  /** --notify-format: default auto. */
  readonly format: NotifyFormatChoice;
  /** --notify-on: default failure, recovery. */
  readonly on: readonly NotifyOnChoice[];
  /** --ping-url: a secret; null when not set. */
  readonly pingUrl: string | null;
}
