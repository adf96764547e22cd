import { describe, expect, it } from 'vitest';
import { isExpectedDifference, splitDrift } from '../../src/plan/expected-differences.js';
import { licenseKey, type Operation } from '../../src/plan/operation.js';
import type { DriftItem } from '../../src/plan/plan-types.js';
import { ONE_WAY } from '../../src/plan/reasons.js';

// The sync's own differences (docs/expected-differences.md) against the drift
// an operator must still hear about.

const NONE: ReadonlySet<string> = new Set();

const dates = (target: { start: string | null; end: string | null }): DriftItem => ({
  kind: 'license-dates',
  key: 'D1',
  sides: ONE_WAY,
  source: { start: '2024-02-10', end: '2025-02-10' },
  target,
});

const statusOnly = (primary: 'active' | 'blocked' | 'pending', peer: 'active' | 'blocked' | 'pending'): DriftItem => ({
  kind: 'two-way-differs',
  key: 'D1',
  differs: { code: 'tracked', peer: 'render', content: [], owner: null, status: { primary, peer } },
});

describe('isExpectedDifference', () => {
  it('telemetry always (clients write it on each server)', () => {
    expect(isExpectedDifference({ kind: 'license-telemetry', key: 'D1' }, NONE)).toBe(true);
  });

  it('dates the API set on create or upsert: one license period from the start, or no end', () => {
    expect(isExpectedDifference(dates({ start: '2026-12-04', end: '2027-12-04' }), NONE)).toBe(true);
    expect(isExpectedDifference(dates({ start: '2026-12-04', end: '2027-01-04' }), NONE)).toBe(true);
    expect(isExpectedDifference(dates({ start: '2026-12-04', end: '2029-12-04' }), NONE)).toBe(true);
    expect(isExpectedDifference(dates({ start: '2025-01-31', end: '2025-02-28' }), NONE)).toBe(true);
    expect(isExpectedDifference(dates({ start: '2026-12-04', end: null }), NONE)).toBe(true);
  });

  it('not dates someone set by hand, nor a missing start', () => {
    expect(isExpectedDifference(dates({ start: '2026-12-04', end: '2027-12-05' }), NONE)).toBe(false);
    expect(isExpectedDifference(dates({ start: '2026-12-04', end: '2027-02-04' }), NONE)).toBe(false);
    expect(isExpectedDifference(dates({ start: null, end: '2027-12-04' }), NONE)).toBe(false);
  });

  it('custom_interval and features only when the written side holds what the API gives a new license', () => {
    expect(isExpectedDifference({ kind: 'license-custom-interval', key: 'D1', sides: ONE_WAY, source: 120, target: 60 }, NONE)).toBe(true);
    expect(isExpectedDifference({ kind: 'license-custom-interval', key: 'D1', sides: ONE_WAY, source: 60, target: 120 }, NONE)).toBe(false);
    expect(isExpectedDifference({ kind: 'license-features', key: 'D1', sides: ONE_WAY, source: 'core,nfe', target: 'core' }, NONE)).toBe(true);
    expect(isExpectedDifference({ kind: 'license-features', key: 'D1', sides: ONE_WAY, source: 'core', target: 'core,nfe' }, NONE)).toBe(false);
  });

  it('a block standing for an expiry or a pending state the API cannot write, not any other denial', () => {
    expect(isExpectedDifference({ kind: 'license-deny-reason', key: 'D1', sides: ONE_WAY, source: 'deny:expired', target: 'deny:blocked' }, NONE)).toBe(true);
    expect(isExpectedDifference({ kind: 'license-deny-reason', key: 'D1', sides: ONE_WAY, source: 'deny:pending', target: 'deny:blocked' }, NONE)).toBe(true);
    expect(isExpectedDifference({ kind: 'license-deny-reason', key: 'D1', sides: ONE_WAY, source: 'deny:blocked', target: 'deny:expired' }, NONE)).toBe(false);
  });

  it('a two-way status-only difference with a block, unless the plan writes to the license', () => {
    expect(isExpectedDifference(statusOnly('active', 'blocked'), NONE)).toBe(true);
    expect(isExpectedDifference(statusOnly('blocked', 'active'), NONE)).toBe(true);
    expect(isExpectedDifference(statusOnly('active', 'blocked'), new Set([licenseKey('D1')]))).toBe(false);
    expect(isExpectedDifference(statusOnly('active', 'pending'), NONE)).toBe(false);
    expect(
      isExpectedDifference({ kind: 'two-way-differs', key: 'D1', differs: { code: 'tracked', peer: 'render', content: ['email'], owner: null, status: { primary: 'active', peer: 'blocked' } } }, NONE),
    ).toBe(false);
    expect(isExpectedDifference({ kind: 'two-way-differs', key: 'D1', differs: { code: 'one-side-only', on: 'primary' } }, NONE)).toBe(false);
  });

  it('never a user difference, nor content held back on a denied license', () => {
    expect(isExpectedDifference({ kind: 'user-email', key: 'bob', sides: ONE_WAY, source: 'a@b.c', target: null }, NONE)).toBe(false);
    expect(isExpectedDifference({ kind: 'user-role', key: 'bob', sides: ONE_WAY, source: 'admin', target: 'user' }, NONE)).toBe(false);
    expect(
      isExpectedDifference({ kind: 'license-content-while-denied', key: 'D1', fields: ['email'], because: { code: 'source-denies', sides: ONE_WAY, decision: 'deny:blocked' } }, NONE),
    ).toBe(false);
  });
});

describe('splitDrift', () => {
  it('keeps every item, in plan order, on one side or the other', () => {
    const telemetry: DriftItem = { kind: 'license-telemetry', key: 'T1' };
    const email: DriftItem = { kind: 'user-email', key: 'bob', sides: ONE_WAY, source: 'a@b.c', target: null };
    const interval: DriftItem = { kind: 'license-custom-interval', key: 'C1', sides: ONE_WAY, source: null, target: 60 };
    const blockD1: Operation = { server: 'backup', kind: 'block', key: licenseKey('D1'), deviceId: 'D1', reason: { code: 'denied-on-source', sides: ONE_WAY, source: 'deny:blocked', target: 'allow' } };
    const split = splitDrift({ drift: [telemetry, email, statusOnly('active', 'blocked'), interval], operations: [blockD1] });
    expect(split.expected).toEqual([telemetry, interval]);
    expect(split.drift).toEqual([email, statusOnly('active', 'blocked')]);
    expect(splitDrift(null)).toEqual({ drift: [], expected: [] });
  });
});
