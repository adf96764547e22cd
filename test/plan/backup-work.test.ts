import { describe, expect, it } from 'vitest';
import { backupWorkSinceBase } from '../../src/plan/backup-work.js';
import { baseFromSnapshots } from '../../src/plan/two-way/pair-base.js';
import { aLicense, snapshotOf } from './support/records.js';

// Work done on a backup since the pair's base, which a one-way sync would undo.

const a = aLicense({ device_id: 'A' });
const b = aLicense({ device_id: 'B' });
const base = baseFromSnapshots(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [a, b] })).peer;

const ALL = new Set(['A', 'B', 'C']);

describe('backupWorkSinceBase', () => {
  it('finds nothing when the backup is as it was', () => {
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [a, b] }), base, ALL)).toEqual([]);
  });

  it('finds a license created, blocked, re-owned or edited on the backup that the run would write over', () => {
    const backup = snapshotOf({
      licenses: [aLicense({ device_id: 'A', status: 'blocked' }), aLicense({ device_id: 'B', created_by: 'maria' }), aLicense({ device_id: 'C' })],
    });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), backup, base, ALL)).toEqual(['A', 'B', 'C']);
    const edited = snapshotOf({ licenses: [aLicense({ device_id: 'A', email: 'new@example.com' }), b] });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), edited, base, ALL)).toEqual(['A']);
  });

  it('does not count what the backup lost, nor a change the primary holds the same way', () => {
    const blocked = aLicense({ device_id: 'A', status: 'blocked' });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [] }), base, ALL)).toEqual([]);
    expect(backupWorkSinceBase(snapshotOf({ licenses: [blocked, b] }), snapshotOf({ licenses: [blocked, b] }), base, ALL)).toEqual([]);
  });

  it('counts a license created on the backup only, which a one-way run leaves behind, whether the plan touches it or not', () => {
    const backup = snapshotOf({ licenses: [a, b, aLicense({ device_id: 'C' })] });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), backup, base, new Set())).toEqual(['C']);
  });

  it('does not count a license on both that the run leaves alone (a failed run’s writes already made it right)', () => {
    const redated = aLicense({ device_id: 'A', start_date: '2030-01-01' });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [redated, b] }), base, new Set(['B']))).toEqual([]);
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [redated, b] }), base, new Set(['A']))).toEqual(['A']);
  });

  it('does not count a license on both servers that the base has no entry for (it was unreadable when the base was recorded)', () => {
    const withoutB = baseFromSnapshots(snapshotOf({ licenses: [a] }), snapshotOf({ licenses: [a] })).peer;
    const staleB = aLicense({ device_id: 'B', owner_name: 'Old Owner' });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [a, staleB] }), withoutB, ALL)).toEqual([]);
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a] }), snapshotOf({ licenses: [a, staleB] }), withoutB, ALL)).toEqual(['B']);
  });
});
