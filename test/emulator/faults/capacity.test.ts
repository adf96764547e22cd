import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import { expectJson } from '../../support/response-assertions.js';

const handle = useEmulator();

beforeEach(async () => {
  await handle().control.resetStats();
});

afterEach(async () => {
  await handle().control.setFaults({});
});

/** Sends `count` requests at once; returns each one's latency and the time they all took, in ms. */
async function burst(count: number): Promise<{ latencies: number[]; totalMs: number }> {
  const { request } = handle();
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: count }, async () => {
      const sent = performance.now();
      expectJson(await request({ path: '/health' }), 200);
      return performance.now() - sent;
    }),
  );
  return { latencies, totalMs: performance.now() - started };
}

describe('capacity', () => {
  it('serves at most requestsPerSecond a second: the rest queue, and latency grows with the queue', async () => {
    await handle().control.setFaults({ capacity: { requestsPerSecond: 50 } });
    // 20 at once at 50/s: the last is served 19 × 20 ms = 380 ms after the first.
    const { latencies, totalMs } = await burst(20);
    expect(totalMs).toBeGreaterThanOrEqual(370);
    const sorted = [...latencies].sort((x, y) => x - y);
    expect(sorted[0]).toBeLessThan(100);
    expect(sorted.at(-1)).toBeGreaterThanOrEqual(370);
    expect((await handle().control.stats()).faults['capacity-queued']).toBe(19);
  });

  it('does not slow a server below its capacity, and is gone once healed', async () => {
    await handle().control.setFaults({ capacity: { requestsPerSecond: 10_000 } });
    expect((await burst(20)).totalMs).toBeLessThan(200);
    await handle().control.setFaults({ capacity: { requestsPerSecond: 5 } });
    await handle().control.setFaults({});
    expect((await burst(20)).totalMs).toBeLessThan(200);
  });

  it('is refused when not a positive number', async () => {
    await expect(handle().control.setFaults({ capacity: { requestsPerSecond: 0 } })).rejects.toThrow(/capacity\.requestsPerSecond/);
  });
});
