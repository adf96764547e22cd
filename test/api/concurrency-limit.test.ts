import { describe, expect, it } from 'vitest';
import { AdaptiveLimit, INITIAL_LIMIT, PinnedLimit, type LimitChange, type SampleOutcome } from '../../src/api/concurrency-limit.js';

// The adaptive limit's specification. A fake clock: every request is a
// sample with its own start and end, in milliseconds; nothing sleeps.

/** Drives one limit as a client would: `limit.current` requests in flight, each answering after `latencyOf(...)` ms. */
class FakeTraffic {
  now = 0;
  readonly changes: LimitChange[] = [];

  constructor(readonly limit: AdaptiveLimit) {}

  /** One round trip: as many requests as the limit allows, sent now, answered after `latencyMs` each. */
  round(latencyMs: number | ((inFlight: number) => number), outcome: SampleOutcome = 'answered'): void {
    const inFlight = this.limit.current;
    const latency = typeof latencyMs === 'number' ? latencyMs : latencyMs(inFlight);
    const startedAt = this.now;
    for (let sent = 1; sent <= inFlight; sent += 1) this.sample({ startedAt, endedAt: startedAt + latency, outcome, inFlight });
    this.now += latency;
  }

  rounds(count: number, latencyMs: number | ((inFlight: number) => number)): void {
    for (let round = 0; round < count; round += 1) this.round(latencyMs);
  }

  sample(sample: Parameters<AdaptiveLimit['record']>[0]): LimitChange | null {
    const change = this.limit.record(sample);
    if (change !== null) this.changes.push(change);
    return change;
  }
}

const traffic = (max = 64, initial = INITIAL_LIMIT) => new FakeTraffic(new AdaptiveLimit({ initial, max }));

/** A server serving `perSecond` requests a second after `baseMs` of latency: past its capacity, requests queue. */
const saturatedServer = (perSecond: number, baseMs: number) => (inFlight: number) => Math.max(baseMs, (inFlight / perSecond) * 1000);

describe('the adaptive concurrency limit', () => {
  it('starts modestly, at 4', () => {
    expect(traffic().limit.current).toBe(4);
    expect(INITIAL_LIMIT).toBe(4);
  });

  it('grows, round trip after round trip, while latency stays at the best observed and nothing fails', () => {
    const t = traffic();
    t.rounds(10, 50);
    expect(t.limit.current).toBeGreaterThanOrEqual(14);
    expect(t.changes.every((change) => change.cause === 'steady-latency' && change.to > change.from)).toBe(true);
    t.rounds(200, 50);
    expect(t.limit.current).toBe(64);
  });

  it('does not grow a limit that is not used (fewer than half of it in flight)', () => {
    const t = traffic(64, 20);
    for (let sample = 0; sample < 200; sample += 1) t.sample({ startedAt: sample * 50, endedAt: sample * 50 + 50, outcome: 'answered', inFlight: 3 });
    expect(t.limit.current).toBe(20);
  });

  it('shrinks when latency rises well above the best observed', () => {
    const t = traffic(64, 32);
    t.round(50);
    const before = t.limit.current;
    t.round(200);
    expect(t.limit.current).toBeLessThan(before);
    expect(t.changes.at(-1)).toMatchObject({ cause: 'rising-latency', from: before, latencyMs: 200, bestMs: 50 });
  });

  it('settles, against a saturated server, where a few requests queue: full throughput, latency well under a timeout', () => {
    // 20 requests/s and 50 ms: one request in flight already keeps it busy.
    const slow = traffic();
    slow.rounds(300, saturatedServer(20, 50));
    expect(slow.limit.current).toBeGreaterThanOrEqual(2);
    expect(slow.limit.current).toBeLessThanOrEqual(10);
    // 300 requests/s and 50 ms: 15 in flight keep it busy.
    const fast = traffic();
    fast.rounds(300, saturatedServer(300, 50));
    expect(fast.limit.current).toBeGreaterThanOrEqual(15);
    expect(fast.limit.current).toBeLessThanOrEqual(30);
  });

  it.each([
    ['timeout', 'timeout'],
    ['5xx answer', 'server-error'],
    ['429 answer', 'rate-limited'],
    ['connection refused or reset', 'no-answer'],
  ] as const)('halves at once on a %s', (_, outcome) => {
    const t = traffic(64, 40);
    const change = t.sample({ startedAt: 0, endedAt: 30_000, outcome, inFlight: 40 });
    expect(change).toEqual({ from: 40, to: 20, cause: outcome, latencyMs: 30_000, bestMs: null });
    expect(t.limit.current).toBe(20);
  });

  it('shrinks once for the requests already in flight when it shrank, again for those sent after', () => {
    const t = traffic(64, 40);
    for (let failed = 0; failed < 40; failed += 1) t.sample({ startedAt: 0, endedAt: 1_000 + failed, outcome: 'timeout', inFlight: 40 });
    expect(t.limit.current).toBe(20);
    t.sample({ startedAt: 1_000, endedAt: 2_000, outcome: 'server-error', inFlight: 20 });
    expect(t.limit.current).toBe(10);
  });

  it('ignores requests the run gave up itself', () => {
    const t = traffic(64, 40);
    expect(t.sample({ startedAt: 0, endedAt: 10, outcome: 'abandoned', inFlight: 40 })).toBeNull();
    expect(t.limit.current).toBe(40);
  });

  it('never goes below 1, whatever fails', () => {
    const t = traffic(64, 8);
    for (let failed = 0; failed < 20; failed += 1) t.sample({ startedAt: failed * 100, endedAt: failed * 100 + 50, outcome: 'timeout', inFlight: 1 });
    expect(t.limit.current).toBe(1);
    expect(t.changes.map((change) => change.to)).toEqual([4, 2, 1]);
    // Latency rising tenfold round after round, with a timeout now and then.
    const seen: number[] = [];
    for (let round = 0; round < 30; round += 1) {
      t.round(50 * 10 ** (round % 4));
      if (round % 3 === 0) t.sample({ startedAt: t.now, endedAt: t.now + 1, outcome: 'timeout', inFlight: t.limit.current });
      seen.push(t.limit.current);
    }
    expect(seen.every((limit) => Number.isInteger(limit) && limit >= 1)).toBe(true);
  });

  it('never goes above the cap, nor starts above it', () => {
    const t = traffic(6);
    t.rounds(100, 50);
    expect(t.limit.current).toBe(6);
    expect(traffic(2, 4).limit.current).toBe(2);
    expect(traffic(64, 0).limit.current).toBe(1);
  });

  it('recovers after a drop once latency is steady again', () => {
    const t = traffic(64, 32);
    t.round(50);
    t.sample({ startedAt: t.now, endedAt: t.now + 30_000, outcome: 'timeout', inFlight: 32 });
    t.now += 30_000;
    expect(t.limit.current).toBe(16);
    t.rounds(20, 50);
    expect(t.limit.current).toBeGreaterThan(16);
  });
});

describe('a pinned limit (--concurrency N)', () => {
  it('stays at N whatever happens', () => {
    const limit = new PinnedLimit(8);
    expect(limit.record()).toBeNull();
    expect(limit.current).toBe(8);
  });
});
