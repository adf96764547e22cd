import { describe, expect, it } from 'vitest';
import { twoWaySides } from '../../../src/plan/reasons.js';
import { aLicense, aRejected, aUser } from '../support/records.js';
import { onBoth, planCase, writes } from '../support/two-way-cases.js';

// A listed record the sync cannot read is never written, on either side; a side
// with records that have no readable device_id may hold any license it seems to
// lack, so nothing is created there and no absence there counts as a deletion.

const LICENSE = aLicense();
const OTHER = aLicense({ device_id: 'OTHER-DEVICE', email: 'other@example.com' });
const UNREADABLE = aRejected({ kind: 'license', key: LICENSE.device_id, reason: 'license_type: invalid' });
const KEYLESS = aRejected({ kind: 'license', key: null, reason: 'device_id: required' });

describe('a license unreadable on either side', () => {
  it('is skipped as unreadable and never written, however the other side changed it', () => {
    for (const [primaryRejected, peerRejected] of [
      [[UNREADABLE], []],
      [[], [UNREADABLE]],
    ] as const) {
      const plan = planCase({ base: onBoth(LICENSE), now: { primary: aLicense({ email: 'novo@example.com' }), peer: LICENSE, primaryRejected, peerRejected }, options: { delete: true } });

      expect(plan.operations).toEqual([]);
      expect(plan.skipped).toEqual([{ kind: 'license', key: LICENSE.device_id, reason: 'unreadable', bothSides: true }]);
    }
  });

  it('does not stop the other licenses', () => {
    const plan = planCase({ base: onBoth([LICENSE, OTHER]), now: { primary: [aLicense({ email: 'x@example.com' }), OTHER], peer: [OTHER], peerRejected: [UNREADABLE] } });

    expect(plan.operations).toEqual([]);
    const created = planCase({ base: onBoth([LICENSE]), now: { primary: [LICENSE, OTHER], peer: [LICENSE], peerRejected: [aRejected({ kind: 'license', key: 'THIRD' })] } });
    expect(writes(created)).toEqual(['render create-license']);
  });

  it('an unreadable user is skipped on both sides', () => {
    const plan = planCase({ base: {}, now: { primaryUsers: [aUser({ username: 'maria' })], peerRejected: [aRejected({ kind: 'user', key: 'maria' })] } });

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'user', key: 'maria', reason: 'unreadable', bothSides: true }]);
  });
});

describe('a side with records that have no readable device_id', () => {
  it('gets no license created: the creation is skipped as creations-suspended', () => {
    const plan = planCase({ base: {}, now: { primary: OTHER, peerRejected: [KEYLESS] } });

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'license', key: 'OTHER-DEVICE', reason: 'creations-suspended', keyless: 1, sides: twoWaySides('primary', 'render') }]);
  });

  it('has no absence read as a deletion: neither propagated nor restored (deletions-suspended)', () => {
    for (const [now, hidden] of [
      [{ primary: LICENSE, peerRejected: [KEYLESS] }, 'render'],
      [{ peer: LICENSE, primaryRejected: [KEYLESS] }, 'primary'],
    ] as const) {
      const plan = planCase({ base: onBoth(LICENSE), now, options: { delete: true } });

      expect(plan.operations).toEqual([]);
      expect(plan.skipped).toEqual([{ kind: 'license', key: LICENSE.device_id, reason: 'deletions-suspended', keyless: 1, goneFrom: hidden }]);
    }
  });

  it('still gets the licenses it has updated, and the other side still gets its creations', () => {
    const plan = planCase({ base: onBoth(LICENSE), now: { primary: aLicense({ email: 'novo@example.com' }), peer: [LICENSE, OTHER], peerRejected: [KEYLESS] } });

    expect(writes(plan)).toEqual(['render update-license', 'primary create-license']);
  });
});

describe('leaveAlone', () => {
  it('leaves the given device_ids out entirely', () => {
    const plan = planCase({ base: onBoth(LICENSE), now: { primary: aLicense({ email: 'novo@example.com' }), peer: LICENSE, peerRejected: [UNREADABLE] }, options: { leaveAlone: new Set([LICENSE.device_id]) } });

    expect(plan).toEqual({ operations: [], skipped: [], drift: [], conflicts: [] });
  });
});
