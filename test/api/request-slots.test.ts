import { describe, expect, it } from 'vitest';
import type { ConcurrencyLimit, LimitChange, LimitSample } from '../../src/api/concurrency-limit.js';
import { RequestSlots, type RequestSlot } from '../../src/api/request-slots.js';

/** A limit the test sets by hand, remembering what it was told. */
class HandLimit implements ConcurrencyLimit {
  readonly samples: LimitSample[] = [];
  constructor(public current: number) {}
  record(sample: LimitSample): LimitChange | null {
    this.samples.push(sample);
    return null;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request slots', () => {
  it('let at most the limit in flight, the others go in the order they asked', async () => {
    let clock = 0;
    const limit = new HandLimit(2);
    const slots = new RequestSlots(limit, undefined, () => clock);
    const granted: number[] = [];
    const held = new Map<number, RequestSlot>();
    for (const id of [1, 2, 3, 4, 5]) void slots.acquire().then((slot) => (granted.push(id), held.set(id, slot)));
    await settle();
    expect(granted).toEqual([1, 2]);
    clock = 40;
    held.get(1)?.done('answered');
    await settle();
    expect(granted).toEqual([1, 2, 3]);
    limit.current = 4;
    held.get(2)?.done('answered');
    await settle();
    expect(granted).toEqual([1, 2, 3, 4, 5]);
    expect(limit.samples).toEqual([
      { startedAt: 0, endedAt: 40, outcome: 'answered', inFlight: 1 },
      { startedAt: 0, endedAt: 40, outcome: 'answered', inFlight: 2 },
    ]);
    for (const id of [3, 4, 5]) held.get(id)?.done('answered');
    expect(slots.figures()).toEqual({ requests: 5, medianInFlight: 2, maxInFlight: 3, spanMs: 40, maxLatencyMs: 40, finalLimit: 4 });
  });

  it('gives up waiting when the run stops, without taking a place', async () => {
    const slots = new RequestSlots(new HandLimit(1));
    const first = await slots.acquire();
    const stop = new AbortController();
    const waiting = slots.acquire(stop.signal);
    stop.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    first.done('answered');
    const next = await slots.acquire();
    next.done('answered');
    expect(slots.figures()?.requests).toBe(2);
  });

  it('report nothing before the first request', () => {
    expect(new RequestSlots(new HandLimit(1)).figures()).toBeNull();
  });
});
