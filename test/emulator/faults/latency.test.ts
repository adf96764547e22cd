import { afterEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import {
  since,
  TIMER_SLACK_MS,
  timed,
} from '../../support/fault-testing.js';
import { performance } from 'node:perf_hooks';
import { expectJson } from '../../support/response-assertions.js';

const handle = useEmulator();

afterEach(async () => {
  await handle().control.setFaults({});
});

describe('latency fault', () => {
  it('delays every API request by at least fixedMs', async () => {
    const { control, request } = handle();
    await control.setFaults({ latency: { fixedMs: 150 } });

    const calls = [
      () => request({ path: '/health' }),
      () => request({ path: '/ping' }),
      () => request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }),
      () => request({ path: '/admin/devices' }),
      () => request({ path: '/no/such/route' }),
    ];
    for (const call of calls) {
      const { value: res, ms } = await timed(call);
      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(ms).toBeGreaterThanOrEqual(150 - TIMER_SLACK_MS);
    }
  });

  it('answers normally once the delay is over', async () => {
    const { control, request } = handle();
    await control.setFaults({ latency: { fixedMs: 100 } });
    const { value: res, ms } = await timed(() => request({ path: '/health' }));
    expectJson(res, 200);
    expect(res.json).toEqual({ status: 'ok' });
    expect(ms).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
  });

  it('delays concurrent requests each by at least fixedMs (the delay is per request, not a queue)', async () => {
    const { control, request } = handle();
    await control.setFaults({ latency: { fixedMs: 200 } });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const res = await request({ path: '/health' });
        return { res, ms: since(started) };
      }),
    );
    for (const { res, ms } of answers) {
      expect(res.status).toBe(200);
      expect(ms).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
    }
  });

  it('adds a jitter between 0 and jitterMs on top of fixedMs', async () => {
    const { control, request } = handle();
    const fixedMs = 50;
    const jitterMs = 200;
    const count = 6;
    await control.setFaults({ seed: 7, latency: { fixedMs, jitterMs } });

    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const { value: res, ms } = await timed(() => request({ path: '/health' }));
      expect(res.status).toBe(200);
      times.push(ms);
    }

    // Never below the fixed part.
    for (const ms of times) expect(ms).toBeGreaterThanOrEqual(fixedMs - TIMER_SLACK_MS);
    // The jitter really adds something: six uniform draws all under a fifth of jitterMs is
    // a 1e-4 event (and the seed makes the draws the same on every run).
    expect(Math.max(...times)).toBeGreaterThan(fixedMs + jitterMs / 5);
    // ...and it is bounded: the whole series cannot exceed the maximum delay by more than
    // a generous allowance for a loaded machine.
    const total = times.reduce((sum, ms) => sum + ms, 0);
    expect(total).toBeLessThan(count * (fixedMs + jitterMs) + 3_000);
  });

  it('jitterMs alone (fixedMs 0) still delays some requests', async () => {
    const { control, request } = handle();
    await control.setFaults({ seed: 3, latency: { jitterMs: 200 } });
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await timed(() => request({ path: '/health' }))).ms);
    expect(Math.max(...times)).toBeGreaterThan(50);
  });

  it('does not delay control requests', async () => {
    const { control, request } = handle();
    const fixedMs = 400;
    await control.setFaults({ latency: { fixedMs } });

    let apiDone = false;
    const api = request({ path: '/health' }).then((res) => {
      apiDone = true;
      return res;
    });
    // While the API request is held back, the control endpoint answers at once.
    const { value: settings, ms } = await timed(async () => {
      const current = await control.faults();
      await control.stats();
      await control.state();
      return current;
    });
    expect(settings.latency).toEqual({ fixedMs, jitterMs: 0 });
    expect(apiDone).toBe(false);
    expect(ms).toBeLessThan(fixedMs);

    const res = await api;
    expect(res.status).toBe(200);
  });

  it('is gone once the faults are healed', async () => {
    const { control } = handle();
    await control.setFaults({ latency: { fixedMs: 300 } });
    const healed = await control.setFaults({});
    expect(healed.latency).toBeUndefined();
    // A healthy loopback request takes a few milliseconds; 300 ms is not a tight bound.
    const { value: res, ms } = await timed(() => handle().request({ path: '/health' }));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(300);
  });
});
