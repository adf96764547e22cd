import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type CalendarDate } from '../../../src/domain/calendar-date.js';
import { subjectOf as subject } from '../support/records.js';
import type { Plan } from '../../../src/plan/plan-types.js';
import { baseFromSnapshots, carryBaseEntries, keysNotReconciled, pendingPeerDeletionsOf } from '../../../src/plan/two-way/pair-base.js';
import { planTwoWay, type TwoWayOptions } from '../../../src/plan/two-way/plan-two-way.js';
import { LICENSE_CONTENT_FIELDS, type LicenseRecord } from '../../../src/snapshot/records.js';
import { applyEdits, convergedPair, daysSinceLastRun, DEVICE_IDS, history, PEER, TODAY, twoWayOptions, type Edit } from '../support/two-way-arbitraries.js';
import { allows, applyTwoWay, divergences, isHeld, type ServerPair } from '../support/two-way-model.js';

// The acceptance property of the two-way planner: from a pair the last run left
// converged, whatever resellers did on each side since, one run converges the
// pair without losing a one-sided change or a field edited on one side only,
// never gives the primary back a license it deleted, never leaves the peer
// allowing what the primary denies, and the next run plans nothing.

const RUNS = { numRuns: 300 };

interface Scenario {
  readonly lastRun: CalendarDate;
  readonly start: ServerPair;
  readonly edits: readonly Edit[];
  readonly options: TwoWayOptions;
}

function scenario(conflict: TwoWayOptions['conflict'], withDelete: boolean): fc.Arbitrary<Scenario> {
  return daysSinceLastRun.chain((days) => {
    const lastRun = addDays(TODAY, -days);
    return fc.record({ lastRun: fc.constant(lastRun), start: convergedPair(lastRun), edits: history, options: twoWayOptions(conflict, withDelete) });
  });
}

type Presence = 'present' | 'absent';

/** What one side did to a license between the start and the plan, judged from the records alone. */
interface Done {
  readonly created: boolean;
  readonly deleted: boolean;
  readonly blocked: boolean;
  readonly edited: boolean;
  readonly changed: boolean;
}

function done(before: LicenseRecord | undefined, after: LicenseRecord | undefined): Done {
  const presence = (record: LicenseRecord | undefined): Presence => (record === undefined ? 'absent' : 'present');
  const [was, is] = [presence(before), presence(after)];
  const edited = before !== undefined && after !== undefined && (LICENSE_CONTENT_FIELDS.some((field) => before[field] !== after[field]) || before.created_by !== after.created_by);
  // A block made: blocked now and not before, or pending now and open before (blocking a pending license counts).
  const madeBlock = (was: LicenseRecord, is: LicenseRecord) => (is.status === 'blocked' ? was.status !== 'blocked' : is.status === 'pending' && was.status === 'active');
  const statusMoved = (was: LicenseRecord, is: LicenseRecord) => was.status !== is.status && !(was.status === 'blocked' && is.status === 'pending');
  const blocked = after !== undefined && (before === undefined ? isHeld(after) : madeBlock(before, after));
  const changed =
    was !== is ||
    (before !== undefined &&
      after !== undefined &&
      (edited || statusMoved(before, after) || before.start_date !== after.start_date || before.end_date !== after.end_date));
  return { created: was === 'absent' && is === 'present', deleted: was === 'present' && is === 'absent', blocked, edited, changed };
}

interface Runs {
  readonly edited: ServerPair;
  readonly first: Plan;
  readonly after: ServerPair;
  readonly second: Plan;
  readonly leftAlone: ReadonlySet<string>;
}

function runTwice({ lastRun, start, edits, options }: Scenario): Runs {
  const base = baseFromSnapshots(start.primary, start.peer);
  const edited = applyEdits(start, edits, TODAY, lastRun);
  const first = planTwoWay(edited.primary, edited.peer, base, options, TODAY);
  const after = applyTwoWay(edited, first.operations, PEER, TODAY);
  const second = planTwoWay(after.primary, after.peer, baseFromSnapshots(after.primary, after.peer, pendingPeerDeletionsOf(first, PEER)), options, TODAY);
  const leftAlone = new Set(options.conflict === 'none' ? first.conflicts.map((conflict) => conflict.key) : []);
  return { edited, first, after, second, leftAlone };
}

