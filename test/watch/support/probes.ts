import type { HealthFailure, HealthProbe } from '../../../src/api/health-probe.js';
import { newTrackedServer, recordProbe, type HealthThresholds, type TrackedServer, type Transition } from '../../../src/watch/health-tracker.js';

// Probes and check sequences for the watchdog's tests.

export const UP: HealthProbe = { ok: true, latencyMs: 42 };
export const REFUSED: HealthProbe = { ok: false, latencyMs: 1, failure: 'down', detail: 'connection refused (ECONNREFUSED)' };
export const ASLEEP: HealthProbe = { ok: false, latencyMs: 5_000, failure: 'asleep', detail: 'HTTP 503' };
export const NOT_FOUND: HealthProbe = { ok: false, latencyMs: 3, failure: 'error', detail: 'HTTP 404' };

/** A failed check of each kind. */
export const FAILURE: Readonly<Record<HealthFailure, HealthProbe>> = { asleep: ASLEEP, down: REFUSED, error: NOT_FOUND };

export const THREE_AND_THREE: HealthThresholds = { downAfter: 3, upAfter: 3 };

export const START = new Date('2026-03-01T12:00:00.000Z');

/** The primary, never checked. */
export function primary(): TrackedServer {
  return newTrackedServer({ name: 'primary', role: 'primary', url: 'https://licencas.example.com' });
}

export interface Checked {
  readonly tracked: TrackedServer;
  /** The transitions, in order, with the check (0 = the first) that made each. */
  readonly transitions: readonly (Transition & { readonly check: number })[];
  /** The tracked server after each check. */
  readonly states: readonly TrackedServer[];
}

/** Records `probes` one second apart from START (or `stepMs` apart). */
export function checks(probes: readonly HealthProbe[], thresholds: HealthThresholds = THREE_AND_THREE, from: TrackedServer = primary(), stepMs = 1_000): Checked {
  let tracked = from;
  const transitions: (Transition & { check: number })[] = [];
  const states: TrackedServer[] = [];
  probes.forEach((probe, check) => {
    const result = recordProbe(tracked, probe, new Date(START.getTime() + check * stepMs), thresholds);
    tracked = result.tracked;
    states.push(tracked);
    if (result.transition !== null) transitions.push({ ...result.transition, check });
  });
  return { tracked, transitions, states };
}

export function times<T>(count: number, item: T): T[] {
  return Array.from({ length: count }, () => item);
}
