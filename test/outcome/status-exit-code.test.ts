import { describe, expect, it } from 'vitest';
import { statusExitCode } from '../../src/outcome/status-exit-code.js';
import { aRun, aStatus } from '../report/support/run-history-builders.js';

describe('statusExitCode', () => {
  it('is 0 when healthy and 7 when stale or never run', () => {
    expect(statusExitCode(aStatus({ health: 'healthy', lastRun: aRun(1) }))).toBe(0);
    expect(statusExitCode(aStatus({ health: 'stale', lastRun: aRun(1) }))).toBe(7);
    expect(statusExitCode(aStatus({ health: 'never-run' }))).toBe(7);
  });

  it.each([
    ['failed', 1],
    ['unreachable', 3],
    ['refused', 4],
    ['interrupted', 6],
  ] as const)('is the last run’s own code when it %s', (outcome, code) => {
    expect(statusExitCode(aStatus({ health: 'failing', lastRun: aRun(1, { outcome }) }))).toBe(code);
  });

  it('is 1 for a failing status whose last run recorded no failing code', () => {
    expect(statusExitCode(aStatus({ health: 'failing', lastRun: aRun(1, { outcome: 'changes-pending' }) }))).toBe(1);
    expect(statusExitCode(aStatus({ health: 'failing', lastRun: null }))).toBe(1);
  });
});
