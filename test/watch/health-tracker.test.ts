import { describe, expect, it } from 'vitest';
import { MAX_SAMPLES, recordProbe } from '../../src/watch/health-tracker.js';
import { ASLEEP, checks, NOT_FOUND, primary, REFUSED, START, THREE_AND_THREE, times, UP } from './support/probes.js';

// The watchdog's rules for one server, as readable cases: declared down after
// `downAfter` failures in a row, back after `upAfter` successes in a row, one
// transition per flip of reachability.

describe('a server never checked', () => {
  it('is unknown, with nothing known about it', () => {
    expect(primary()).toEqual({
      name: 'primary',
      role: 'primary',
      url: 'https://licencas.example.com',
      state: 'unknown',
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
      latencyMs: null,
      lastCheckAt: null,
      lastChangeAt: null,
      lastFailure: null,
      samples: [],
    });
  });

  it('is up after its first success, with no transition to announce', () => {
    const { tracked, transitions } = checks([UP]);

    expect(tracked).toMatchObject({ state: 'up', consecutiveSuccesses: 1, latencyMs: 42, lastCheckAt: START.toISOString(), lastChangeAt: START.toISOString() });
    expect(transitions).toEqual([]);
  });

  it('stays unknown after 2 failures, and is declared down at the 3rd', () => {
    const { states, transitions } = checks(times(3, REFUSED));

    expect(states.map((state) => state.state)).toEqual(['unknown', 'unknown', 'down']);
    expect(transitions).toEqual([
      {
        kind: 'down',
        server: 'primary',
        role: 'primary',
        from: 'unknown',
        to: 'down',
        at: '2026-03-01T12:00:02.000Z',
        afterChecks: 3,
        detail: 'connection refused (ECONNREFUSED)',
        check: 2,
      },
    ]);
  });

  it('is declared asleep when the failure that tips it is asleep', () => {
    const { tracked, transitions } = checks([REFUSED, REFUSED, ASLEEP]);

    expect(tracked.state).toBe('asleep');
    expect(transitions).toMatchObject([{ kind: 'down', from: 'unknown', to: 'asleep', detail: 'HTTP 503' }]);
  });
});

describe('a server that is up', () => {
  const up = checks([UP]).tracked;

  it('is declared down after 3 failures in a row, not after 2', () => {
    expect(checks(times(2, REFUSED), THREE_AND_THREE, up).tracked.state).toBe('up');

    const { tracked, transitions } = checks(times(3, REFUSED), THREE_AND_THREE, up);
    expect(tracked).toMatchObject({ state: 'down', consecutiveFailures: 3, consecutiveSuccesses: 0 });
    expect(transitions).toMatchObject([{ kind: 'down', from: 'up', to: 'down', afterChecks: 3, check: 2 }]);
  });

  it('is declared down by an answer that is not the API (error), and asleep by a timeout or a proxy page', () => {
    expect(checks(times(3, NOT_FOUND), THREE_AND_THREE, up).tracked.state).toBe('down');
    expect(checks(times(3, ASLEEP), THREE_AND_THREE, up).tracked.state).toBe('asleep');
    expect(checks([ASLEEP, ASLEEP, REFUSED], THREE_AND_THREE, up).tracked.state).toBe('down');
  });

  it('is not declared down when a success comes in between: it resets the count', () => {
    const { tracked, transitions } = checks([REFUSED, REFUSED, UP, REFUSED, REFUSED], THREE_AND_THREE, up);

    expect(tracked).toMatchObject({ state: 'up', consecutiveFailures: 2, consecutiveSuccesses: 0 });
    expect(transitions).toEqual([]);
  });

  it('keeps the reason of the last failure, and forgets it after a success', () => {
    const failed = checks([REFUSED, NOT_FOUND], THREE_AND_THREE, up).tracked;
    expect(failed.lastFailure).toEqual({ kind: 'error', detail: 'HTTP 404' });

    expect(checks([UP], THREE_AND_THREE, failed).tracked.lastFailure).toBeNull();
  });

  it('keeps the last success latency through failures', () => {
    expect(checks([{ ok: true, latencyMs: 120 }, REFUSED], THREE_AND_THREE, up).tracked.latencyMs).toBe(120);
  });

  it('is declared down after one failure when downAfter is 1', () => {
    expect(checks([REFUSED], { downAfter: 1, upAfter: 1 }, up).transitions).toMatchObject([{ kind: 'down', afterChecks: 1 }]);
  });
});

