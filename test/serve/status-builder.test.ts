import { describe, expect, it } from 'vitest';
import { buildDashboardStatus, STATUS_RUNS, type StatusInput } from '../../src/serve/status-builder.js';
import type { RunSummary } from '../../src/state/run-records.js';
import { unfinishedLine } from '../../src/report/status-text.js';
import { AT, aTracked } from './support/serve-fakes.js';

function aRunSummary(id: number, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    command: 'sync',
    outcome: 'in-sync',
    exitCode: 0,
    startedAt: `2026-12-04T${String(id % 24).padStart(2, '0')}:00:00.000Z`,
    endedAt: `2026-12-04T${String(id % 24).padStart(2, '0')}:00:05.000Z`,
    durationMs: 5000,
    pid: 1,
    hostname: 'host',
    verdict: 'in sync',
    servers: [],
    operations: { planned: 0, done: 0, failed: 0, notSent: 0 },
    ...overrides,
  };
}

function input(overrides: Partial<StatusInput> = {}): StatusInput {
  return {
    now: AT,
    language: 'en',
    watched: [aTracked('primary', 'primary'), aTracked('render', 'backup')],
    knowledge: new Map(),
    running: null,
    nextScheduledAt: new Date('2026-12-04T13:00:00.000Z'),
    settings: { schedule: '0 * * * *', healthIntervalMs: 60_000, downAfter: 3, upAfter: 3 },
    state: { runs: [], lastReport: null, unfinished: null },
    triggers: new Map(),
    ownReport: null,
    unfinishedLine,
    ...overrides,
  };
}

describe('the dashboard status', () => {
  it('gives each watched server its state, counts, samples and what serve learnt of it', () => {
    const agreement = { at: AT.toISOString(), licenses: 3, agreeing: 3, differing: [] };
    const status = buildDashboardStatus(
      input({
        knowledge: new Map([
          ['primary', { lastSync: { runId: 7, at: AT.toISOString(), exitCode: 0, inSync: true }, records: { users: 2, licenses: 3, at: AT.toISOString() }, agreement: null }],
          ['render', { lastSync: null, records: null, agreement }],
        ]),
      }),
    );
    expect(status).toMatchObject({ format: 'sync-dbs-status/1', generatedAt: AT.toISOString(), language: 'en', mode: 'primary', nextScheduledAt: '2026-12-04T13:00:00.000Z' });
    expect(status.servers).toEqual([
      {
        name: 'primary',
        role: 'primary',
        url: 'https://primary.example.com',
        state: 'up',
        consecutiveFailures: 0,
        consecutiveSuccesses: 3,
        latencyMs: 42,
        lastCheckAt: AT.toISOString(),
        lastChangeAt: AT.toISOString(),
        lastFailure: null,
        samples: [{ at: AT.toISOString(), ok: true, latencyMs: 42 }],
        lastSync: { runId: 7, at: AT.toISOString(), exitCode: 0, inSync: true },
        records: { users: 2, licenses: 3, at: AT.toISOString() },
        agreement: null,
      },
      expect.objectContaining({ name: 'render', role: 'backup', lastSync: null, records: null, agreement }),
    ]);
  });

  it('is in failover mode while the primary is down or asleep', () => {
    expect(buildDashboardStatus(input({ watched: [aTracked('primary', 'primary', 'down')] })).mode).toBe('failover');
    expect(buildDashboardStatus(input({ watched: [aTracked('primary', 'primary', 'asleep')] })).mode).toBe('failover');
    expect(buildDashboardStatus(input({ watched: [aTracked('primary', 'primary', 'unknown')] })).mode).toBe('primary');
  });

  it('lists the recorded runs newest first, at most 200, with the trigger of those serve started', () => {
    const runs = Array.from({ length: 250 }, (_, index) => aRunSummary(250 - index));
    const status = buildDashboardStatus(input({ state: { runs, lastReport: null, unfinished: null }, triggers: new Map([[250, 'primary-back']]) }));
    expect(status.runs).toHaveLength(STATUS_RUNS);
    expect(status.runs[0]).toEqual({
      id: 250,
      command: 'sync',
      startedAt: runs[0]?.startedAt,
      finishedAt: runs[0]?.endedAt,
      exitCode: 0,
      outcome: 'in-sync',
      trigger: 'primary-back',
    });
    expect(status.runs[1]?.trigger).toBeNull();
  });

  it('shows the run in progress and its trigger', () => {
    expect(buildDashboardStatus(input({ running: { trigger: 'manual', startedAt: AT } })).running).toEqual({ trigger: 'manual', startedAt: AT.toISOString() });
  });

  it('takes serve\'s own last report, unless a later (one-shot) run stored one', () => {
    const own = { runId: 5, startedAt: AT.toISOString(), text: 'own report, in the current language' };
    const runs = [aRunSummary(6), aRunSummary(5)];
    expect(buildDashboardStatus(input({ ownReport: own, state: { runs, lastReport: { runId: 5, text: 'stored' }, unfinished: null } })).lastReport).toEqual(own);
    expect(buildDashboardStatus(input({ ownReport: own, state: { runs, lastReport: { runId: 6, text: 'stored by a later run' }, unfinished: null } })).lastReport).toEqual({
      runId: 6,
      startedAt: runs[0]?.startedAt,
      text: 'stored by a later run',
    });
    expect(buildDashboardStatus(input()).lastReport).toBeNull();
  });

  it('words the unfinished operations', () => {
    const entries = [{ runId: 4, seq: 1, server: 'render', kind: 'create-license', key: 'license:A-1', status: 'sent' as const, detail: null }];
    const status = buildDashboardStatus(input({ state: { runs: [], lastReport: null, unfinished: { runId: 4, entries } } }));
    expect(status.unfinished).toEqual({ runId: 4, operations: ['create-license license:A-1: sent, no answer (may or may not be applied)'] });
    expect(buildDashboardStatus(input({ state: { runs: [], lastReport: null, unfinished: { runId: 4, entries: [] } } })).unfinished).toBeNull();
  });
});
