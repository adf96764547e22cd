import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unaddressableReason } from '../../src/domain/addressable-key.js';
import { licenseDecision } from '../../src/domain/decision.js';
import { plan } from '../../src/plan/plan.js';
import { overGrants, type PlanOptions } from '../../src/plan/plan-types.js';
import { ONE_WAY } from '../../src/plan/reasons.js';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { listingPair, planOptions, type ListingPair, type Row } from './support/arbitraries.js';
import { applyPlan } from './support/backup-model.js';
import { aLicense, daysFromToday, snapshotOf, subjectOf, TODAY } from './support/records.js';

// A device_id with "/" can be created (its key travels in the body) but never
// blocked, activated or deleted (the server decodes %2F before routing): the
// sync never creates such a license, and one the backup allows while the
// primary denies is an over-grant that needs a person.

const OPTIONS: PlanOptions = { newUsers: 'create', deleteBackupOnly: false };
const SLASHED = 'ABC/123';

describe('one-way plan of a license whose device_id no URL path reaches', () => {
  it.each([
    ['allows', aLicense({ device_id: SLASHED }), 'allow'],
    ['blocks', aLicense({ device_id: SLASHED, status: 'blocked' }), 'deny:blocked'],
    ['lets expire', aLicense({ device_id: SLASHED, end_date: daysFromToday(-1) }), 'deny:expired'],
  ] as const)('is never created, whether the primary %s it: skipped as not addressable', (_, license, decision) => {
    const planned = plan(snapshotOf({ licenses: [license] }), snapshotOf(), OPTIONS, TODAY);

    expect(planned.operations).toEqual([]);
    expect(planned.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'not-addressable', why: 'slash', call: 'create', sides: ONE_WAY, source: decision }]);
  });

  it('already on the backup and allowed there while the primary blocks it: an over-grant, nothing sent', () => {
    const planned = plan(snapshotOf({ licenses: [aLicense({ device_id: 'zz/', status: 'blocked' })] }), snapshotOf({ licenses: [aLicense({ device_id: 'zz/' })] }), OPTIONS, TODAY);

    expect(planned.operations).toEqual([]);
    expect(planned.skipped).toEqual([{ kind: 'license', key: 'zz/', reason: 'over-grant', why: 'slash', sides: ONE_WAY, source: 'deny:blocked' }]);
    expect(overGrants(planned)).toHaveLength(1);
  });

  it('already on the backup: the writes that carry the key in the body still go (upsert, re-own)', () => {
    const planned = plan(
      snapshotOf({ licenses: [aLicense({ device_id: '/lead', owner_name: 'New', created_by: 'revenda' })] }),
      snapshotOf({ licenses: [aLicense({ device_id: '/lead' })] }),
      OPTIONS,
      TODAY,
    );
    expect(planned.operations.map((operation) => operation.kind)).toEqual(['update-license']);
    expect(planned.skipped).toEqual([]);

    const reowned = plan(snapshotOf({ licenses: [aLicense({ device_id: 'a//b', status: 'blocked', created_by: 'revenda' })] }), snapshotOf({ licenses: [aLicense({ device_id: 'a//b', status: 'blocked' })] }), OPTIONS, TODAY);
    expect(reowned.operations.map((operation) => operation.kind)).toEqual(['update-created-by']);
  });

  it('blocked on the backup while the primary allows it: not activated, said so', () => {
    const planned = plan(snapshotOf({ licenses: [aLicense({ device_id: SLASHED })] }), snapshotOf({ licenses: [aLicense({ device_id: SLASHED, status: 'blocked' })] }), OPTIONS, TODAY);

    expect(planned.operations).toEqual([]);
    expect(planned.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'not-addressable', why: 'slash', call: 'activate', sides: ONE_WAY, source: 'allow' }]);
  });

  it('only on the backup, with --delete: not deleted, said so', () => {
    const planned = plan(snapshotOf(), snapshotOf({ licenses: [aLicense({ device_id: SLASHED }), aLicense({ device_id: 'plain' })] }), { ...OPTIONS, deleteBackupOnly: true }, TODAY);

    expect(planned.operations.map(subjectOf)).toEqual(['plain']);
    expect(planned.skipped).toEqual([{ kind: 'license', key: SLASHED, reason: 'not-addressable', why: 'slash', call: 'delete', sides: ONE_WAY, source: null }]);
  });
});

/** The generated listings with some device_ids given a "/" (leading, trailing, inside, doubled) on both servers. */
const slashedPair: fc.Arbitrary<ListingPair> = listingPair.map((pair) => {
  const renamed: Record<string, string> = { A: 'A/1', B: '/B', C: 'C/', D: 'D//d' };
  const rename = (row: Row): Row => {
    const id = typeof row.device_id === 'string' ? row.device_id : '';
    const bare = id.trim();
    const to = renamed[bare];
    return to === undefined ? row : { ...row, device_id: id.replace(bare, to) };
  };
  return { ...pair, primaryLicenses: pair.primaryLicenses.map(rename), backupLicenses: pair.backupLicenses.map(rename) };
});

describe('one-way plan over arbitrary listings with unaddressable device_ids', () => {
  it('never sends a path call for them nor creates one; a backup that allows one the primary denies gets an over-grant; all else replicates and a second run plans nothing', () => {
    fc.assert(
      fc.property(slashedPair, planOptions, (pair, options) => {
        const primary = buildSnapshot(pair.primaryUsers, pair.primaryLicenses);
        const backup = buildSnapshot(pair.backupUsers, pair.backupLicenses);
        const planned = plan(primary, backup, options, pair.today);
        for (const operation of planned.operations) {
          if (operation.kind === 'create-user') continue;
          const id = subjectOf(operation);
          if (unaddressableReason(id) !== null) expect(['update-license', 'update-created-by'], `${operation.kind} ${id}`).toContain(operation.kind);
        }
        const after = applyPlan(backup, planned.operations, pair.today);
        const overGranted = new Set(overGrants(planned).map((item) => item.key));
        for (const wanted of primary.licenses.values()) {
          const got = after.licenses.get(wanted.device_id);
          const backupAllows = got !== undefined && licenseDecision(got, pair.today) === 'allow';
          const primaryAllows = licenseDecision(wanted, pair.today) === 'allow';
          if (unaddressableReason(wanted.device_id) === null) {
            expect(backupAllows, wanted.device_id).toBe(primaryAllows);
          } else {
            expect(backup.licenses.has(wanted.device_id) || got === undefined, `${wanted.device_id} created`).toBe(true);
            expect(overGranted.has(wanted.device_id), wanted.device_id).toBe(backupAllows && !primaryAllows);
          }
        }
        expect(plan(primary, after, options, pair.today).operations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
