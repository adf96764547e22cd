import type { RunDescription } from '../../../src/notify/run-notice.js';
import type { RunOutcome } from '../../../src/state/run-records.js';

export const FAILED_RUN = {
  verdict: 'NOT in sync: 2 of 5 writes failed.',
  outcome: 'failed',
  exitCode: 1,
  startedAt: '2025-03-01T12:00:00.000Z',
  durationMs: 12_345,
  runId: 42,
  hostname: 'sync-host',
  servers: [
    { name: 'primary', url: 'https://primary.example.com/' },
    { name: 'backup', url: 'https://admin:hunter2@backup.example.com/api?token=abc#x' },
  ],
  failures: 2,
  consecutiveFailures: 3,
} as const satisfies RunDescription;

export const IN_SYNC_RUN = {
  ...FAILED_RUN,
  verdict: 'In sync: 3 writes applied and verified.',
  outcome: 'in-sync',
  exitCode: 0,
  failures: 0,
  consecutiveFailures: 0,
} as const satisfies RunDescription;

/** A finished run ending `outcome`, otherwise like FAILED_RUN (or IN_SYNC_RUN for successes). */
export function runEnding(outcome: RunOutcome, overrides: Partial<RunDescription> = {}): RunDescription & { readonly outcome: RunOutcome } {
  const base = outcome === 'in-sync' || outcome === 'changes-pending' ? IN_SYNC_RUN : FAILED_RUN;
  return { ...base, ...overrides, outcome };
}
