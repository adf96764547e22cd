import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../../support/emulator-fixture.js';
import type { RawResponse } from '../../support/raw-http.js';
import {
  since,
  sleep,
  TIMER_SLACK_MS,
  timed,
} from '../../support/fault-testing.js';
import { expectHtmlPage, expectJson } from '../../support/response-assertions.js';

const handle = useEmulator();

afterEach(async () => {
  await handle().control.setFaults({});
});

beforeEach(async () => {
  await handle().control.resetStats();
});

/** Polls `/health` until it answers 200; returns every answer seen, the last one being the 200. */
async function pollUntilAwake(limitMs = 10_000): Promise<RawResponse[]> {
  const started = performance.now();
  const seen: RawResponse[] = [];
  for (;;) {
    const res = await handle().request({ path: '/health' });
    seen.push(res);
    if (res.status === 200) return seen;
    if (since(started) > limitMs) throw new Error(`still not awake after ${limitMs} ms: last answer ${res.status}`);
    await sleep(20);
  }
}

async function coldStarts(): Promise<number> {
  return (await handle().control.stats()).faults['cold-start'] ?? 0;
}

describe("cold start, mode 'error'", () => {
  it('answers 503 pages while waking, then serves normally once wakeMs has passed', async () => {
    const { control, request } = handle();
    const wakeMs = 300;
    const started = performance.now();
    await control.setFaults({ coldStart: { idleMs: 60_000, wakeMs, mode: 'error', asleepNow: true } });

    const seen = await pollUntilAwake();
    const awakeAfter = since(started);

    const waking = seen.slice(0, -1);
    expect(waking.length).toBeGreaterThanOrEqual(1);
    for (const res of waking) {
      expectHtmlPage(res, 503);
      expect(res.text).toMatch(/waking up/);
    }
    expectJson(seen.at(-1) as RawResponse, 200);
    expect(awakeAfter).toBeGreaterThanOrEqual(wakeMs - TIMER_SLACK_MS);

    // Awake now: further requests are served.
    expectJson(await request({ path: '/ping' }), 200);
    expectJson(await request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' } }), 200);
  });

  it('does not run the handler of a request refused while waking', async () => {
    const { control, request } = handle();
    const token = await handle().login();
    await control.setFaults({ coldStart: { idleMs: 60_000, wakeMs: 300, mode: 'error', asleepNow: true } });
    const res = await request({ method: 'POST', path: '/admin/devices/create', token, body: { device_id: 'cold-start-refused' } });
    expectHtmlPage(res, 503);
    expect((await control.state()).devices.map((device) => device.device_id)).not.toContain('cold-start-refused');
  });

  it('falls asleep again after idleMs without requests', async () => {
    const { control, request } = handle();
    const idleMs = 250;
    await control.setFaults({ coldStart: { idleMs, wakeMs: 150, mode: 'error', asleepNow: true } });
    await pollUntilAwake();

    await sleep(idleMs + 100);
    expectHtmlPage(await request({ path: '/health' }), 503);
    await pollUntilAwake();
  });
});

describe("cold start, mode 'delay'", () => {
  it('holds the first request for about wakeMs, then answers it normally', async () => {
    const { control, request } = handle();
    const wakeMs = 300;
    const started = performance.now();
    await control.setFaults({ coldStart: { idleMs: 60_000, wakeMs, mode: 'delay', asleepNow: true } });

    const res = await request({ path: '/health' });
    expectJson(res, 200);
    expect(res.json).toEqual({ status: 'ok' });
    expect(since(started)).toBeGreaterThanOrEqual(wakeMs - TIMER_SLACK_MS);

    // Awake: the next request does not start another wake-up.
    const wakeUps = await coldStarts();
    expectJson(await request({ path: '/health' }), 200);
    expect(await coldStarts()).toBe(wakeUps);
  });

  it('counts the wake-up of a server started asleep (asleepNow) as a cold start in the statistics', async () => {
    const { control, request } = handle();
    await control.setFaults({ coldStart: { idleMs: 60_000, wakeMs: 100, mode: 'delay', asleepNow: true } });
    expectJson(await request({ path: '/health' }), 200);
    // The request above was held back by a cold start; the statistics should say so,
    // as they do for a cold start after an idle period.
    expect(await coldStarts()).toBe(1);
  });

  it('holds requests arriving together during the wake-up and answers them all', async () => {
    const { control, request } = handle();
    const wakeMs = 250;
    const started = performance.now();
    await control.setFaults({ coldStart: { idleMs: 60_000, wakeMs, mode: 'delay', asleepNow: true } });

    const answers = await Promise.all([request({ path: '/health' }), request({ path: '/ping' }), request({ path: '/health' })]);
    expect(since(started)).toBeGreaterThanOrEqual(wakeMs - TIMER_SLACK_MS);
    for (const res of answers) expectJson(res, 200);
  });

  it('sleeps again after idleMs of silence, and the next request pays the wake-up again', async () => {
    const { control, request } = handle();
    const idleMs = 300;
    const wakeMs = 150;
    await control.setFaults({ coldStart: { idleMs, wakeMs, mode: 'delay', asleepNow: true } });

    expectJson(await request({ path: '/health' }), 200);
    const wakeUps = await coldStarts();

    await sleep(idleMs + 100);
    const { value: res, ms } = await timed(() => request({ path: '/health' }));
    expectJson(res, 200);
    expect(ms).toBeGreaterThanOrEqual(wakeMs - TIMER_SLACK_MS);
    expect(await coldStarts()).toBe(wakeUps + 1);
  });

  it('without asleepNow, a server is awake at first and falls asleep only after idleMs', async () => {
    const { control, request } = handle();
    const idleMs = 300;
    const wakeMs = 150;
    await control.setFaults({ coldStart: { idleMs, wakeMs, mode: 'delay' } });

    expectJson(await request({ path: '/health' }), 200);
    expect(await coldStarts()).toBe(0);

    await sleep(idleMs + 100);
    const { value: res, ms } = await timed(() => request({ path: '/health' }));
    expectJson(res, 200);
    expect(ms).toBeGreaterThanOrEqual(wakeMs - TIMER_SLACK_MS);
    expect(await coldStarts()).toBe(1);
  });
});
