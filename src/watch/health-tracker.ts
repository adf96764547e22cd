import type { HealthFailure, HealthProbe } from '../api/health-probe.js';

// What the watchdog knows of one server, and how one more check changes it.
// Pure: every call returns new frozen objects and never touches its input.
// Times are ISO 8601 UTC strings, as in the dashboard's status.

/** The dashboard's WatchState (dashboard/ sits above watch/, hence the copy; the types match structurally). */
export type WatchState = 'unknown' | 'up' | 'down' | 'asleep';

export type ServerRole = 'primary' | 'backup';

export interface HealthSample {
  readonly at: string;
  readonly ok: boolean;
  /** The check's latency when it succeeded; null when it failed. */
  readonly latencyMs: number | null;
}

export interface TrackedServer {
  readonly name: string;
  readonly role: ServerRole;
  readonly url: string;
  readonly state: WatchState;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** The last successful check's latency; null before one. */
  readonly latencyMs: number | null;
  readonly lastCheckAt: string | null;
  /** When `state` last changed; null while it is still `unknown`. */
  readonly lastChangeAt: string | null;
  /** Why the last check failed; null after a success. */
  readonly lastFailure: { readonly kind: HealthFailure; readonly detail: string } | null;
  /** The checks of the last `historyMs` (at most MAX_SAMPLES), oldest first. */
  readonly samples: readonly HealthSample[];
}

/**
 * A flip of reachability worth announcing: `down` when a server is declared
 * down or asleep (from `up`, or from `unknown` at start), `back` when a server
 * declared down or asleep is up again. Never `back` from `unknown`.
 */
export type Transition =
  | (TransitionBase & { readonly kind: 'down'; readonly from: 'unknown' | 'up'; readonly to: 'down' | 'asleep'; readonly detail: string })
  | (TransitionBase & { readonly kind: 'back'; readonly from: 'down' | 'asleep'; readonly to: 'up'; readonly detail: null });

interface TransitionBase {
  readonly server: string;
  readonly role: ServerRole;
  readonly at: string;
  /** The checks in a row that settled it (failures for `down`, successes for `back`). */
  readonly afterChecks: number;
}

export interface HealthThresholds {
  /** Failures in a row that declare a server down (or asleep). */
  readonly downAfter: number;
  /** Successes in a row that declare a down server back. */
  readonly upAfter: number;
  /** How long samples are kept; DEFAULT_HISTORY_MS when absent. */
  readonly historyMs?: number;
}

export const DEFAULT_HISTORY_MS = 6 * 60 * 60 * 1000;
/** Six hours of checks every 5 s: a shorter interval keeps less than `historyMs`. */
export const MAX_SAMPLES = 4_320;

export function newTrackedServer(server: { readonly name: string; readonly role: ServerRole; readonly url: string }): TrackedServer {
  return Object.freeze({
    name: server.name,
    role: server.role,
    url: server.url,
    state: 'unknown',
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    latencyMs: null,
    lastCheckAt: null,
    lastChangeAt: null,
    lastFailure: null,
    samples: Object.freeze([]),
  });
}

/** `tracked` after one more check, and the transition it makes (null when none). */
export function recordProbe(
  tracked: TrackedServer,
  probe: HealthProbe,
  at: Date,
  thresholds: HealthThresholds,
): { readonly tracked: TrackedServer; readonly transition: Transition | null } {
  const when = at.toISOString();
  const samples = keptSamples(tracked.samples, { at: when, ok: probe.ok, latencyMs: probe.ok ? probe.latencyMs : null }, at, thresholds.historyMs ?? DEFAULT_HISTORY_MS);
  const checked = { ...tracked, lastCheckAt: when, samples };
  const base = { server: tracked.name, role: tracked.role, at: when };

  if (probe.ok) {
    const successes = tracked.consecutiveSuccesses + 1;
    const next = { ...checked, consecutiveSuccesses: successes, consecutiveFailures: 0, latencyMs: probe.latencyMs, lastFailure: null };
    if (tracked.state === 'unknown') return settled({ ...next, state: 'up', lastChangeAt: when }, null);
    if ((tracked.state === 'down' || tracked.state === 'asleep') && successes >= thresholds.upAfter) {
      return settled({ ...next, state: 'up', lastChangeAt: when }, { ...base, kind: 'back', from: tracked.state, to: 'up', afterChecks: successes, detail: null });
    }
    return settled(next, null);
  }

  const failures = tracked.consecutiveFailures + 1;
  const next = { ...checked, consecutiveFailures: failures, consecutiveSuccesses: 0, lastFailure: { kind: probe.failure, detail: probe.detail } };
  const target = probe.failure === 'asleep' ? 'asleep' : 'down';
  if (tracked.state === 'down' || tracked.state === 'asleep') {
    // Still unreachable, perhaps for another reason: a change of state, not news.
    return settled(target === tracked.state ? next : { ...next, state: target, lastChangeAt: when }, null);
  }
  if (failures >= thresholds.downAfter) {
    return settled(
      { ...next, state: target, lastChangeAt: when },
      { ...base, kind: 'down', from: tracked.state, to: target, afterChecks: failures, detail: probe.detail },
    );
  }
  return settled(next, null);
}

function settled(tracked: TrackedServer, transition: Transition | null): { readonly tracked: TrackedServer; readonly transition: Transition | null } {
  if (tracked.lastFailure !== null) Object.freeze(tracked.lastFailure);
  return Object.freeze({ tracked: Object.freeze(tracked), transition: transition === null ? null : Object.freeze(transition) });
}

function keptSamples(samples: readonly HealthSample[], sample: HealthSample, at: Date, historyMs: number): readonly HealthSample[] {
  const oldest = new Date(at.getTime() - historyMs).toISOString();
  // ISO strings of the same format sort as their times do.
  const first = samples.findIndex((kept) => kept.at >= oldest);
  const recent = first === -1 ? [] : samples.slice(first);
  recent.push(Object.freeze(sample));
  return Object.freeze(recent.length > MAX_SAMPLES ? recent.slice(recent.length - MAX_SAMPLES) : recent);
}
