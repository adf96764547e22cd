import { setTimeout as sleep } from 'node:timers/promises';
import type { ListingEndpoint } from './api-types.js';
import {
  BAD_GATEWAY_PAGE,
  GATEWAY_TIMEOUT_PAGE,
  INTERNAL_SERVER_ERROR_PAGE,
  SERVICE_WAKING_PAGE,
  TOO_MANY_REQUESTS_PAGE,
  TUNNEL_ORIGIN_DOWN_PAGE,
  type HtmlPage,
} from './html-pages.js';
import { corruptListing, type EncodedBody } from './listing-corruption.js';
import { createRandom, type Random } from './random.js';
import { parseFaultSettings, type FailureKind, type FaultSettings } from './fault-settings.js';

/** A failure the client sees instead of (or after) the real answer. */
export type InjectedFailure =
  | { readonly kind: 'page'; readonly page: HtmlPage; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'reset' };

export interface FaultDecision {
  /** Answer with this instead of running the handler. */
  readonly before?: InjectedFailure;
  /** Run the handler, then answer with this: the work is done but the answer is lost. */
  readonly after?: InjectedFailure;
}

const FAILURE_PAGES: Readonly<Record<Exclude<FailureKind, 'reset'>, HtmlPage>> = {
  '500': INTERNAL_SERVER_ERROR_PAGE,
  '502': BAD_GATEWAY_PAGE,
  '503': SERVICE_WAKING_PAGE,
  '504': GATEWAY_TIMEOUT_PAGE,
};

export interface FaultEvents {
  /** Counts each injected fault by name, for the statistics. */
  readonly record: (fault: string) => void;
  /** Invalidates every token the server has issued. */
  readonly revokeTokens: () => void;
}

/** Decides, request by request, which of the configured faults strike. */
export class FaultInjector {
  private settings: FaultSettings = parseFaultSettings({});
  private random: Random = createRandom(1);
  private lastRequestAt = Date.now();
  private asleep = false;
  private wakeUntil = 0;
  private windowStart = 0;
  private windowCount = 0;
  private nextServiceAt = 0;
  private requestsUntilRevoke: number | null = null;
  private malformedRemaining: number | null = null;
  /** How many times in a row each request (by its identity) has just failed. */
  private failedInARow = new Map<string, number>();

  constructor(
    private readonly events: FaultEvents,
    private readonly now: () => number = Date.now,
  ) {}

  current(): FaultSettings {
    return this.settings;
  }

  /** Replaces all settings and restarts their counters. */
  configure(input: unknown): FaultSettings {
    const settings = parseFaultSettings(input);
    this.settings = settings;
    this.random = createRandom(settings.seed);
    this.lastRequestAt = this.now();
    this.wakeUntil = 0;
    // Asleep now: like a sleeping host, it starts waking at the first request, however late that comes.
    this.asleep = settings.coldStart?.asleepNow === true;
    this.windowStart = this.lastRequestAt;
    this.windowCount = 0;
    this.nextServiceAt = 0;
    this.requestsUntilRevoke = settings.revokeTokens?.afterRequests ?? null;
    this.malformedRemaining = settings.malformedListing?.times ?? null;
    this.failedInARow = new Map();
    return settings;
  }

  /**
   * Called once per API request, before its handler; waits out latency and
   * cold starts. `identity` tells retries of the same request apart from
   * other requests (for `failures.maxInARow`).
   */
  async beforeRequest(method: string, identity: string = method): Promise<FaultDecision> {
    const settings = this.settings;
    this.countTowardsRevocation();
    if (settings.down) return this.fail('down', { kind: 'page', page: TUNNEL_ORIGIN_DOWN_PAGE });

    const coldStart = await this.coldStart();
    if (coldStart) return coldStart;

    const limited = this.rateLimit();
    if (limited) return limited;

    await this.waitForCapacity();

    if (settings.latency) {
      const delay = settings.latency.fixedMs + this.random.next() * settings.latency.jitterMs;
      if (delay > 0) await sleep(delay);
    }

    return this.randomFailure(method, identity);
  }

