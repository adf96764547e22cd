import type { ConcurrencyLimit, LimitChange, SampleOutcome } from './concurrency-limit.js';

/** A request's place among those in flight; `done` gives it back and tells the limit how it went. */
export interface RequestSlot {
  done(outcome: SampleOutcome): void;
}

/** What one kind of request (reads, writes) did on one server over the run. */
export interface SlotFigures {
  /** Requests sent through the slots, retries included. */
  readonly requests: number;
  /** Requests in flight as each was sent, itself included: the median and the most. */
  readonly medianInFlight: number;
  readonly maxInFlight: number;
  /** From the first request sent to the last answer. */
  readonly spanMs: number;
  /** The longest a request took, queue at the server included. */
  readonly maxLatencyMs: number;
  /** The limit at the end. */
  readonly finalLimit: number;
}

interface Waiter {
  readonly admit: () => void;
}

/**
 * At most `limit.current` requests in flight; the others wait their turn in
 * order. Each finished request is a sample for the limit, whose changes are
 * passed to `onChange` (the debug log).
 */
export class RequestSlots {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];
  private readonly inFlightCounts: number[] = [];
  private requests = 0;
  private firstSentAt: number | null = null;
  private lastEndedAt = 0;
  private maxLatencyMs = 0;

  constructor(
    private readonly limit: ConcurrencyLimit,
    private readonly onChange: (change: LimitChange) => void = () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Resolves once the request may be sent; rejects if `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<RequestSlot> {
    signal?.throwIfAborted();
    // A waiting request is counted in flight when it is let go (admit).
    if (this.waiting.length > 0 || this.inFlight >= this.limit.current) await this.turn(signal);
    else this.inFlight += 1;
    const inFlight = this.inFlight;
    const startedAt = this.now();
    this.requests += 1;
    this.firstSentAt ??= startedAt;
    this.inFlightCounts[inFlight] = (this.inFlightCounts[inFlight] ?? 0) + 1;
    let finished = false;
    return {
      done: (outcome) => {
        if (finished) return;
        finished = true;
        this.inFlight -= 1;
        const endedAt = this.now();
        this.lastEndedAt = Math.max(this.lastEndedAt, endedAt);
        if (outcome !== 'abandoned') this.maxLatencyMs = Math.max(this.maxLatencyMs, endedAt - startedAt);
        const change = this.limit.record({ startedAt, endedAt, outcome, inFlight });
        if (change !== null) this.onChange(change);
        this.admit();
      },
    };
  }

  /** Null before the first request. */
  figures(): SlotFigures | null {
    if (this.firstSentAt === null) return null;
    let max = 0;
    let median = 0;
    let seen = 0;
    this.inFlightCounts.forEach((count, inFlight) => {
      if (count === undefined) return;
      max = inFlight;
      if (seen < this.requests / 2) median = inFlight;
      seen += count;
    });
    return {
      requests: this.requests,
      medianInFlight: median,
      maxInFlight: max,
      spanMs: Math.max(0, this.lastEndedAt - this.firstSentAt),
      maxLatencyMs: this.maxLatencyMs,
      finalLimit: this.limit.current,
    };
  }

  private turn(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Lets waiting requests go, in order, while the limit allows. */
  private admit(): void {
    while (this.inFlight < this.limit.current && this.waiting.length > 0) {
      this.inFlight += 1;
      (this.waiting.shift() as Waiter).admit();
    }
  }
}
