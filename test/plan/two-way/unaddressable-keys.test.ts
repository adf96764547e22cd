import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unaddressableReason } from '../../../src/domain/addressable-key.js';
import { addDays } from '../../../src/domain/calendar-date.js';
import { overGrants, type Plan } from '../../../src/plan/plan-types.js';
import { twoWaySides } from '../../../src/plan/reasons.js';
import { baseFromSnapshots, carryBaseEntries, keysNotReconciled, pendingPeerDeletionsOf, type PairBase } from '../../../src/plan/two-way/pair-base.js';
import { planTwoWay } from '../../../src/plan/two-way/plan-two-way.js';
import type { LicenseRecord, Snapshot } from '../../../src/snapshot/records.js';
import { aLicense, subjectOf, TODAY } from '../support/records.js';
import { applyEdits, convergedPair, daysSinceLastRun, history, PEER, TODAY as ARB_TODAY, twoWayOptions } from '../support/two-way-arbitraries.js';
import { applyTwoWay, type ServerPair } from '../support/two-way-model.js';
import { afterPlan, baseOf, onBoth, OPTIONS, planCase, type Case } from '../support/two-way-cases.js';

// The two-way merge goes through the filter of issue 15 on both servers: a
// device_id no URL path reaches (a "/" in it) is never created on either
// server, and a copy that allows while the merged answer denies, which no
// call can block there, is an over-grant a person must close.

const SLASHED = 'ABC/123';
const TO_PRIMARY = twoWaySides(PEER, 'primary');
const TO_PEER = twoWaySides('primary', PEER);

/** The calls that name the license in the URL path. */
const PATH_CALLS = new Set(['create-license', 'block', 'activate', 'delete-license']);

function pathCallsOnUnaddressable(plan: Plan): string[] {
  return plan.operations
    .filter((operation) => PATH_CALLS.has(operation.kind) && unaddressableReason(subjectOf(operation)) !== null)
    .map((operation) => `${operation.server} ${operation.kind} ${subjectOf(operation)}`);
}

/** The plan of the next run, from the base a run records after this plan (carrying the keys it left out). */
function nextRun(example: Case, plan: Plan): Plan {
  const after = afterPlan(example, plan);
  const previous = example.base === null ? null : baseOf(example.base);
  const next = carryBaseEntries(baseFromSnapshots(after.primary, after.peer, pendingPeerDeletionsOf(plan, PEER)), previous, keysNotReconciled(plan));
  return planTwoWay(after.primary, after.peer, next, { ...OPTIONS, ...example.options }, example.today ?? TODAY);
}

