import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerName } from '../config/sync-config.js';
import type { LogSink } from '../log/log-sink.js';
import { t } from '../i18n/i18n.js';

/**
 * One server's pause after a 429: every request to that server, new ones and
 * retries alike, waits until the pause is over, so that requests in flight
 * together do not each hammer a rate-limited host on their own schedule.
 */
export class RateLimitGate {
  private pausedUntil = 0;

  constructor(
    private readonly server: ServerName,
    private readonly log: LogSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds left in the current pause (0 when there is none). */
  get remainingMs(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  /** Starts a pause of `ms`, or extends the current one; logs once per pause. */
  pause(ms: number): void {
    const until = this.now() + ms;
    if (this.remainingMs === 0) this.log.warn(t('api:rateLimit.pausing', { server: this.server, seconds: pauseSeconds(ms) }));
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Resolves once no pause is in force (a pause extended meanwhile is waited out too); returns the milliseconds waited. */
  async wait(signal?: AbortSignal): Promise<number> {
    const started = this.now();
    for (let left = this.remainingMs; left > 0; left = this.remainingMs) {
      await sleep(left, undefined, signal ? { signal } : {});
    }
    return this.now() - started;
  }
}

/** `0.2`, `1`, `32.5`: seconds for a message (placed with `{{seconds, number}}`). */
export function pauseSeconds(ms: number): number {
  return Number((ms / 1000).toFixed(ms < 1000 ? 3 : 1));
}
