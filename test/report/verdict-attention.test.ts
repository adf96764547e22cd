import { describe, expect, it } from 'vitest';
import type { AppliedOperation } from '../../src/outcome/run-result.js';
import { verdictFor, type VerdictInput } from '../../src/report/verdict.js';
import { aPlan, createLicense, skippedItem } from './support/run-result-builders.js';

// What a person must act on, and what cannot be replicated, reach the one-line
// verdict: the text and JSON reports, the history and the alerts all carry it.

function input(overrides: Partial<VerdictInput>): VerdictInput {
  return { command: 'sync', outcome: 'in-sync', plan: aPlan(), applied: [], verified: null, guards: [], failures: [], ...overrides };
}

describe('verdictFor: over-grants, licenses not replicable, writes with no clear answer', () => {
  it('a sync that failed only on an over-grant says what a person must do, not that the backup could not be re-read', () => {
    const plan = aPlan({ skipped: [skippedItem('over-grant', 'zz/'), skippedItem('not-addressable', 'A/1')] });
    expect(verdictFor(input({ outcome: 'failed', plan }))).toBe(
      'NOT in sync: 1 license OVER-GRANTED: allowed by the backup, denied by the primary, and no call can close it (device_id with "/"); ' +
        "a person must delete it in the backup's admin panel, or allow it again on the primary. " +
        '1 license not replicable: device_id cannot be sent in a URL path (e.g. it contains "/"), see "not-addressable".',
    );
  });

  it('an in-sync run warns of deletions it did not carry out, counted once per license, and how to carry them out', () => {
    const plan = aPlan({ skipped: [skippedItem('deletion-pending', 'K1'), skippedItem('deletion-pending', 'K1'), skippedItem('deletion-pending', 'K2')] });
    expect(verdictFor(input({ plan, applied: [] }))).toBe(
      'In sync: nothing to do. WARNING: 2 license deletions not carried out (restored, or blocked where the primary deleted it); still pending: a run with --delete carries them out, see "deletion-pending".',
    );
  });

  it('an in-sync run and a plan name what they leave alone', () => {
    const plan = aPlan({ skipped: [skippedItem('not-addressable', 'A/1'), skippedItem('not-addressable', 'B/2')] });
    expect(verdictFor(input({ plan }))).toBe('In sync: nothing to do. 2 licenses not replicable: device_id cannot be sent in a URL path (e.g. it contains "/"), see "not-addressable".');
    const overGranted = aPlan({ skipped: [skippedItem('over-grant', 'zz/')] });
    expect(verdictFor(input({ command: 'plan', plan: overGranted }))).toBe(
      'In sync: nothing to do. 1 license OVER-GRANTED on the backup that no call can close: a person must act, see "over-grant".',
    );
  });

  it('counts writes left unknown (no clear answer, no verification) apart from failed ones', () => {
    const unknown: AppliedOperation = { operation: createLicense('L'), status: 'unknown', note: null };
    expect(verdictFor(input({ outcome: 'failed', applied: [unknown] }))).toBe('NOT in sync: 1 write unknown (no clear answer, not verified); verification could not re-read the backup.');
  });
});
