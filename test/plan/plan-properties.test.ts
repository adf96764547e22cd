import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { licenseDecision } from '../../src/domain/decision.js';
import type { Operation } from '../../src/plan/operation.js';
import { subjectOf as subject } from './support/records.js';
import { plan } from '../../src/plan/plan.js';
import type { PlanOptions } from '../../src/plan/plan-types.js';
import { buildSnapshot } from '../../src/snapshot/build-snapshot.js';
import { LICENSE_CONTENT_FIELDS, type Snapshot } from '../../src/snapshot/records.js';
import { applyPlan } from './support/backup-model.js';
import { damaged, LICENSE_DAMAGE, listingPair, planOptions, USER_DAMAGE, type ListingPair, type Row } from './support/arbitraries.js';

const RUNS = { numRuns: 300 };

function snapshots(pair: ListingPair): { primary: Snapshot; backup: Snapshot } {
  return { primary: buildSnapshot(pair.primaryUsers, pair.primaryLicenses), backup: buildSnapshot(pair.backupUsers, pair.backupLicenses) };
}

function allows(snapshot: Snapshot, deviceId: string, today: string): boolean {
  const license = snapshot.licenses.get(deviceId);
  return license !== undefined && licenseDecision(license, today) === 'allow';
}

/**
 * Every way `after` fails to be a faithful stand-in for `primary`, in words.
 * Keys in `leftAlone` (unreadable somewhere, or not creatable) are not judged.
 */
function replicaProblems(primary: Snapshot, before: Snapshot, after: Snapshot, options: PlanOptions, today: string, leftAlone = new Set<string>()): string[] {
  const problems: string[] = [];
  for (const user of primary.users.values()) {
    if (leftAlone.has(user.username)) continue;
    const shouldExist = options.newUsers === 'create' || before.users.has(user.username);
    if (after.users.has(user.username) !== shouldExist) problems.push(`user ${user.username}: on the backup is ${!shouldExist}`);
  }
  for (const user of before.users.values()) {
    if (!after.users.has(user.username)) problems.push(`user ${user.username} was removed from the backup`);
  }
  for (const wanted of primary.licenses.values()) {
    const id = wanted.device_id;
    if (leftAlone.has(id)) continue;
    const got = after.licenses.get(id);
    if (got === undefined) {
      problems.push(`license ${id}: missing on the backup`);
      continue;
    }
    const primaryAllows = licenseDecision(wanted, today) === 'allow';
    if (got.created_by !== wanted.created_by) problems.push(`license ${id}: created_by ${got.created_by}, primary ${wanted.created_by}`);
    if ((licenseDecision(got, today) === 'allow') !== primaryAllows) {
      problems.push(`license ${id}: ${licenseDecision(got, today)} on the backup, ${licenseDecision(wanted, today)} on the primary`);
    }
    if (primaryAllows) {
      for (const field of LICENSE_CONTENT_FIELDS) {
        if (got[field] !== wanted[field]) problems.push(`license ${id}: ${field} ${String(got[field])}, primary ${String(wanted[field])}`);
      }
    }
    if (wanted.status === 'blocked' && got.status !== 'blocked') problems.push(`license ${id}: blocked on the primary, ${got.status} on the backup`);
  }
  for (const license of before.licenses.values()) {
    const id = license.device_id;
    if (primary.licenses.has(id) || leftAlone.has(id)) continue;
    if (after.licenses.has(id) === options.deleteBackupOnly) problems.push(`backup-only license ${id}: still there is ${after.licenses.has(id)}`);
  }
  return problems;
}

