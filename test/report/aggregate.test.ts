import { describe, expect, it } from 'vitest';
import { DRIFT_KINDS, SKIP_REASONS } from '../../src/plan/plan-types.js';
import { aggregate } from '../../src/report/aggregate.js';
import { driftExplanation, summariseDrift } from '../../src/report/drift-summary.js';
import { skipExplanation, summariseSkipped } from '../../src/report/skipped-summary.js';
import { driftItem, many, skippedItem } from './support/run-result-builders.js';

describe('aggregate', () => {
  it('counts per group, keeps the first items in list order, and orders groups as asked', () => {
    const items = ['b1', 'a1', 'b2', 'b3', 'a2'];
    expect(aggregate(items, (item) => item[0], ['a', 'b', 'c'], 2)).toEqual([
      { group: 'a', count: 2, first: ['a1', 'a2'] },
      { group: 'b', count: 3, first: ['b1', 'b2'] },
    ]);
  });

  it('keeps no items when asked for none, and still counts', () => {
    expect(aggregate(['a1', 'a2'], (item) => item[0], ['a'], 0)).toEqual([{ group: 'a', count: 2, first: [] }]);
  });
});

describe('summariseDrift', () => {
  it('groups 100,000 items by kind, keeping a few examples each', () => {
    const drift = [...many(100_000, 'D', (key) => driftItem('license-dates', key)), driftItem('user-email', 'alice')];
    const groups = summariseDrift(drift, 3);
    expect(groups.map((group) => [group.kind, group.count, group.examples.length])).toEqual([
      ['user-email', 1, 1],
      ['license-dates', 100_000, 3],
    ]);
    expect(groups[1]?.examples.map((item) => item.key)).toEqual(['D-1', 'D-2', 'D-3']);
  });

  it('explains every drift kind', () => {
    for (const kind of DRIFT_KINDS) expect(driftExplanation(kind).length).toBeGreaterThan(20);
  });
});

describe('summariseSkipped', () => {
  it('groups by reason in the planner order, keeping the first items', () => {
    const skipped = [skippedItem('unreadable', 'X'), ...many(4, 'B', (key) => skippedItem('backup-only', key))];
    const groups = summariseSkipped(skipped, 2);
    expect(groups.map((group) => [group.reason, group.count, group.items.map((item) => item.key)])).toEqual([
      ['backup-only', 4, ['B-1', 'B-2']],
      ['unreadable', 1, ['X']],
    ]);
  });

  it('explains every skip reason', () => {
    for (const reason of SKIP_REASONS) expect(skipExplanation(reason).length).toBeGreaterThan(20);
  });
});
