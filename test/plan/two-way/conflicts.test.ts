import { describe, expect, it } from 'vitest';
import type { TwoWayOptions } from '../../../src/plan/two-way/plan-two-way.js';
import { aLicense, daysFromToday } from '../support/records.js';
import { afterPlan, ID, nextPlan, onBoth, planCase, writes, type Case } from '../support/two-way-cases.js';

// Rule 3: a license changed on both sides since the base is merged field by
// field: a field changed on one side only comes from that side; only a field
// both changed, to different values, is a conflict, which the policy
// (--conflict primary | peer | none) settles. A block always wins, under every
// policy, and a deletion on the primary always stands.

const BASE = aLicense();
type Policy = TwoWayOptions['conflict'];

function conflictCase(now: Case['now'], conflict: Policy, options: Partial<TwoWayOptions> = {}, base: Case['base'] = onBoth(BASE)): Case {
  return { base, now, options: { conflict, ...options } };
}

/** The one conflict of a plan, as kind and resolution. */
function settled(example: Case): { kind: string; resolution: string; writes: string[] } {
  const plan = planCase(example);
  expect(plan.conflicts).toHaveLength(1);
  const [conflict] = plan.conflicts;
  expect(conflict?.key).toBe(ID);
  return { kind: conflict?.kind ?? '', resolution: conflict?.resolution ?? '', writes: writes(plan) };
}

function statusAfter(example: Case): { primary?: string; peer?: string } {
  const after = afterPlan(example, planCase(example));
  const [primary, peer] = [after.primary.licenses.get(ID), after.peer.licenses.get(ID)];
  return { ...(primary && { primary: primary.status }), ...(peer && { peer: peer.status }) };
}