describe('plan, over arbitrary primary and backup listings', () => {
  it('the generated listings are all valid, so every key takes part', () => {
    fc.assert(
      fc.property(listingPair, (pair) => {
        const { primary, backup } = snapshots(pair);
        expect([...primary.rejected, ...backup.rejected]).toEqual([]);
        expect(primary.licenses.size).toBe(pair.primaryLicenses.length);
        expect(backup.users.size).toBe(pair.backupUsers.length);
      }),
      { numRuns: 50 },
    );
  });

  it('applied to the backup model, makes the backup a faithful stand-in for the primary', () => {
    fc.assert(
      fc.property(listingPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        const planned = plan(primary, backup, options, pair.today);
        const after = applyPlan(backup, planned.operations, pair.today);

        expect(replicaProblems(primary, backup, after, options, pair.today)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('plans nothing on a second run right after a successful one', () => {
    fc.assert(
      fc.property(listingPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        const after = applyPlan(backup, plan(primary, backup, options, pair.today).operations, pair.today);

        expect(plan(primary, after, options, pair.today).operations).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never upserts or activates a license the primary denies, and blocks right after creating one', () => {
    fc.assert(
      fc.property(listingPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        for (const operation of plan(primary, backup, options, pair.today).operations) {
          const id = subject(operation);
          if (operation.kind === 'update-license' || operation.kind === 'activate') expect(allows(primary, id, pair.today)).toBe(true);
          if (operation.kind === 'create-license') expect(operation.thenBlock === null).toBe(allows(primary, id, pair.today));
        }
      }),
      RUNS,
    );
  });

  it('creates only what the backup lacks and writes only what it has', () => {
    fc.assert(
      fc.property(listingPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        for (const operation of plan(primary, backup, options, pair.today).operations) {
          const id = subject(operation);
          if (operation.kind === 'create-user') expect(backup.users.has(id)).toBe(false);
          else if (operation.kind === 'create-license') expect(backup.licenses.has(id)).toBe(false);
          else expect(backup.licenses.has(id)).toBe(true);
          if (operation.kind === 'delete-license') expect(primary.licenses.has(id)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('never both blocks and activates one license, and upserts it at most once', () => {
    fc.assert(
      fc.property(listingPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        const byKey = new Map<string, string[]>();
        for (const operation of plan(primary, backup, options, pair.today).operations) {
          byKey.set(operation.key, [...(byKey.get(operation.key) ?? []), operation.kind]);
        }
        for (const [key, kinds] of byKey) {
          expect(kinds.includes('block') && kinds.includes('activate'), `${key}: ${kinds.join(', ')}`).toBe(false);
          expect(kinds.filter((kind) => kind === 'create-license' || kind === 'update-license').length).toBeLessThanOrEqual(1);
          expect(new Set(kinds).size, `${key}: ${kinds.join(', ')}`).toBe(kinds.length);
        }
      }),
      RUNS,
    );
  });

  it('is deterministic, and the order of the listings changes nothing but the order of keys', () => {
    fc.assert(
      fc.property(listingPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        const first = plan(primary, backup, options, pair.today);
        expect(plan(primary, backup, options, pair.today)).toEqual(first);

        const reversed = plan(
          buildSnapshot([...pair.primaryUsers].reverse(), [...pair.primaryLicenses].reverse()),
          buildSnapshot([...pair.backupUsers].reverse(), [...pair.backupLicenses].reverse()),
          options,
          pair.today,
        );
        const byKey = (operations: readonly Operation[]) => {
          const groups = new Map<string, Operation[]>();
          for (const operation of operations) groups.set(operation.key, [...(groups.get(operation.key) ?? []), operation]);
          return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        };
        expect(byKey(reversed.operations)).toEqual(byKey(first.operations));
        const sorted = <T>(items: readonly T[]) => items.map((item) => JSON.stringify(item)).sort();
        expect(sorted(reversed.drift)).toEqual(sorted(first.drift));
        expect(sorted(reversed.skipped)).toEqual(sorted(first.skipped));
      }),
      RUNS,
    );
  });
});

describe('plan, over listings with damaged or duplicated records', () => {
  const licenseTwin = (row: Row): Row => ({ ...row, status: row.status === 'blocked' ? 'active' : 'blocked' });
  const userTwin = (row: Row): Row => ({ ...row, role: row.role === 'admin' ? 'user' : 'admin' });
  const damagedPair = listingPair.chain((pair) =>
    fc
      .record({
        primaryUsers: damaged(pair.primaryUsers, USER_DAMAGE, userTwin),
        backupUsers: damaged(pair.backupUsers, USER_DAMAGE, userTwin),
        primaryLicenses: damaged(pair.primaryLicenses, LICENSE_DAMAGE, licenseTwin),
        backupLicenses: damaged(pair.backupLicenses, LICENSE_DAMAGE, licenseTwin),
      })
      .map((listings): ListingPair => ({ today: pair.today, ...listings })),
  );

  it('never writes a key that a rejected record carries, and replicates every other one', () => {
    fc.assert(
      fc.property(damagedPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        const rejected = new Set([...primary.rejected, ...backup.rejected].map((record) => record.key).filter((key) => key !== null));
        const keyless = (snapshot: Snapshot, kind: 'license' | 'user' = 'license') => snapshot.rejected.some((record) => record.kind === kind && record.key === null);
        const planned = plan(primary, backup, options, pair.today);

        for (const operation of planned.operations) expect(rejected.has(subject(operation)), subject(operation)).toBe(false);
        if (keyless(primary)) expect(planned.operations.map((operation) => operation.kind)).not.toContain('delete-license');
        if (keyless(backup)) expect(planned.operations.map((operation) => operation.kind)).not.toContain('create-license');
        if (keyless(backup, 'user')) expect(planned.operations.map((operation) => operation.kind)).not.toContain('create-user');

        const after = applyPlan(backup, planned.operations, pair.today);
        const leftAlone = new Set(rejected);
        if (keyless(backup)) for (const id of primary.licenses.keys()) if (!backup.licenses.has(id)) leftAlone.add(id);
        if (keyless(primary)) for (const id of backup.licenses.keys()) if (!primary.licenses.has(id)) leftAlone.add(id);
        if (keyless(backup, 'user')) for (const username of primary.users.keys()) if (!backup.users.has(username)) leftAlone.add(username);
        expect(replicaProblems(primary, backup, after, options, pair.today, leftAlone)).toEqual([]);
        expect(plan(primary, after, options, pair.today).operations).toEqual([]);
      }),
      RUNS,
    );
  });

  it('reports every rejected key as skipped, unreadable', () => {
    fc.assert(
      fc.property(damagedPair, planOptions, (pair, options) => {
        const { primary, backup } = snapshots(pair);
        const planned = plan(primary, backup, options, pair.today);
        const unreadable = new Set(planned.skipped.filter((item) => item.reason === 'unreadable').map((item) => `${item.kind}:${item.key}`));
        for (const record of [...primary.rejected, ...backup.rejected]) {
          if (record.key !== null) expect(unreadable.has(`${record.kind}:${record.key}`), `${record.kind} ${record.key}`).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
