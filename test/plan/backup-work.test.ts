import { describe, expect, it } from 'vitest';
import { backupWorkSinceBase } from '../../src/plan/backup-work.js';
import { baseFromSnapshots } from '../../src/plan/two-way/pair-base.js';
import { aLicense, snapshotOf } from './support/records.js';

// Work done on a backup since the pair's base, which a one-way sync would undo.

const a = aLicense({ device_id: 'A' });
const b = aLicense({ device_id: 'B' });
const base = baseFromSnapshots(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [a, b] })).peer;

describe('backupWorkSinceBase', () => {
  it('finds nothing when the backup is as it was', () => {
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [a, b] }), base)).toEqual([]);
  });

  it('finds a license created, blocked, re-owned or edited on the backup', () => {
    const backup = snapshotOf({
      licenses: [aLicense({ device_id: 'A', status: 'blocked' }), aLicense({ device_id: 'B', created_by: 'maria' }), aLicense({ device_id: 'C' })],
    });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), backup, base)).toEqual(['A', 'B', 'C']);
    const edited = snapshotOf({ licenses: [aLicense({ device_id: 'A', email: 'new@example.com' }), b] });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), edited, base)).toEqual(['A']);
  });

  it('does not count what the backup lost, nor a change the primary holds the same way', () => {
    const blocked = aLicense({ device_id: 'A', status: 'blocked' });
    expect(backupWorkSinceBase(snapshotOf({ licenses: [a, b] }), snapshotOf({ licenses: [] }), base)).toEqual([]);
    expect(backupWorkSinceBase(snapshotOf({ licenses: [blocked, b] }), snapshotOf({ licenses: [blocked, b] }), base)).toEqual([]);
  });
});
