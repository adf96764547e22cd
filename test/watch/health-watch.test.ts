import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthProbe } from '../../src/api/health-probe.js';
import type { Transition } from '../../src/watch/health-tracker.js';
import { HealthWatch, type HealthWatchOptions, type WatchedServer } from '../../src/watch/health-watch.js';
import { recordingLog } from '../api/support/client-harness.js';
import { ASLEEP, REFUSED, times, UP } from './support/probes.js';

// The watchdog's loop with in-memory probes that follow a script, on real
// timers with short intervals.

interface ScriptedProbe extends WatchedServer {
  /** Probes started so far. */
  readonly calls: number;
  /** The most checks of this server in flight at once. */
  readonly mostAtOnce: number;
  readonly timeouts: number[];
}

type Step = HealthProbe | 'throw' | 'hang' | { readonly after: Promise<unknown>; readonly then: HealthProbe } | { readonly delayMs: number; readonly then: HealthProbe };

/** A server whose checks answer `script` in order, then its last step for ever. */
function scripted(name: string, script: readonly Step[], role: 'primary' | 'backup' = name === 'primary' ? 'primary' : 'backup'): ScriptedProbe {
  let calls = 0;
  let atOnce = 0;
  let mostAtOnce = 0;
  const timeouts: number[] = [];
  return {
    name,
    role,
    url: `http://127.0.0.1:9/${name}`,
    get calls() {
      return calls;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    timeouts,
    async probe(timeoutMs) {
      timeouts.push(timeoutMs);
      const step = script[Math.min(calls, script.length - 1)];
      calls += 1;
      atOnce += 1;
      mostAtOnce = Math.max(mostAtOnce, atOnce);
      try {
        if (step === undefined || step === 'throw') throw new Error('probe exploded at https://hooks.example.com/services/T000/SECRET-PATH');
        if (step === 'hang') return await new Promise<never>(() => {});
        if ('after' in step) {
          await step.after;
          return step.then;
        }
        if ('delayMs' in step) {
          await new Promise((resolve) => setTimeout(resolve, step.delayMs));
          return step.then;
        }
        return step;
      } finally {
        atOnce -= 1;
      }
    },
  };
}

const watches: HealthWatch[] = [];

afterEach(async () => {
  for (const watch of watches.splice(0)) await watch.stop();
});

function watching(servers: readonly WatchedServer[], options: Partial<HealthWatchOptions> = {}): HealthWatch {
  const watch = new HealthWatch({ servers, intervalMs: 10, timeoutMs: 500, downAfter: 3, upAfter: 3, ...options });
  watches.push(watch);
  return watch;
}

function deferred(): { readonly promise: Promise<void>; resolve(): void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

const WAIT = { timeout: 5_000, interval: 5 };

describe('HealthWatch', () => {
  it('checks every server at once on start, before the first interval has passed, with its timeout', async () => {
    const primary = scripted('primary', [UP]);
    const backup = scripted('backup', [REFUSED]);
    const checked: string[] = [];
    const watch = watching([primary, backup], { intervalMs: 60_000, timeoutMs: 700, onCheck: (server) => checked.push(server) });

    watch.start();

    await vi.waitFor(() => expect(checked.sort()).toEqual(['backup', 'primary']), WAIT);
    expect(watch.snapshot().map(({ name, state, consecutiveFailures }) => ({ name, state, consecutiveFailures }))).toEqual([
      { name: 'primary', state: 'up', consecutiveFailures: 0 },
      { name: 'backup', state: 'unknown', consecutiveFailures: 1 },
    ]);
    expect([...primary.timeouts, ...backup.timeouts]).toEqual([700, 700]);
  });

  it('keeps checking every interval, and announces each flip once: down after 3 failures, back after 3 successes', async () => {
    const primary = scripted('primary', [UP, ...times(5, REFUSED), ...times(5, UP)]);
    const transitions: Transition[] = [];
    const watch = watching([primary], { onTransition: (transition) => transitions.push(transition) });

    watch.start();

    await vi.waitFor(() => expect(primary.calls).toBeGreaterThanOrEqual(15), WAIT);
    expect(transitions.map(({ server, kind, from, to, afterChecks, detail }) => ({ server, kind, from, to, afterChecks, detail }))).toEqual([
      { server: 'primary', kind: 'down', from: 'up', to: 'down', afterChecks: 3, detail: 'connection refused (ECONNREFUSED)' },
      { server: 'primary', kind: 'back', from: 'down', to: 'up', afterChecks: 3, detail: null },
    ]);
    expect(watch.snapshot()[0]?.state).toBe('up');
  });

  it('stamps its checks with the clock it is given', async () => {
    const watch = watching([scripted('primary', [UP])], { now: () => new Date('2026-03-01T12:00:00.000Z') });

    await watch.checkNow();

    expect(watch.snapshot()[0]).toMatchObject({ lastCheckAt: '2026-03-01T12:00:00.000Z', samples: [{ at: '2026-03-01T12:00:00.000Z', ok: true, latencyMs: 42 }] });
  });

  it('never starts a check of a server while its previous check is in flight', async () => {
    const slow = scripted('backup', [{ delayMs: 40, then: UP }]);
    const watch = watching([slow], { intervalMs: 5 });

    watch.start();

    await vi.waitFor(() => expect(slow.calls).toBeGreaterThanOrEqual(4), WAIT);
    expect(slow.mostAtOnce).toBe(1);
  });

  it('does not hold the other servers back while one is slow', async () => {
    const release = deferred();
    const stuck = scripted('backup', [{ after: release.promise, then: UP }]);
    const quick = scripted('primary', [UP]);
    const watch = watching([quick, stuck]);

    watch.start();

    await vi.waitFor(() => expect(quick.calls).toBeGreaterThanOrEqual(5), WAIT);
    expect(stuck.calls).toBe(1);
    release.resolve();
  });

  it('counts a probe that throws as a failed check (error), logs it without the URL path, and keeps going', async () => {
    const log = recordingLog();
    const primary = scripted('primary', ['throw', 'throw', 'throw', UP]);
    const transitions: Transition[] = [];
    const watch = watching([primary], { log, onTransition: (transition) => transitions.push(transition) });

    watch.start();

    await vi.waitFor(() => expect(primary.calls).toBeGreaterThanOrEqual(5), WAIT);
    expect(transitions[0]).toMatchObject({ kind: 'down', to: 'down', detail: 'the check itself failed' });
    expect(log.lines[0]).toBe('error health check of primary failed: Error: probe exploded at https://hooks.example.com/…');
    expect(log.lines.join('\n')).not.toContain('SECRET');
  });

  it('gives up on a probe that never settles, past its timeout and a grace second, as a failed check', async () => {
    const watch = watching([scripted('backup', ['hang'])], { timeoutMs: 20 });

    await watch.checkNow();

    expect(watch.snapshot()[0]).toMatchObject({ consecutiveFailures: 1, lastFailure: { kind: 'error', detail: 'the check did not settle within 1.02 s' } });
  });

  it('survives listeners that throw or reject, and logs them', async () => {
    const log = recordingLog();
    const primary = scripted('primary', times(3, ASLEEP));
    const watch = watching([primary], {
      log,
      onCheck: () => {
        throw new Error('check listener broke');
      },
      onTransition: () => Promise.reject(new Error('webhook to https://discord.com/api/webhooks/1/TOKEN failed')),
    });

    watch.start();

    await vi.waitFor(() => expect(primary.calls).toBeGreaterThanOrEqual(5), WAIT);
    expect(log.lines).toContain('error health watch: the onCheck listener failed: Error: check listener broke');
    expect(log.lines).toContain('error health watch: the onTransition listener failed: Error: webhook to https://discord.com/… failed');
    expect(log.lines.filter((line) => line.includes('onTransition'))).toHaveLength(1);
    expect(watch.snapshot()[0]?.state).toBe('asleep');
  });

  it('stop() waits for the checks in flight, then no check starts and no listener hears anything', async () => {
    const release = deferred();
    const backup = scripted('backup', [UP, UP, { after: release.promise, then: REFUSED }, REFUSED]);
    const checked: string[] = [];
    const watch = watching([backup], { downAfter: 1, onCheck: (server) => checked.push(server) });
    watch.start();
    await vi.waitFor(() => expect(backup.calls).toBe(3), WAIT);

    let stopped = false;
    const stopping = watch.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;

    expect(watch.snapshot()[0]).toMatchObject({ state: 'down', consecutiveFailures: 1 });
    expect(checked).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(backup.calls).toBe(3);
    await watch.checkNow();
    expect(backup.calls).toBe(3);
  });

  it('checks on demand without being started, and gives frozen snapshots that later checks do not change', async () => {
    const watch = watching([scripted('primary', [UP, REFUSED])]);

    await watch.checkNow();
    const first = watch.snapshot();
    await watch.checkNow();

    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(first[0]).toMatchObject({ state: 'up', consecutiveFailures: 0, samples: [{ ok: true }] });
    expect(watch.snapshot()[0]).toMatchObject({ state: 'up', consecutiveFailures: 1 });
  });

  it('survives a check it cannot record (a clock gone wrong), and logs it', async () => {
    const log = recordingLog();
    let bad = true;
    const watch = watching([scripted('primary', [UP])], { log, now: () => (bad ? new Date(Number.NaN) : new Date()) });

    await watch.checkNow();
    bad = false;
    await watch.checkNow();

    expect(log.lines).toEqual(['error health watch: the check of primary could not be recorded: RangeError: Invalid time value']);
    expect(watch.snapshot()[0]?.state).toBe('up');
  });

  it('refuses settings that cannot work, and two servers of the same name', () => {
    const primary = scripted('primary', [UP]);
    expect(() => new HealthWatch({ servers: [primary], intervalMs: 0, timeoutMs: 500, downAfter: 3, upAfter: 3 })).toThrow(/intervalMs/);
    expect(() => new HealthWatch({ servers: [primary], intervalMs: 10, timeoutMs: 500, downAfter: 0, upAfter: 3 })).toThrow(/downAfter/);
    expect(() => new HealthWatch({ servers: [primary, primary], intervalMs: 10, timeoutMs: 500, downAfter: 3, upAfter: 3 })).toThrow(/two servers/);
  });

  it('does not keep a process alive on its own', async () => {
    const module = fileURLToPath(new URL('../../dist/watch/health-watch.js', import.meta.url));
    const script = `
      const { HealthWatch } = await import(${JSON.stringify(module)});
      const server = { name: 'primary', role: 'primary', url: 'http://127.0.0.1:9', probe: async () => ({ ok: true, latencyMs: 1 }) };
      new HealthWatch({ servers: [server], intervalMs: 20, timeoutMs: 5000, downAfter: 3, upAfter: 3 }).start();
    `;

    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 });

    expect(stdout).toBe('');
  });
});