describe('a server declared down', () => {
  const down = checks(times(3, REFUSED)).tracked;

  it('is back after 3 successes in a row, not after 2', () => {
    expect(checks(times(2, UP), THREE_AND_THREE, down).tracked.state).toBe('down');

    const { tracked, transitions } = checks(times(3, UP), THREE_AND_THREE, down);
    expect(tracked).toMatchObject({ state: 'up', consecutiveSuccesses: 3, consecutiveFailures: 0, lastFailure: null });
    expect(transitions).toEqual([
      { kind: 'back', server: 'primary', role: 'primary', from: 'down', to: 'up', at: '2026-03-01T12:00:02.000Z', afterChecks: 3, detail: null, check: 2 },
    ]);
  });

  it('is not back when a failure comes in between: it resets the count', () => {
    const { tracked, transitions } = checks([UP, UP, REFUSED, UP, UP], THREE_AND_THREE, down);

    expect(tracked).toMatchObject({ state: 'down', consecutiveSuccesses: 2 });
    expect(transitions).toEqual([]);
  });

  it('changes to asleep and back to down between failures without announcing it', () => {
    const { states, transitions } = checks([ASLEEP, REFUSED, NOT_FOUND], THREE_AND_THREE, down);

    expect(states.map((state) => state.state)).toEqual(['asleep', 'down', 'down']);
    expect(states.map((state) => state.lastChangeAt)).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-01T12:00:01.000Z', '2026-03-01T12:00:01.000Z']);
    expect(transitions).toEqual([]);
  });

  it('comes back from asleep too, naming where it came from', () => {
    const asleep = checks(times(3, ASLEEP)).tracked;

    expect(checks(times(3, UP), THREE_AND_THREE, asleep).transitions).toMatchObject([{ kind: 'back', from: 'asleep', to: 'up' }]);
  });
});

describe('transitions', () => {
  it('come once per flip, however long the server stays down or up', () => {
    const { transitions } = checks([...times(10, REFUSED), ...times(10, UP), ...times(10, ASLEEP), ...times(10, UP)]);

    expect(transitions.map(({ kind, from, to, check }) => ({ kind, from, to, check }))).toEqual([
      { kind: 'down', from: 'unknown', to: 'down', check: 2 },
      { kind: 'back', from: 'down', to: 'up', check: 12 },
      { kind: 'down', from: 'up', to: 'asleep', check: 22 },
      { kind: 'back', from: 'asleep', to: 'up', check: 32 },
    ]);
  });
});

describe('samples', () => {
  it('keeps each check, oldest first, with the latency of successes only', () => {
    expect(checks([UP, REFUSED]).tracked.samples).toEqual([
      { at: '2026-03-01T12:00:00.000Z', ok: true, latencyMs: 42 },
      { at: '2026-03-01T12:00:01.000Z', ok: false, latencyMs: null },
    ]);
  });

  it('drops the checks older than historyMs', () => {
    const { tracked } = checks(times(10, UP), { ...THREE_AND_THREE, historyMs: 3_000 });

    expect(tracked.samples.map((sample) => sample.at)).toEqual(['2026-03-01T12:00:06.000Z', '2026-03-01T12:00:07.000Z', '2026-03-01T12:00:08.000Z', '2026-03-01T12:00:09.000Z']);
  });

  it('keeps 6 hours by default', () => {
    const { tracked } = checks(times(10, UP), THREE_AND_THREE, primary(), 60 * 60 * 1000);

    expect(tracked.samples).toHaveLength(7);
    expect(tracked.samples[0]?.at).toBe('2026-03-01T15:00:00.000Z');
  });

  it(`keeps at most ${MAX_SAMPLES}, the newest`, () => {
    const { tracked } = checks(times(MAX_SAMPLES + 5, UP), THREE_AND_THREE, primary(), 1);

    expect(tracked.samples).toHaveLength(MAX_SAMPLES);
    expect(tracked.samples.at(-1)?.at).toBe(new Date(START.getTime() + MAX_SAMPLES + 4).toISOString());
  });
});

describe('recordProbe', () => {
  it('leaves what it was given as it was, and returns frozen objects', () => {
    const before = checks([UP]).tracked;
    const copy = structuredClone(before);

    const { tracked } = recordProbe(before, REFUSED, START, THREE_AND_THREE);

    expect(before).toEqual(copy);
    expect(Object.isFrozen(tracked)).toBe(true);
    expect(Object.isFrozen(tracked.samples)).toBe(true);
    expect(Object.isFrozen(tracked.samples[0])).toBe(true);
    expect(Object.isFrozen(tracked.lastFailure)).toBe(true);
  });
});