/** Everything wrong with a run, in words: empty when it did its job. */
function problems(input: Scenario): string[] {
  const { start, options } = input;
  const { edited, first, after, second, leftAlone } = runTwice(input);
  const found: string[] = [];
  const ops = (plan: Plan) => plan.operations.map((operation) => `${operation.server} ${operation.kind} ${subject(operation)}: ${JSON.stringify(operation.reason)}`);
  found.push(...ops(second).map((line) => `second run: ${line}`));

  const deletions = new Set(first.operations.filter((operation) => operation.kind === 'delete-license').map(subject));
  if (!options.delete && deletions.size > 0) found.push(`deleted without --delete: ${[...deletions].join(', ')}`);
  if (deletions.size > options.maxDelete) found.push(`${deletions.size} licenses deleted, over --max-delete ${options.maxDelete}`);

  for (const deviceId of DEVICE_IDS) {
    const byPrimary = done(start.primary.licenses.get(deviceId), edited.primary.licenses.get(deviceId));
    const byPeer = done(start.peer.licenses.get(deviceId), edited.peer.licenses.get(deviceId));
    const now = [after.primary.licenses.get(deviceId), after.peer.licenses.get(deviceId)].filter((license) => license !== undefined);
    const writes = first.operations.filter((operation) => subject(operation) === deviceId);

    if (byPrimary.blocked || byPeer.blocked) {
      // A block always wins: never undone, and held wherever the license still is.
      for (const license of now) if (!isHeld(license)) found.push(`${deviceId}: blocked on one side since the base, open after the run`);
      for (const write of writes) {
        if (write.kind === 'activate' || write.kind === 'update-license' || (write.kind === 'create-license' && write.thenBlock === null)) {
          found.push(`${deviceId}: blocked since the base, yet ${write.kind} on ${write.server}`);
        }
      }
    }
    const primaryAfter = after.primary.licenses.get(deviceId);
    const peerAfter = after.peer.licenses.get(deviceId);
    if (byPrimary.deleted && primaryAfter !== undefined) found.push(`${deviceId}: deleted on the primary, re-created there`);
    if (peerAfter !== undefined && allows(peerAfter, TODAY) && (primaryAfter === undefined || !allows(primaryAfter, TODAY))) {
      found.push(`${deviceId}: denied by the primary, allowed by the peer after the run`);
    }
    if (leftAlone.has(deviceId)) continue;
    found.push(...divergences(after, deviceId, TODAY));
    found.push(...fieldEditsLost(deviceId, start, edited, after));

    for (const [mine, theirs, side] of [
      [byPrimary, byPeer, 'primary'],
      [byPeer, byPrimary, 'peer'],
    ] as const) {
      if (theirs.changed) continue;
      const source = edited[side].licenses.get(deviceId);
      if (mine.created && now.length !== 2) found.push(`${deviceId}: created on ${side} only, not on both after the run`);
      if (mine.edited && source !== undefined) {
        for (const license of now) {
          if (license.created_by !== source.created_by) found.push(`${deviceId}: owner edited on ${side} to ${source.created_by}, ${license.created_by} after the run`);
          if (allows(source, TODAY) && LICENSE_CONTENT_FIELDS.some((field) => license[field] !== source[field])) {
            found.push(`${deviceId}: content edited on ${side} lost`);
          }
        }
      }
      if (mine.deleted && !options.delete && side === 'peer' && now.length !== 2) found.push(`${deviceId}: deleted on the peer without --delete, yet not restored`);
    }
  }

  for (const username of new Set([...edited.primary.users.keys(), ...edited.peer.users.keys()])) {
    const onBoth = after.primary.users.has(username) && after.peer.users.has(username);
    if (options.newUsers === 'create' && !onBoth) found.push(`user ${username}: not on both sides`);
  }
  return found;
}

/**
 * Fields that one side alone edited on a license both sides still hold and
 * allow, before and after the run, that came out otherwise (an edit on one side is a change of
 * content or owner, not a block or a deletion).
 */
