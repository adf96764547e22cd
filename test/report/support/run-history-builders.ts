import type { JournalEntry, RunOutcome, RunSummary, StatusReport } from '../../../src/state/run-records.js';

// Plain RunSummary / StatusReport fixtures for the status, history and HTML reports: no database.

const EXIT_CODES: Readonly<Record<RunOutcome, number | null>> = {
  running: null,
  'in-sync': 0,
  'changes-pending': 0,
  failed: 1,
  refused: 4,
  unreachable: 3,
  interrupted: null,
};

/** A finished sync run `id`, one hour after run `id - 1`. */
export function aRun(id: number, overrides: Partial<RunSummary> = {}): RunSummary {
  const started = new Date(Date.UTC(2025, 5, 1, 0, 0, 0) + id * 3_600_000);
  const outcome = overrides.outcome ?? 'in-sync';
  const durationMs = outcome === 'running' || outcome === 'interrupted' ? null : 1_000 + id * 250;
  return {
    id,
    command: 'sync',
    outcome,
    exitCode: EXIT_CODES[outcome],
    startedAt: started.toISOString(),
    endedAt: durationMs === null ? null : new Date(started.getTime() + durationMs).toISOString(),
    durationMs,
    pid: 4000 + id,
    hostname: 'sync-host',
    verdict: outcome === 'running' ? null : `${outcome}.`,
    servers: [
      { server: 'primary', url: 'https://primary.example.com', users: 120, licenses: 340 },
      { server: 'backup', url: 'https://backup.example.com', users: 118, licenses: 335 },
    ],
    operations: { planned: id % 5, done: id % 5, failed: 0, notSent: 0 },
    ...overrides,
  };
}

/** Runs 1 … count, newest first (as `history()` lists them), all in sync. */
export function aHistory(count: number): RunSummary[] {
  return Array.from({ length: count }, (_, index) => aRun(count - index));
}

export function aJournalEntry(seq: number, overrides: Partial<JournalEntry> = {}): JournalEntry {
  return { runId: 1, seq, server: 'backup', kind: 'create-license', key: `license:dev-${seq}`, status: 'failed', detail: 'HTTP 500', ...overrides };
}

export function aStatus(overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    now: '2025-06-02T12:00:00.000Z',
    health: 'never-run',
    summary: 'No run has been recorded yet.',
    expectEveryMs: 3_600_000,
    lastRun: null,
    lastSuccess: null,
    sinceLastSuccessMs: null,
    consecutiveFailures: 0,
    stale: true,
    running: null,
    interruptedRun: null,
    unfinished: [],
    ...overrides,
    unfinishedCount: overrides.unfinishedCount ?? overrides.unfinished?.length ?? 0,
  };
}