describe('both edited', () => {
  const now = { primary: aLicense({ email: 'primary@example.com' }), peer: aLicense({ email: 'render@example.com', created_by: 'maria' }) };

  it('--conflict primary: the email both changed comes from the primary, the owner only the peer changed from the peer', () => {
    const example = conflictCase(now, 'primary');
    const plan = planCase(example);

    expect(settled(example)).toEqual({ kind: 'both-edited', resolution: 'primary', writes: ['primary update-created-by', 'render update-license'] });
    expect(plan.operations[0]).toMatchObject({ server: 'primary', createdBy: 'maria' });
    expect(plan.operations[1]).toMatchObject({ server: 'render', body: { email: 'primary@example.com', created_by: 'maria' } });
    expect(afterPlan(example, plan).primary.licenses.get(ID)).toMatchObject({ email: 'primary@example.com', created_by: 'maria' });
    expect(plan.conflicts[0]?.changes).toEqual({
      primary: { code: 'edited', side: 'primary', content: ['email'], owner: null, held: null, opened: false, renewed: false },
      peer: { code: 'edited', side: 'render', content: ['email'], owner: { before: 'admin', after: 'maria' }, held: null, opened: false, renewed: false },
    });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('--conflict peer: the peer’s version is written on the primary', () => {
    const example = conflictCase(now, 'peer');
    const plan = planCase(example);

    expect(settled(example)).toEqual({ kind: 'both-edited', resolution: 'peer', writes: ['primary update-license'] });
    expect(plan.operations[0]).toMatchObject({ body: { email: 'render@example.com', created_by: 'maria' } });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('--conflict none: nothing is written, the conflict is left', () => {
    const example = conflictCase(now, 'none');

    expect(settled(example)).toEqual({ kind: 'both-edited', resolution: 'left', writes: [] });
    expect(nextPlan(example, planCase(example)).operations).toEqual([]);
  });

  it('--conflict none still blocks a peer that allows what the primary denies (the safety net)', () => {
    // Held on both at the base; the primary edits the email, the peer unblocks it and edits the email otherwise.
    const held = aLicense({ status: 'blocked' });
    const example = conflictCase({ primary: aLicense({ status: 'blocked', email: 'a@example.com' }), peer: aLicense({ email: 'b@example.com' }) }, 'none', {}, onBoth(held));
    const plan = planCase(example);

    expect(settled(example)).toEqual({ kind: 'both-edited', resolution: 'left', writes: ['render block'] });
    expect(plan.operations[0]?.reason).toMatchObject({ code: 'merged', cause: [{ code: 'conflict-left' }], step: { code: 'primary-denies-peer-allows' } });
    expect(statusAfter(example)).toEqual({ primary: 'blocked', peer: 'blocked' });
  });

  it('a field changed on one side only is no conflict: each side gets the other’s change, under every policy', () => {
    for (const conflict of ['primary', 'peer', 'none'] as const) {
      const example = conflictCase({ primary: aLicense({ email: 'novo@example.com' }), peer: aLicense({ owner_name: 'Maria Souza' }) }, conflict);
      const plan = planCase(example);

      expect(plan.conflicts).toEqual([]);
      expect(writes(plan)).toEqual(['primary update-license', 'render update-license']);
      expect(plan.operations[0]?.reason).toMatchObject({ code: 'merged', cause: expect.arrayContaining([{ code: 'fields-merged' }]) as unknown });
      const after = afterPlan(example, plan);
      for (const side of [after.primary, after.peer]) expect(side.licenses.get(ID)).toMatchObject({ email: 'novo@example.com', owner_name: 'Maria Souza' });
      expect(nextPlan(example, plan).operations).toEqual([]);
    }
  });

  it('equal on both sides after the edits is no conflict', () => {
    const same = aLicense({ email: 'same@example.com' });
    const plan = planCase(conflictCase({ primary: same, peer: same }, 'none'));

    expect(plan.conflicts).toEqual([]);
    expect(plan.operations).toEqual([]);
  });
});

describe('block vs edit', () => {
  const blockedOnPrimary = { primary: aLicense({ status: 'blocked' }), peer: aLicense({ email: 'novo@example.com', created_by: 'maria' }) };
  const blockedOnPeer = { primary: aLicense({ email: 'novo@example.com', created_by: 'maria' }), peer: aLicense({ status: 'blocked' }) };

  it('--conflict primary: the peer is blocked; the owner stays the primary’s', () => {
    const example = conflictCase(blockedOnPrimary, 'primary');

    expect(settled(example)).toEqual({ kind: 'block-vs-edit', resolution: 'block', writes: ['render block', 'render update-created-by'] });
    expect(statusAfter(example)).toEqual({ primary: 'blocked', peer: 'blocked' });
    expect(afterPlan(example, planCase(example)).peer.licenses.get(ID)?.created_by).toBe('admin');
    expect(nextPlan(example, planCase(example)).operations).toEqual([]);
  });

  it('--conflict peer: the peer is blocked all the same; its owner goes to the primary, its content cannot (it would re-open)', () => {
    const example = conflictCase(blockedOnPrimary, 'peer');
    const plan = planCase(example);

    expect(settled(example)).toEqual({ kind: 'block-vs-edit', resolution: 'block', writes: ['primary update-created-by', 'render block'] });
    expect(plan.drift.map((item) => item.kind)).toContain('license-content-while-denied');
    expect(statusAfter(example)).toEqual({ primary: 'blocked', peer: 'blocked' });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it('--conflict none: only the block is written', () => {
    const example = conflictCase(blockedOnPrimary, 'none');

    expect(settled(example)).toEqual({ kind: 'block-vs-edit', resolution: 'block', writes: ['render block'] });
    expect(nextPlan(example, planCase(example)).operations).toEqual([]);
  });

  it.each(['primary', 'peer', 'none'] as const)('blocked on the peer, --conflict %s: the primary is blocked', (policy) => {
    const example = conflictCase(blockedOnPeer, policy);

    expect(settled(example)).toMatchObject({ kind: 'block-vs-edit', resolution: 'block' });
    expect(writes(planCase(example))).toContain('primary block');
    expect(writes(planCase(example))).not.toContain('render update-license');
    expect(statusAfter(example)).toEqual({ primary: 'blocked', peer: 'blocked' });
  });

  it('a renewal on the other side is an edit too: the block still wins', () => {
    const renewed = aLicense({ start_date: daysFromToday(0), end_date: daysFromToday(365) });
    const example = conflictCase({ primary: aLicense({ status: 'blocked' }), peer: renewed }, 'peer');

    expect(settled(example)).toEqual({ kind: 'block-vs-edit', resolution: 'block', writes: ['render block'] });
  });
});

describe('block vs unblock', () => {
  // The base left the primary open and the peer blocked; now the primary blocked it and the peer unblocked it.
  const base = { primary: BASE, peer: aLicense({ status: 'blocked' }) };
  const now = { primary: aLicense({ status: 'blocked' }), peer: BASE };

  it.each(['primary', 'peer', 'none'] as const)('--conflict %s: the block wins, the peer is blocked again', (policy) => {
    const example = conflictCase(now, policy, {}, base);
    const plan = planCase(example);

    expect(settled(example)).toEqual({ kind: 'block-vs-unblock', resolution: 'block', writes: ['render block'] });
    expect(plan.operations[0]?.reason).toMatchObject({ code: 'merged', cause: expect.arrayContaining([{ code: 'block-wins' }]) as unknown });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });

  it.each(['primary', 'peer', 'none'] as const)('the other way round, --conflict %s: the primary is blocked again', (policy) => {
    const example = conflictCase({ primary: BASE, peer: aLicense({ status: 'blocked' }) }, policy, {}, { primary: aLicense({ status: 'blocked' }), peer: BASE });

    expect(settled(example)).toEqual({ kind: 'block-vs-unblock', resolution: 'block', writes: ['primary block'] });
  });
});

describe('block vs activation of a pending license', () => {
  // Pending on both at the base: the primary activates it, a reseller on the peer blocks it (a clone).
  const pending = onBoth(aLicense({ status: 'pending' }));
  const now = { primary: aLicense({ status: 'active' }), peer: aLicense({ status: 'blocked' }) };

  it.each(['primary', 'peer', 'none'] as const)('--conflict %s: blocking a pending license is a block made, and it wins', (policy) => {
    const example = conflictCase(now, policy, {}, pending);
    const plan = planCase(example);

    expect(settled(example)).toEqual({ kind: 'block-vs-unblock', resolution: 'block', writes: ['primary block'] });
    expect(statusAfter(example)).toEqual({ primary: 'blocked', peer: 'blocked' });
    expect(nextPlan(example, plan).operations).toEqual([]);
  });
});

describe('deleted vs edited', () => {
  const deletedOnPrimary = { peer: aLicense({ email: 'novo@example.com' }) };
  const deletedOnPeer = { primary: aLicense({ email: 'novo@example.com' }) };

  it.each(['primary', 'peer', 'none'] as const)('deleted on the primary, --conflict %s, with --delete: the deletion stands, the peer’s copy is deleted', (policy) => {
    const example = conflictCase(deletedOnPrimary, policy, { delete: true });

    expect(settled(example)).toEqual({ kind: 'deleted-vs-edited', resolution: 'primary', writes: ['render delete-license'] });
    expect(planCase(example).conflicts[0]?.outcome).toEqual({ code: 'won-deleted-too', winner: 'primary', policy, deletedOn: 'render' });
    expect(statusAfter(example)).toEqual({});
  });

  it.each(['primary', 'peer', 'none'] as const)(
    'deleted on the primary, --conflict %s, without --delete: the deletion stands, the peer’s copy is blocked and the deletion left pending, never restored on the primary',
    (policy) => {
      const example = conflictCase(deletedOnPrimary, policy);
      const plan = planCase(example);

      expect(settled(example)).toEqual({ kind: 'deleted-vs-edited', resolution: 'primary', writes: ['render block'] });
      expect(plan.conflicts[0]?.outcome).toEqual({ code: 'won-held', winner: 'primary', heldOn: 'render', why: { code: 'no-delete' } });
      expect(plan.operations[0]?.reason).toMatchObject({ code: 'merged', cause: expect.arrayContaining([{ code: 'primary-deletion-stands' }]) as unknown });
      expect(plan.skipped).toEqual([{ kind: 'license', key: ID, reason: 'deletion-pending', deletedOn: 'primary', heldOn: 'render', why: { code: 'no-delete' } }]);
      expect(statusAfter(example)).toEqual({ peer: 'blocked' });
      expect(nextPlan(example, plan).operations).toEqual([]);
    },
  );

  it('deleted on the primary, over --max-delete: the peer’s copy is blocked, the detail says why', () => {
    const example = conflictCase(deletedOnPrimary, 'peer', { delete: true, maxDelete: 0 });

    expect(settled(example)).toEqual({ kind: 'deleted-vs-edited', resolution: 'primary', writes: ['render block'] });
    expect(planCase(example).conflicts[0]?.outcome).toEqual({ code: 'won-held', winner: 'primary', heldOn: 'render', why: { code: 'over-max-delete', deletions: 1, maxDelete: 0 } });
  });

  it('deleted on the peer, --conflict primary: the primary’s edit is restored on the peer', () => {
    expect(settled(conflictCase(deletedOnPeer, 'primary', { delete: true }))).toEqual({ kind: 'deleted-vs-edited', resolution: 'primary', writes: ['render create-license'] });
  });

  it('deleted on the peer, --conflict peer, with --delete: deleted on the primary too', () => {
    expect(settled(conflictCase(deletedOnPeer, 'peer', { delete: true }))).toEqual({ kind: 'deleted-vs-edited', resolution: 'peer', writes: ['primary delete-license'] });
  });

  it('deleted on the peer, --conflict peer, over --max-delete: restored on the peer', () => {
    const example = conflictCase(deletedOnPeer, 'peer', { delete: true, maxDelete: 0 });

    expect(settled(example)).toEqual({ kind: 'deleted-vs-edited', resolution: 'primary', writes: ['render create-license'] });
    expect(planCase(example).operations[0]?.reason).toMatchObject({
      code: 'merged',
      cause: expect.arrayContaining([{ code: 'restored', why: { code: 'over-max-delete', deletions: 1, maxDelete: 0 } }]) as unknown,
    });
  });

  it('deleted on the peer, --conflict none: left', () => {
    expect(settled(conflictCase(deletedOnPeer, 'none', { delete: true }))).toEqual({ kind: 'deleted-vs-edited', resolution: 'left', writes: [] });
  });

  it('blocked on one side and deleted on the other is restored held when the blocked side wins', () => {
    const example = conflictCase({ primary: aLicense({ status: 'blocked' }) }, 'primary');

    expect(settled(example)).toEqual({ kind: 'deleted-vs-edited', resolution: 'primary', writes: ['render create-license'] });
    expect(statusAfter(example)).toEqual({ primary: 'blocked', peer: 'blocked' });
  });
});

describe('created on both', () => {
  const now = { primary: aLicense({ owner_name: 'Na Primaria' }), peer: aLicense({ owner_name: 'No Render' }) };

  it.each([
    ['primary', 'primary', ['render update-license']],
    ['peer', 'peer', ['primary update-license']],
    ['none', 'left', []],
  ] as const)('--conflict %s', (policy, resolution, expected) => {
    expect(settled(conflictCase(now, policy, {}, {}))).toEqual({ kind: 'created-on-both', resolution, writes: expected });
  });

  it.each(['primary', 'peer', 'none'] as const)('held on one side, --conflict %s: the other is blocked', (policy) => {
    const example = conflictCase({ primary: aLicense({ status: 'blocked' }), peer: aLicense() }, policy, {}, {});

    expect(settled(example)).toMatchObject({ kind: 'created-on-both', resolution: 'block' });
    expect(statusAfter(example)).toEqual({ primary: 'blocked', peer: 'blocked' });
  });

  it('equal on both sides is no conflict', () => {
    expect(planCase(conflictCase(onBoth(BASE), 'none', {}, {}))).toMatchObject({ operations: [], conflicts: [] });
  });
});