describe('two-way plan of a license whose device_id no URL path reaches', () => {
  it('created on the backup during the outage: never created on the primary, skipped as not addressable, on this run and the next', () => {
    const license = aLicense({ device_id: SLASHED });
    const example: Case = { base: { primary: [], peer: [] }, now: { peer: license } };
    const plan = planCase(example);

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'not-addressable', why: 'slash', call: 'create', sides: TO_PRIMARY, source: 'allow' }]);
    expect(keysNotReconciled(plan)).toEqual(new Set([SLASHED]));
    // Its base entries carried, the next run reads the same change: not a deletion on the primary.
    const next = nextRun(example, plan);
    expect(next.operations).toEqual([]);
    expect(next.skipped).toEqual(plan.skipped);
  });

  it('created on the primary: never created on the backup, skipped as not addressable, on this run and the next', () => {
    const example: Case = { base: { primary: [], peer: [] }, now: { primary: aLicense({ device_id: SLASHED, status: 'blocked' }) } };
    const plan = planCase(example);

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'not-addressable', why: 'slash', call: 'create', sides: TO_PEER, source: 'deny:blocked' }]);
    expect(nextRun(example, plan).skipped).toEqual(plan.skipped);
  });

  it('blocked on the primary, open on the backup: an over-grant on the backup, nothing sent', () => {
    const open = aLicense({ device_id: SLASHED });
    const example: Case = { base: onBoth(open), now: { primary: aLicense({ device_id: SLASHED, status: 'blocked' }), peer: open } };
    const plan = planCase(example);

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'over-grant', why: 'slash', sides: TO_PEER, source: 'deny:blocked' }]);
    expect(overGrants(plan)).toHaveLength(1);
    expect(nextRun(example, plan).skipped).toEqual(plan.skipped);
  });

  it('blocked on the backup, open on the primary: the block wins, and the primary that cannot be blocked is the over-grant', () => {
    const open = aLicense({ device_id: SLASHED });
    const plan = planCase({ base: onBoth(open), now: { primary: open, peer: aLicense({ device_id: SLASHED, status: 'blocked' }) } });

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'over-grant', why: 'slash', sides: TO_PRIMARY, source: 'deny:blocked' }]);
  });

  it('deleted on the primary: the backup’s copy can be neither blocked nor deleted, said so, with the deletion pending', () => {
    const open = aLicense({ device_id: '..' });
    for (const del of [false, true]) {
      const plan = planCase({ base: onBoth(open), now: { peer: open }, options: { delete: del } });

      expect(plan.operations).toEqual([]);
      expect(plan.skipped).toContainEqual({ kind: 'license', key: '..', reason: 'not-addressable', why: 'dot-segment', call: del ? 'delete' : 'block', sides: TO_PEER, source: null });
    }
  });

  it('a deletion that cannot be sent takes no place within --max-delete', () => {
    const [slashed, plain] = [aLicense({ device_id: SLASHED }), aLicense({ device_id: 'PLAIN' })];
    const plan = planCase({ base: onBoth([slashed, plain]), now: { peer: [slashed, plain] }, options: { delete: true, maxDelete: 1 } });

    expect(plan.operations.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`)).toEqual(['render delete-license license:PLAIN']);
    expect(plan.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'not-addressable', why: 'slash', call: 'delete', sides: TO_PEER, source: null }]);
  });

  it('a resync: a backup-only license that cannot be blocked is said so; nothing goes to the primary', () => {
    const plan = planCase({ base: null, now: { primary: aLicense(), peer: [aLicense(), aLicense({ device_id: SLASHED })] } });

    expect(plan.operations).toEqual([]);
    expect(plan.skipped).toContainEqual({ kind: 'license', key: SLASHED, reason: 'not-addressable', why: 'slash', call: 'block', sides: TO_PEER, source: null });
  });

  it('the writes that carry the key in the body still go both ways (a merge of fields)', () => {
    const base = aLicense({ device_id: SLASHED });
    const plan = planCase({
      base: onBoth(base),
      now: { primary: aLicense({ device_id: SLASHED, email: 'novo@example.com' }), peer: aLicense({ device_id: SLASHED, created_by: 'maria' }) },
    });

    expect(plan.operations.map((operation) => `${operation.server} ${operation.kind}`)).toEqual(['primary update-created-by', 'render update-license']);
    expect(plan.skipped).toEqual([]);
  });
});

/** The pair with some device_ids given a "/" or made a dot segment, on both servers. */
function renamed(pair: ServerPair): ServerPair {
  const to: Record<string, string> = { K1: 'K/1', K2: '/K2', N1: 'N1/', K3: '..' };
  const side = (snapshot: Snapshot): Snapshot => ({
    ...snapshot,
    licenses: new Map([...snapshot.licenses].map(([id, license]): [string, LicenseRecord] => [to[id] ?? id, { ...license, device_id: to[id] ?? id }])),
  });
  return { primary: side(pair.primary), peer: side(pair.peer) };
}

describe('two-way plan over listings with unaddressable device_ids (property)', () => {
  it('never sends a call that names such a license in its path, on either server, on this run or the next', () => {
    const scenario = daysSinceLastRun.chain((days) => {
      const lastRun = addDays(ARB_TODAY, -days);
      const options = fc.tuple(fc.constantFrom('primary' as const, 'peer' as const, 'none' as const), fc.boolean()).chain(([conflict, withDelete]) => twoWayOptions(conflict, withDelete));
      return fc.record({ lastRun: fc.constant(lastRun), start: convergedPair(lastRun), edits: history, options });
    });
    fc.assert(
      fc.property(scenario, fc.boolean(), ({ lastRun, start, edits, options }, resync) => {
        const before = renamed(start);
        const edited = renamed(applyEdits(start, edits, ARB_TODAY, lastRun));
        const base: PairBase | null = resync ? null : baseFromSnapshots(before.primary, before.peer);
        const first = planTwoWay(edited.primary, edited.peer, base, options, ARB_TODAY);
        expect(pathCallsOnUnaddressable(first)).toEqual([]);

        const after = applyTwoWay(edited, first.operations, PEER, ARB_TODAY);
        for (const id of ['K/1', '/K2', 'N1/', '..']) {
          for (const server of ['primary', 'peer'] as const) {
            if (after[server].licenses.has(id)) expect(edited[server].licenses.has(id), `${id} created on ${server}`).toBe(true);
          }
        }
        const next = carryBaseEntries(baseFromSnapshots(after.primary, after.peer, pendingPeerDeletionsOf(first, PEER)), base, keysNotReconciled(first));
        const second = planTwoWay(after.primary, after.peer, next, options, ARB_TODAY);
        expect(pathCallsOnUnaddressable(second)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