function fieldEditsLost(deviceId: string, start: ServerPair, edited: ServerPair, after: ServerPair): string[] {
  const copies = (pair: ServerPair) => [pair.primary.licenses.get(deviceId), pair.peer.licenses.get(deviceId)] as const;
  const [startPrimary, startPeer] = copies(start);
  const [editedPrimary, editedPeer] = copies(edited);
  const [afterPrimary, afterPeer] = copies(after);
  if ([startPrimary, startPeer, editedPrimary, editedPeer, afterPrimary, afterPeer].some((license) => license === undefined)) return [];
  const [p0, b0, p1, b1, pa, ba] = [startPrimary, startPeer, editedPrimary, editedPeer, afterPrimary, afterPeer] as [LicenseRecord, LicenseRecord, LicenseRecord, LicenseRecord, LicenseRecord, LicenseRecord];
  if ([p1, b1, pa, ba].some((license) => !allows(license, TODAY))) return [];
  const lost: string[] = [];
  for (const field of [...LICENSE_CONTENT_FIELDS, 'created_by'] as const) {
    const [byPrimary, byPeer] = [p1[field] !== p0[field], b1[field] !== b0[field]];
    if (byPrimary === byPeer) continue;
    const wanted = byPrimary ? p1[field] : b1[field];
    if (pa[field] !== wanted || ba[field] !== wanted) lost.push(`${deviceId}: ${field} edited on ${byPrimary ? 'the primary' : 'the peer'} only, lost`);
  }
  return lost;
}

