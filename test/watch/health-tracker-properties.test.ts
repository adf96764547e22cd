import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HealthProbe } from '../../src/api/health-probe.js';
import { checks, FAILURE, UP } from './support/probes.js';

// Whatever the checks and thresholds: transitions alternate down/back (never
// two of a kind in a row, the first one `down`), each exactly when its streak
// reaches the threshold, and the counters always say what the last checks were.

const RUNS = { numRuns: 300 };

const probe: fc.Arbitrary<HealthProbe> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(UP) },
  { weight: 3, arbitrary: fc.constantFrom(FAILURE.down, FAILURE.asleep, FAILURE.error) },
);
const scenario = fc.record({
  probes: fc.array(fc.oneof(probe, fc.tuple(probe, fc.integer({ min: 1, max: 6 })).map(([one, count]) => Array<HealthProbe>(count).fill(one))), { maxLength: 60 }).map((runs) => runs.flat()),
  downAfter: fc.integer({ min: 1, max: 5 }),
  upAfter: fc.integer({ min: 1, max: 5 }),
});

describe('the health tracker, for any checks', () => {
  it('announces transitions that alternate down and back, starting with down, and never repeat', () => {
    fc.assert(
      fc.property(scenario, ({ probes, downAfter, upAfter }) => {
        const { transitions } = checks(probes, { downAfter, upAfter });
        transitions.forEach((transition, index) => expect(transition.kind).toBe(index % 2 === 0 ? 'down' : 'back'));
        for (const transition of transitions) {
          expect(transition.kind === 'down' ? ['unknown', 'up'] : ['down', 'asleep']).toContain(transition.from);
          expect(transition.afterChecks).toBe(transition.kind === 'down' ? downAfter : upAfter);
        }
      }),
      RUNS,
    );
  });

  it('counts the streak of the last checks, and is unreachable exactly when the last transition was down', () => {
    fc.assert(
      fc.property(scenario, ({ probes, downAfter, upAfter }) => {
        const { states, transitions } = checks(probes, { downAfter, upAfter });
        states.forEach((state, check) => {
          const last = probes[check];
          const streak = probes.slice(0, check + 1).reverse().findIndex((earlier) => earlier?.ok !== last?.ok);
          const length = streak === -1 ? check + 1 : streak;
          expect(last?.ok ? state.consecutiveSuccesses : state.consecutiveFailures).toBe(length);
          expect(last?.ok ? state.consecutiveFailures : state.consecutiveSuccesses).toBe(0);
          const lastTransition = transitions.filter((transition) => transition.check <= check).at(-1);
          const unreachable = state.state === 'down' || state.state === 'asleep';
          expect(unreachable).toBe(lastTransition?.kind === 'down');
          if (state.state === 'unknown') expect(probes.slice(0, check + 1).every((earlier) => !earlier.ok)).toBe(true);
        });
      }),
      RUNS,
    );
  });
});
