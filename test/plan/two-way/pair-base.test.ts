import { describe, expect, it } from 'vitest';
import { baseFromSnapshots, baseLicenseOf, carryBaseEntries, keysNotReconciled, pendingPeerDeletionsOf, type PairBase } from '../../../src/plan/two-way/pair-base.js';
import { twoWaySides, type SideChangeFacts } from '../../../src/plan/reasons.js';
import { planTwoWay } from '../../../src/plan/two-way/plan-two-way.js';
import { aLicense, aRejected, snapshotOf, TODAY } from '../support/records.js';
import { onBoth, OPTIONS, pairOf, planCase } from '../support/two-way-cases.js';

const LICENSE = aLicense({ last_seen_at: '2025-06-01 10:00:00', custom_interval: 30 });

describe('baseLicenseOf', () => {
  it('keeps the fields a write sets, the status and the dates, and nothing else', () => {
    expect(baseLicenseOf(LICENSE)).toEqual({
      owner_name: LICENSE.owner_name,
      cpf: LICENSE.cpf,
      email: LICENSE.email,
      address: LICENSE.address,
      license_type: LICENSE.license_type,
      created_by: LICENSE.created_by,
      status: LICENSE.status,
      start_date: LICENSE.start_date,
      end_date: LICENSE.end_date,
    });
  });
});

describe('baseFromSnapshots', () => {
  it('records each side’s licenses by device_id', () => {
    const peer = aLicense({ device_id: 'ON-PEER', status: 'blocked' });
    const base = baseFromSnapshots(snapshotOf({ licenses: [LICENSE] }), snapshotOf({ licenses: [peer] }));

    expect([...base.primary.licenses.keys()]).toEqual([LICENSE.device_id]);
    expect(base.peer.licenses.get('ON-PEER')).toEqual(baseLicenseOf(peer));
  });

  it('leaves rejected (unreadable) records out', () => {
    const base = baseFromSnapshots(
      snapshotOf({ licenses: [LICENSE], rejected: [aRejected({ kind: 'license', key: LICENSE.device_id })] }),
      snapshotOf({ rejected: [aRejected({ kind: 'license', key: 'X' })] }),
    );

    expect(base.primary.licenses.size).toBe(0);
    expect(base.peer.licenses.size).toBe(0);
  });
});

