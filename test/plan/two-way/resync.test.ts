import { describe, expect, it } from 'vitest';
import { aLicense, aUser, daysFromToday } from '../support/records.js';
import type { Plan } from '../../../src/plan/plan-types.js';
import { afterPlan, ID, PEER, planCase, writes, type Case } from '../support/two-way-cases.js';

// --resync (no base): who changed what is unknown, so the primary wins
// everywhere, whatever --conflict says: its version is copied to the backup
// with the one-way rules; a license only the backup lists is denied there
// (blocked, or deleted with --delete); nothing is written to the primary.

const LICENSE = aLicense();

function resync(now: Case['now'], options: Case['options'] = {}): Case {
  return { base: null, now, options };
}

/** Every operation of the plan is on the backup. */
function onlyOnPeer(plan: Plan): void {
  expect(plan.operations.filter((operation) => operation.server !== PEER)).toEqual([]);
}

describe('a resync (no base)', () => {
  it('creates on the backup what only the primary has, and blocks what only the backup has: the primary is not written', () => {
    const onPrimary = aLicense({ device_id: 'ONLY-ON-PRIMARY' });
    const onPeer = aLicense({ device_id: 'ONLY-ON-RENDER' });
    const example = resync({ primary: onPrimary, peer: onPeer });
    const plan = planCase(example);

    expect(plan.operations.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`)).toEqual([
      'render create-license license:ONLY-ON-PRIMARY',
      'render block license:ONLY-ON-RENDER',
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(afterPlan(example, plan).primary.licenses.has('ONLY-ON-RENDER')).toBe(false);
  });

  it('lets the primary win a license that differs, even with --conflict peer or none, and reports no conflict', () => {
    for (const conflict of ['primary', 'peer', 'none'] as const) {
      const plan = planCase(resync({ primary: aLicense({ email: 'p@example.com' }), peer: aLicense({ email: 'r@example.com' }) }, { conflict }));

      expect(writes(plan)).toEqual(['render update-license']);
      expect(plan.operations[0]).toMatchObject({
        body: { email: 'p@example.com' },
        reason: {
          code: 'merged',
          cause: [
            { code: 'side-change', change: { code: 'resync-present', side: 'primary' } },
            { code: 'side-change', change: { code: 'resync-present', side: 'render' } },
          ],
        },
      });
      expect(plan.conflicts).toEqual([]);
    }
  });

  it('lets the primary’s state win: a copy held only on the backup is activated, one held only on the primary is blocked on the backup', () => {
    for (const conflict of ['primary', 'peer', 'none'] as const) {
      const heldOnPeer = resync({ primary: LICENSE, peer: aLicense({ status: 'blocked' }) }, { conflict });
      expect(writes(planCase(heldOnPeer))).toEqual(['render activate']);
      expect(afterPlan(heldOnPeer, planCase(heldOnPeer)).primary.licenses.get(ID)?.status).toBe('active');

      const heldOnPrimary = resync({ primary: aLicense({ status: 'blocked' }), peer: LICENSE }, { conflict });
      expect(writes(planCase(heldOnPrimary))).toEqual(['render block']);
    }
  });

  it('leaves an open copy that has expired next to a held one: both refuse clients already', () => {
    const plan = planCase(resync({ primary: aLicense({ end_date: daysFromToday(-1) }), peer: aLicense({ status: 'blocked' }) }));

    expect(plan.operations).toEqual([]);
  });

  it('denies a license only the backup lists: blocked there without --delete, deleted there with it; never copied to the primary', () => {
    for (const conflict of ['primary', 'peer'] as const) {
      const kept = planCase(resync({ peer: LICENSE }, { conflict }));
      expect(writes(kept)).toEqual(['render block']);
      expect(kept.skipped).toMatchObject([{ key: ID, reason: 'deletion-pending', deletedOn: 'primary', heldOn: 'render' }]);

      expect(writes(planCase(resync({ peer: LICENSE }, { conflict, delete: true })))).toEqual(['render delete-license']);
      expect(writes(planCase(resync({ peer: LICENSE }, { conflict, delete: true, maxDelete: 0 })))).toEqual(['render block']);
    }
    expect(planCase(resync({ peer: aLicense({ status: 'blocked' }) })).operations).toEqual([]);
  });

  it('writes nothing to the primary, whatever each side holds', () => {
    const primary = [aLicense({ device_id: 'P1' }), aLicense({ device_id: 'BOTH', status: 'blocked' }), aLicense({ device_id: 'OPEN', email: 'p@example.com' })];
    const peer = [aLicense({ device_id: 'R1' }), aLicense({ device_id: 'BOTH' }), aLicense({ device_id: 'OPEN', status: 'blocked', created_by: 'maria' })];
    for (const conflict of ['primary', 'peer', 'none'] as const) {
      for (const del of [false, true]) {
        const plan = planCase(resync({ primary, peer }, { conflict, delete: del }));
        expect(plan.operations.length).toBeGreaterThan(0);
        onlyOnPeer(plan);
      }
    }
  });

  it('creates users both ways', () => {
    const plan = planCase(resync({ primaryUsers: [aUser({ username: 'ana' })], peerUsers: [aUser({ username: 'bia' })] }));

    expect(plan.operations.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`)).toEqual(['render create-user user:ana', 'primary create-user user:bia']);
  });

  it('plans nothing on a converged pair, which is how a run verifies (with the keys --conflict none left, left alone)', () => {
    const left = aLicense({ device_id: 'LEFT-BY-NONE', email: 'p@example.com' });
    const primary = [LICENSE, aLicense({ device_id: 'EXPIRED', end_date: daysFromToday(-1) }), left];
    const peer = [aLicense({ end_date: daysFromToday(200) }), aLicense({ device_id: 'EXPIRED', end_date: daysFromToday(-1), status: 'blocked' }), { ...left, email: 'r@example.com' }];
    const now = { primary, peer };

    expect(planCase(resync(now)).operations.map((operation) => operation.key)).toEqual(['license:LEFT-BY-NONE']);
    expect(planCase(resync(now, { leaveAlone: new Set(['LEFT-BY-NONE']) }))).toMatchObject({ operations: [] });
  });
});
