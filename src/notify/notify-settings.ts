import { DEFAULT_NOTIFY_ON_CHOICES } from '../config/settings.js';
import type { NotifyFormatChoice, NotifyOnChoice } from '../config/sync-config.js';

/** How a webhook payload is shaped; `auto` picks Discord or Slack from the URL, generic JSON otherwise. */
export type NotifyFormat = NotifyFormatChoice;

/**
 * What is worth a webhook post. `failure` covers failed, unreachable, refused
 * and interrupted runs and lock conflicts longer than one interval;
 * `recovery` the first success after failures; `success` every success.
 */
export type NotifyOn = NotifyOnChoice;

export const DEFAULT_NOTIFY_ON: ReadonlySet<NotifyOn> = new Set<NotifyOn>(DEFAULT_NOTIFY_ON_CHOICES);
export const DEFAULT_NOTIFY_TIMEOUT_MS = 10_000;

export interface NotifySettings {
  /** Where alerts are posted; null when no webhook is configured. */
  readonly webhookUrl: string | null;
  readonly format: NotifyFormat;
  readonly on: ReadonlySet<NotifyOn>;
  /** Base URL of a dead-man's-switch check (healthchecks.io style); null when none. */
  readonly pingUrl: string | null;
  /** The most one delivery may take, retries included. */
  readonly timeoutMs: number;
}