describe('carryBaseEntries', () => {
  const previous: PairBase = baseFromSnapshots(snapshotOf({ licenses: [LICENSE] }), snapshotOf({}));
  const next: PairBase = baseFromSnapshots(snapshotOf({ licenses: [aLicense({ email: 'new@example.com' })] }), snapshotOf({ licenses: [LICENSE] }));

  it('keeps the previous entries of the given keys on both sides, absence included', () => {
    const carried = carryBaseEntries(next, previous, [LICENSE.device_id]);

    expect(carried.primary.licenses.get(LICENSE.device_id)).toEqual(baseLicenseOf(LICENSE));
    expect(carried.peer.licenses.has(LICENSE.device_id)).toBe(false);
  });

  it('keeps a carried key’s pending deletion as the previous base had it, and the next base’s for every other key', () => {
    const withPending = (base: PairBase, keys: string[]): PairBase => ({ ...base, pendingPeerDeletions: new Set(keys) });
    const carried = carryBaseEntries(withPending(next, ['OTHER', 'DROPPED']), withPending(previous, [LICENSE.device_id]), [LICENSE.device_id, 'DROPPED']);

    expect([...(carried.pendingPeerDeletions ?? [])].sort()).toEqual([LICENSE.device_id, 'OTHER'].sort());
  });

  it('keeps the peer’s pending deletion through a run that could not read the license, for the later run with --delete', () => {
    // Run 1 (no --delete) restored the peer's deletion: pending. Run 2 cannot read the peer's copy. Run 3 has --delete.
    const other = aLicense({ device_id: 'OTHER-DEVICE' });
    const base1: PairBase = { ...baseFromSnapshots(snapshotOf({ licenses: [LICENSE, other] }), snapshotOf({ licenses: [LICENSE, other] })), pendingPeerDeletions: new Set([LICENSE.device_id]) };
    const unreadable = [aRejected({ kind: 'license', key: LICENSE.device_id })];
    const read2 = pairOf({ primary: [LICENSE, other], peer: [other], peerRejected: unreadable });
    const plan2 = planTwoWay(read2.primary, read2.peer, base1, OPTIONS, TODAY);
    expect(plan2.operations).toEqual([]);
    const base2 = carryBaseEntries(baseFromSnapshots(read2.primary, read2.peer, pendingPeerDeletionsOf(plan2, 'render')), base1, keysNotReconciled(plan2));

    const now = pairOf(onBoth([LICENSE, other]));
    const plan3 = planTwoWay(now.primary, now.peer, base2, { ...OPTIONS, delete: true }, TODAY);
    expect(plan3.operations.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`).sort()).toEqual([
      `primary delete-license license:${LICENSE.device_id}`,
      `render delete-license license:${LICENSE.device_id}`,
    ]);
  });

  it('changes nothing else, and drops the keys when there was no previous base', () => {
    expect(carryBaseEntries(next, previous, [])).toEqual(next);
    expect(carryBaseEntries(next, null, [LICENSE.device_id]).primary.licenses.size).toBe(0);
  });

  it('makes the next run see an edit made while the other side was unreadable as the edit it is', () => {
    // Run 1: the peer's copy is unreadable, so the primary's edit is not copied.
    const edited = aLicense({ email: 'edited@example.com' });
    const unreadable = [aRejected({ kind: 'license', key: LICENSE.device_id })];
    const plan1 = planCase({ base: onBoth(LICENSE), now: { primary: edited, peer: LICENSE, peerRejected: unreadable } });
    expect(plan1.operations).toEqual([]);
    const base0 = baseFromSnapshots(snapshotOf({ licenses: [LICENSE] }), snapshotOf({ licenses: [LICENSE] }));
    const recorded = baseFromSnapshots(snapshotOf({ licenses: [edited] }), snapshotOf({ rejected: unreadable }));

    // Run 2, the peer readable again. From the carried base the primary edited it, and the edit goes to the peer;
    // from the plain base the peer would seem to have created it, and its stale copy would overwrite the edit.
    const now = pairOf({ primary: edited, peer: LICENSE });
    const carried = planTwoWay(now.primary, now.peer, carryBaseEntries(recorded, base0, keysNotReconciled(plan1)), OPTIONS, TODAY);
    expect(carried.operations).toMatchObject([{ server: 'render', kind: 'update-license', body: { email: 'edited@example.com' } }]);
    const plain = planTwoWay(now.primary, now.peer, recorded, OPTIONS, TODAY);
    expect(plain.operations).toMatchObject([{ server: 'primary', kind: 'update-license', body: { email: LICENSE.email } }]);
  });
});

describe('keysNotReconciled', () => {
  const edited = (side: string): SideChangeFacts => ({ code: 'edited', side, content: ['email'], owner: null, held: null, opened: false, renewed: false });
  const BOTH_EDITED = { primary: edited('primary'), peer: edited('render') };

  it('lists licenses skipped as unreadable, with creations or deletions suspended, or with a write no URL path can carry, and nothing else', () => {
    const keys = keysNotReconciled({
      operations: [],
      drift: [],
      skipped: [
        { kind: 'license', key: 'A', reason: 'unreadable', bothSides: true },
        { kind: 'license', key: 'B', reason: 'creations-suspended', keyless: 1, sides: twoWaySides('primary', 'render') },
        { kind: 'license', key: 'C', reason: 'deletions-suspended', keyless: 1, goneFrom: 'render' },
        { kind: 'user', key: 'maria', reason: 'unreadable', bothSides: true },
        { kind: 'license', key: 'F/1', reason: 'not-addressable', why: 'slash', call: 'create', sides: twoWaySides('render', 'primary'), source: 'allow' },
        { kind: 'license', key: 'G/1', reason: 'over-grant', why: 'slash', sides: twoWaySides('primary', 'render'), source: 'deny:blocked' },
        { kind: 'license', key: 'H', reason: 'deletion-pending', deletedOn: 'render', heldOn: null, why: { code: 'no-delete' } },
      ],
      conflicts: [
        { kind: 'both-edited', key: 'D', resolution: 'left', changes: BOTH_EDITED, outcome: { code: 'left' } },
        { kind: 'both-edited', key: 'E', resolution: 'primary', changes: BOTH_EDITED, outcome: { code: 'won', winner: 'primary', policy: 'primary' } },
      ],
    });

    expect([...keys].sort()).toEqual(['A', 'B', 'C', 'F/1', 'G/1']);
  });
});
