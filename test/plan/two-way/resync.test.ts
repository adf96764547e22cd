import { describe, expect, it } from 'vitest';
import { aLicense, aUser, daysFromToday } from '../support/records.js';
import { afterPlan, ID, planCase, writes, type Case } from '../support/two-way-cases.js';

// --resync (no base): the union of both sides, the primary winning every
// conflict whatever --conflict says, a held copy still winning, nothing deleted.

const LICENSE = aLicense();

function resync(now: Case['now'], options: Case['options'] = {}): Case {
  return { base: null, now, options };
}

describe('a resync (no base)', () => {
  it('creates on each side what only the other has', () => {
    const onPrimary = aLicense({ device_id: 'ONLY-ON-PRIMARY' });
    const onPeer = aLicense({ device_id: 'ONLY-ON-RENDER' });
    const plan = planCase(resync({ primary: onPrimary, peer: onPeer }));

    expect(plan.operations.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`)).toEqual([
      'render create-license license:ONLY-ON-PRIMARY',
      'primary create-license license:ONLY-ON-RENDER',
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it('lets the primary win a license that differs, even with --conflict peer or none', () => {
    for (const conflict of ['primary', 'peer', 'none'] as const) {
      const plan = planCase(resync({ primary: aLicense({ email: 'p@example.com' }), peer: aLicense({ email: 'r@example.com' }) }, { conflict }));

      expect(writes(plan)).toEqual(['render update-license']);
      expect(plan.conflicts).toEqual([
        {
          kind: 'created-on-both',
          key: ID,
          resolution: 'primary',
          changes: { primary: { code: 'resync-present', side: 'primary' }, peer: { code: 'resync-present', side: 'render' } },
          outcome: { code: 'won', winner: 'primary', policy: 'resync' },
        },
      ]);
    }
  });

  it('lets a held copy win: the open side is blocked, the primary included', () => {
    const example = resync({ primary: LICENSE, peer: aLicense({ status: 'blocked' }) });
    const plan = planCase(example);

    expect(writes(plan)).toEqual(['primary block']);
    expect(plan.conflicts).toMatchObject([{ kind: 'created-on-both', resolution: 'block' }]);
    expect(afterPlan(example, plan).primary.licenses.get(ID)?.status).toBe('blocked');
  });

  it('leaves an open copy that has expired next to a held one: both refuse clients already', () => {
    const plan = planCase(resync({ primary: aLicense({ end_date: daysFromToday(-1) }), peer: aLicense({ status: 'blocked' }) }));

    expect(plan.operations).toEqual([]);
  });

  it('deletes nothing, --delete or not', () => {
    const plan = planCase(resync({ peer: LICENSE }, { delete: true }));

    expect(writes(plan)).toEqual(['primary create-license']);
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