describe('two-way plan, from a converged pair after arbitrary edits on both sides', () => {
  it('starts from pairs that are converged: planned on the day of the last run, they need nothing; without a base, nothing is written on the primary', () => {
    fc.assert(
      fc.property(scenario('primary', false), ({ lastRun, start, options }) => {
        const base = baseFromSnapshots(start.primary, start.peer);
        expect(planTwoWay(start.primary, start.peer, base, options, lastRun).operations).toEqual([]);
        expect(planTwoWay(start.primary, start.peer, null, options, lastRun).operations.filter((operation) => operation.server === 'primary')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  for (const conflict of ['primary', 'peer', 'none'] as const) {
    for (const withDelete of [false, true]) {
      it(`converges in one run, keeps one-sided changes, then plans nothing (--conflict ${conflict}${withDelete ? ', --delete' : ''})`, () => {
        fc.assert(
          fc.property(scenario(conflict, withDelete), (input) => {
            expect(problems(input)).toEqual([]);
          }),
          RUNS,
        );
      });
    }
  }
});

describe('two-way plan, over listings with unreadable records', () => {
  /** Some licenses unreadable on a side (listed, but rejected), and sometimes a record with no readable device_id. */
  const damage = fc.record({
    primary: fc.subarray([...DEVICE_IDS], { maxLength: 2 }),
    peer: fc.subarray([...DEVICE_IDS], { maxLength: 2 }),
    keylessPrimary: fc.boolean(),
    keylessPeer: fc.boolean(),
  });

  function damaged(pair: ServerPair, keys: { primary: string[]; peer: string[] }, keyless: { primary: boolean; peer: boolean }): ServerPair {
    const side = (snapshot: ServerPair['primary'], unreadable: string[], withKeyless: boolean) => ({
      users: snapshot.users,
      licenses: new Map([...snapshot.licenses].filter(([id]) => !unreadable.includes(id))),
      rejected: [
        ...unreadable.map((key, index) => ({ kind: 'license' as const, key, index, reason: 'status: invalid' })),
        ...(withKeyless ? [{ kind: 'license' as const, key: null, index: 99, reason: 'device_id: required' }] : []),
      ],
    });
    return { primary: side(pair.primary, keys.primary, keyless.primary), peer: side(pair.peer, keys.peer, keyless.peer) };
  }

  it('never writes an unreadable key, never creates on a side with keyless records, never reads an absence there as a deletion', () => {
    fc.assert(
      fc.property(scenario('primary', true), damage, (input, hurt) => {
        const base = baseFromSnapshots(input.start.primary, input.start.peer);
        const edited = damaged(applyEdits(input.start, input.edits, TODAY, input.lastRun), hurt, { primary: hurt.keylessPrimary, peer: hurt.keylessPeer });
        const plan = planTwoWay(edited.primary, edited.peer, base, input.options, TODAY);
        const unreadable = new Set<string>([...hurt.primary, ...hurt.peer]);
        const keyless = { primary: hurt.keylessPrimary, [PEER]: hurt.keylessPeer } as Record<string, boolean>;

        for (const operation of plan.operations) {
          const id = subject(operation);
          if (operation.kind === 'create-user') continue;
          expect(unreadable.has(id), `${operation.kind} ${id}`).toBe(false);
          if (operation.kind === 'create-license') expect(keyless[operation.server], `${operation.server} create ${id}`).toBe(false);
          for (const [sideName, snapshot, hidden] of [
            ['primary', edited.primary, hurt.keylessPrimary],
            ['peer', edited.peer, hurt.keylessPeer],
          ] as const) {
            const gone = base[sideName].licenses.has(id) && !snapshot.licenses.has(id);
            if (hidden && gone) expect.fail(`${operation.server} ${operation.kind} ${id}: gone from the ${sideName}, which has keyless records`);
          }
        }
        for (const key of unreadable) expect(plan.skipped).toContainEqual(expect.objectContaining({ kind: 'license', key, reason: 'unreadable' }));
        // The servers accept every write (nothing aimed at a license that is not there, or a user that is).
        applyTwoWay(edited, plan.operations, PEER, TODAY);
      }),
      RUNS,
    );
  });

  it('converges on the run after the records are readable again, from a base that carried the keys left out, and keeps the deletions left pending', () => {
    fc.assert(
      fc.property(scenario('primary', true), damage, (input, hurt) => {
        const { start, edits, options, lastRun } = input;
        const keyless = { primary: hurt.keylessPrimary, peer: hurt.keylessPeer };
        const base0 = baseFromSnapshots(start.primary, start.peer);
        const edited = applyEdits(start, edits, TODAY, lastRun);
        const read1 = damaged(edited, hurt, keyless);
        const first = planTwoWay(read1.primary, read1.peer, base0, options, TODAY);
        // The servers hold every record; only their listing was damaged, and stays so when the run records its base.
        const after1 = applyTwoWay(edited, first.operations, PEER, TODAY);
        const relisted = damaged(after1, hurt, keyless);
        // Each base is recorded as a run records it: with the deletions the plan left pending.
        const base1 = carryBaseEntries(baseFromSnapshots(relisted.primary, relisted.peer, pendingPeerDeletionsOf(first, PEER)), base0, keysNotReconciled(first));

        const second = planTwoWay(after1.primary, after1.peer, base1, options, TODAY);
        const after2 = applyTwoWay(after1, second.operations, PEER, TODAY);
        const base2 = baseFromSnapshots(after2.primary, after2.peer, pendingPeerDeletionsOf(second, PEER));
        for (const deviceId of DEVICE_IDS) {
          const byPrimary = done(start.primary.licenses.get(deviceId), edited.primary.licenses.get(deviceId));
          const byPeer = done(start.peer.licenses.get(deviceId), edited.peer.licenses.get(deviceId));
          expect(divergences(after2, deviceId, TODAY)).toEqual([]);
          // What one side alone changed while the other's copy was unreadable survives on both sides.
          for (const [mine, theirs, side] of [
            [byPrimary, byPeer, 'primary'],
            [byPeer, byPrimary, 'peer'],
          ] as const) {
            const source = edited[side].licenses.get(deviceId);
            if (theirs.changed || !mine.edited || source === undefined) continue;
            for (const license of [after2.primary.licenses.get(deviceId), after2.peer.licenses.get(deviceId)]) {
              expect(license?.created_by, `${deviceId} edited on ${side}`).toBe(source.created_by);
            }
          }
        }
        // A deletion the second run left pending (over --max-delete) stays pending: the third plans nothing.
        expect(planTwoWay(after2.primary, after2.peer, base2, options, TODAY).operations).toEqual([]);
      }),
      RUNS,
    );
  });
});

