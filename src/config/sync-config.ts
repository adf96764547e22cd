import type { CONFLICT_POLICIES, DeclaredValues, NOTIFY_FORMAT_CHOICES, NOTIFY_ON_CHOICES, SYNC_MODES } from './settings.js';

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

/** `two-way`: the round trip (every backup's work gathered into the primary, then spread); `one-way`: a strict mirror of the primary. */
export type SyncMode = (typeof SYNC_MODES)[number];

/** Whose version wins when a two-way run finds a record changed differently on both sides (a block always wins). */
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/**
 * Everything a sync run needs to know, validated and with defaults applied.
 * The fields of the declared settings (concurrency, timeoutMs, ..., notify)
 * come from settings.ts, which declares each one's flag, default, bounds and
 * help: `timeoutMs` is --timeout in milliseconds, `logRetentionDays` is
 * --log-retention, `notify.webhookUrl` is --notify-webhook, and so on.
 */
export interface SyncConfig extends DeclaredValues {
  readonly primary: ServerConfig;
  /** The backups this run syncs (every configured one, or those --backup names), in configuration order; never empty. */
  readonly backups: readonly ServerConfig[];
  /** --mode. */
  readonly mode: SyncMode;
  /** --conflict. */
  readonly conflict: ConflictPolicy;
  /** Contents of --ca-file (PEM), null when not given. */
  readonly ca: string | null;
}

export type NotifyFormatChoice = (typeof NOTIFY_FORMAT_CHOICES)[number];
export type NotifyOnChoice = (typeof NOTIFY_ON_CHOICES)[number];

/** --notify-webhook and --ping-url (secrets; null when not set), --notify-format and --notify-on. */
export type NotifyConfig = SyncConfig['notify'];
