// How many requests one server may have in flight at once, and how that
// number follows what the server's answers say. Pure: every observation
// carries its own timestamps, so that tests drive it with a fake clock.

/** How one request ended, as far as the limit cares. */
export type SampleOutcome =
  /** Any answer but a 5xx or a 429 (a 400 or 404 still says the server kept up). */
  | 'answered'
  /** No answer within the request's timeout. */
  | 'timeout'
  /** A 5xx answer. */
  | 'server-error'
  /** A 429 answer. */
  | 'rate-limited'
  /** No answer: the connection was refused or reset. */
  | 'no-answer'
  /** Given up by the run (stopped): says nothing about the server. */
  | 'abandoned';

export interface LimitSample {
  /** Milliseconds, any clock, as long as every sample of one limit uses the same. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly outcome: SampleOutcome;
  /** Requests in flight when this one was sent, itself included. */
  readonly inFlight: number;
}

/** Why the limit changed. */
export type LimitChangeCause = 'steady-latency' | 'rising-latency' | Exclude<SampleOutcome, 'answered' | 'abandoned'>;

export interface LimitChange {
  readonly from: number;
  readonly to: number;
  readonly cause: LimitChangeCause;
  /** The mean latency of the window that decided (a failed request's own latency for a drop). */
  readonly latencyMs: number;
  /** The best latency observed so far (null before the first answer). */
  readonly bestMs: number | null;
}

export interface ConcurrencyLimit {
  /** Requests that may be in flight now: an integer from 1 to the cap. */
  readonly current: number;
  /** Learns from one finished request; returns the change it caused, if any. */
  record(sample: LimitSample): LimitChange | null;
}

/** `--concurrency N`: always N, whatever happens. */
export class PinnedLimit implements ConcurrencyLimit {
  constructor(readonly current: number) {}

  record(): LimitChange | null {
    return null;
  }
}

export interface AdaptiveLimitOptions {
  /** The limit at the start (clamped into [1, max]). */
  readonly initial: number;
  /** The cap (`--max-concurrency`). */
  readonly max: number;
}

/** Where the limit starts: modest, so that a small server is not flooded before the first answers come back. */
export const INITIAL_LIMIT = 4;
/** What a timeout, a 5xx, a 429 or a dropped connection does to the limit. */
export const DROP_FACTOR = 0.5;
/** The least the limit shrinks by on rising latency, as a share of itself. */
const MAX_LATENCY_SHRINK = 0.5;

/**
 * A limit in the manner of TCP Vegas and Netflix's concurrency-limits: it
 * compares each window's mean latency with the best latency observed, and
 * estimates how many requests wait in the server's queue:
 *
 *     queue = limit × (1 − best / mean)
 *
 * A window is as many answers as the limit (about one round trip). Below
 * `alpha(limit)` requests queued (latency near the best) and with the limit
 * actually used (at least half of it in flight), the limit grows by
 * `step(limit)`; above `beta(limit)` (latency rising) it shrinks by the excess
 * queue, at most by half. A timeout, 5xx, 429 or dropped connection halves it
 * at once, and only once for the requests already in flight when it shrank:
 * they were sent under the old limit. It never goes below 1 nor above the cap.
 */
export class AdaptiveLimit implements ConcurrencyLimit {
  private limit: number;
  private readonly max: number;
  private best: number | null = null;
  private lastDropAt = Number.NEGATIVE_INFINITY;
  private window = { answers: 0, latencySum: 0, busiest: 0 };

  constructor(options: AdaptiveLimitOptions) {
    this.max = Math.max(1, Math.floor(options.max));
    this.limit = clamp(Math.floor(options.initial), this.max);
  }

  get current(): number {
    return clamp(Math.floor(this.limit), this.max);
  }

  record(sample: LimitSample): LimitChange | null {
    const latency = Math.max(0, sample.endedAt - sample.startedAt);
    switch (sample.outcome) {
      case 'abandoned':
        return null;
      case 'answered':
        return this.answered(latency, sample.inFlight);
      default:
        return this.dropped(sample, latency);
    }
  }

  private answered(latency: number, inFlight: number): LimitChange | null {
    this.best = this.best === null ? latency : Math.min(this.best, latency);
    const window = this.window;
    window.answers += 1;
    window.latencySum += latency;
    window.busiest = Math.max(window.busiest, inFlight);
    if (window.answers < this.current) return null;

    this.window = { answers: 0, latencySum: 0, busiest: 0 };
    const mean = window.latencySum / window.answers;
    const limit = this.current;
    const queue = mean <= 0 ? 0 : limit * (1 - this.best / mean);
    if (queue < alpha(limit)) {
      if (window.busiest * 2 < limit) return null;
      return this.change(limit + step(limit), 'steady-latency', mean);
    }
    if (queue > beta(limit)) {
      const shrink = Math.min(queue - beta(limit), limit * MAX_LATENCY_SHRINK);
      return this.change(limit - Math.max(1, shrink), 'rising-latency', mean);
    }
    return null;
  }

  private dropped(sample: LimitSample, latency: number): LimitChange | null {
    // Sent before the last drop shrank the limit: that drop already answered for it.
    if (sample.startedAt < this.lastDropAt) return null;
    this.lastDropAt = sample.endedAt;
    this.window = { answers: 0, latencySum: 0, busiest: 0 };
    return this.change(this.current * DROP_FACTOR, sample.outcome as LimitChangeCause, latency);
  }

  private change(next: number, cause: LimitChangeCause, latencyMs: number): LimitChange | null {
    const from = this.current;
    this.limit = clamp(next, this.max);
    const to = this.current;
    return to === from ? null : { from, to, cause, latencyMs, bestMs: this.best };
  }
}

/** Requests queued below which latency counts as steady: 3 × log10(limit), at least 3. */
export function alpha(limit: number): number {
  return 3 * Math.max(1, Math.log10(limit));
}

/** Requests queued above which latency counts as rising: 6 × log10(limit), at least 6. */
export function beta(limit: number): number {
  return 6 * Math.max(1, Math.log10(limit));
}

/** How much a steady window adds: log10(limit), at least 1. */
export function step(limit: number): number {
  return Math.max(1, Math.log10(limit));
}

function clamp(value: number, max: number): number {
  return Math.min(max, Math.max(1, value));
}