  /** A damaged listing, when one is due for this endpoint. */
  corruptListing(endpoint: ListingEndpoint, items: readonly object[]): EncodedBody | null {
    const malformed = this.settings.malformedListing;
    if (!malformed || !malformed.endpoints.includes(endpoint) || this.malformedRemaining === 0) return null;
    if (this.malformedRemaining !== null) this.malformedRemaining--;
    this.events.record(`malformed-listing:${malformed.mode}`);
    return corruptListing(malformed.mode, endpoint, items, malformed.keepFraction);
  }

  /** Every API request counts, refused ones included: a redeploy does not wait for successful requests. */
  private countTowardsRevocation(): void {
    if (this.requestsUntilRevoke === null) return;
    if (this.requestsUntilRevoke > 0) {
      this.requestsUntilRevoke--;
      return;
    }
    this.requestsUntilRevoke = null;
    this.events.revokeTokens();
    this.events.record('tokens-revoked');
  }

  private async coldStart(): Promise<FaultDecision | null> {
    const coldStart = this.settings.coldStart;
    let now = this.now();
    if (!coldStart) {
      this.lastRequestAt = now;
      return null;
    }
    if (this.asleep) {
      this.asleep = false;
      this.wakeUntil = now + coldStart.wakeMs;
      this.events.record('cold-start');
    }
    // Idle time runs from the later of the last request and the end of the last wake-up.
    if (now >= this.wakeUntil && now - Math.max(this.lastRequestAt, this.wakeUntil) >= coldStart.idleMs) {
      this.wakeUntil = now + coldStart.wakeMs;
      this.events.record('cold-start');
    }
    if (now < this.wakeUntil) {
      if (coldStart.mode === 'error') {
        this.lastRequestAt = now;
        return this.fail('cold-start-503', { kind: 'page', page: SERVICE_WAKING_PAGE });
      }
      await sleep(this.wakeUntil - now);
      now = this.now();
    }
    this.lastRequestAt = now;
    return null;
  }

  /** Takes the next free turn of the server's capacity (turns are 1/requestsPerSecond apart) and waits for it. */
  private async waitForCapacity(): Promise<void> {
    const capacity = this.settings.capacity;
    if (!capacity) return;
    const now = this.now();
    const turn = Math.max(now, this.nextServiceAt);
    this.nextServiceAt = turn + 1000 / capacity.requestsPerSecond;
    if (turn > now) {
      this.events.record('capacity-queued');
      await sleep(turn - now);
    }
  }

  private rateLimit(): FaultDecision | null {
    const limit = this.settings.rateLimit;
    if (!limit) return null;
    const now = this.now();
    if (now - this.windowStart >= limit.windowMs) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount <= limit.requests) return null;
    const retryAfter = Math.max(1, Math.ceil((this.windowStart + limit.windowMs - now) / 1000));
    return this.fail('rate-limited', { kind: 'page', page: TOO_MANY_REQUESTS_PAGE, headers: { 'Retry-After': String(retryAfter) } });
  }

  private randomFailure(method: string, identity: string): FaultDecision {
    const failures = this.settings.failures;
    if (!failures) return {};
    const isWrite = method !== 'GET';
    if ((failures.scope === 'writes' && !isWrite) || (failures.scope === 'reads' && isWrite)) return {};
    const inARow = this.failedInARow.get(identity) ?? 0;
    // A request that reached the cap goes through without a draw, so the seed's sequence is not consumed by it.
    if (failures.maxInARow !== undefined && inARow >= failures.maxInARow) {
      this.failedInARow.delete(identity);
      return {};
    }
    if (!this.random.chance(failures.rate)) {
      this.failedInARow.delete(identity);
      return {};
    }
    // Counted only under a cap: without one, nothing would ever read the count.
    if (failures.maxInARow !== undefined) this.failedInARow.set(identity, inARow + 1);
    const kind = this.random.pick(failures.kinds);
    const failure: InjectedFailure = kind === 'reset' ? { kind: 'reset' } : { kind: 'page', page: FAILURE_PAGES[kind] };
    const after = this.random.chance(failures.afterHandlerShare);
    this.events.record(`failure-${kind}${after ? '-after-handler' : ''}`);
    return after ? { after: failure } : { before: failure };
  }

  private fail(name: string, failure: InjectedFailure): FaultDecision {
    this.events.record(name);
    return { before: failure };
  }
}
