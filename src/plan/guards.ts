import type { UserRole } from '../snapshot/records.js';
import type { Plan } from './plan-types.js';

// Checks that stop a run before its first write. Each returns the reasons it
// refuses, empty when the run may go on.

export type ListingField = 'licenses' | 'users';

/** What the primary's counts are held against: a backup (by name), or the last good run. */
export type CountReference = { readonly kind: 'server'; readonly server: string } | { readonly kind: 'last-good-run' };

/** Why the pair's base cannot be used for a two-way run. */
export type BaseProblem =
  | { readonly problem: 'none'; readonly peer: string }
  | { readonly problem: 'other-servers'; readonly peer: string; readonly peerUrl: string; readonly primaryUrl: string; readonly recordedAt: string }
  /** `detail`: what the state database said, as it says it. */
  | { readonly problem: 'unreadable'; readonly peer: string; readonly detail: string };

/** A guard's refusal: its name and the facts that src/report/ words. */
export type GuardRefusal =
  | { readonly guard: 'role'; readonly facts: { readonly server: string; readonly role: UserRole } }
  | { readonly guard: 'unreadable-listing'; readonly facts: { readonly server: string } }
  | {
      readonly guard: 'shrunken-primary';
      readonly facts: { readonly field: ListingField; readonly primary: number; readonly reference: CountReference; readonly referenceCount: number; readonly minRatio: number };
    }
  | {
      readonly guard: 'shrunk-since-last-good-run';
      readonly facts: {
        readonly field: ListingField;
        readonly primary: number;
        readonly before: number;
        readonly recordedAt: string;
        readonly shrink: number;
        readonly maxShrink: number;
      };
    }
  | { readonly guard: 'deletion-limit'; readonly facts: { readonly deletions: number; readonly maxDelete: number } }
  | { readonly guard: 'two-way-base'; readonly facts: BaseProblem }
  | {
      readonly guard: 'shrunk-since-base';
      readonly facts: {
        readonly server: string;
        readonly licenses: number;
        readonly baseLicenses: number;
        readonly recordedAt: string;
        readonly shrink: number;
        readonly maxShrink: number;
      };
    }
  | {
      readonly guard: 'shrunken-side';
      readonly facts: { readonly server: string; readonly field: ListingField; readonly count: number; readonly other: string; readonly otherCount: number; readonly minRatio: number };
    }
  | { readonly guard: 'backup-changed-since-base'; readonly facts: { readonly backup: string; readonly deviceIds: readonly string[]; readonly recordedAt: string } };

export type GuardName = GuardRefusal['guard'];

export interface ServerLogin {
  readonly server: string;
  readonly role: UserRole;
}

export function roleGuard(logins: readonly ServerLogin[]): GuardRefusal[] {
  return logins
    .filter((login) => login.role !== 'admin')
    .map((login) => ({ guard: 'role' as const, facts: { server: login.server, role: login.role } }));
}

export interface ListingCounts {
  readonly users: number;
  readonly licenses: number;
}

/**
 * A partial or wrong primary listing looks exactly like mass deletion, so the
 * primary must list at least `minRatio` of what the backup (or the last good
 * run, when known) holds.
 */
export function shrunkenPrimaryGuard(
  primary: ListingCounts,
  references: readonly { readonly reference: CountReference; readonly counts: ListingCounts }[],
  minRatio: number,
): GuardRefusal[] {
  const refusals: GuardRefusal[] = [];
  for (const { reference, counts } of references) {
    for (const field of ['licenses', 'users'] as const) {
      // Divide rather than multiply: 0.55 * 100 is 55.00000000000001, but 55 / 100 is exactly 0.55.
      if (counts[field] > 0 && primary[field] / counts[field] < minRatio) {
        refusals.push({ guard: 'shrunken-primary', facts: { field, primary: primary[field], reference, referenceCount: counts[field], minRatio } });
      }
    }
  }
  return refusals;
}

export interface LastGoodRun {
  readonly counts: ListingCounts;
  /** When it was recorded (ISO 8601). */
  readonly recordedAt: string;
}

/**
 * A primary that lists far less than it did at the last good run has more
 * likely lost data or answered partially than been cleaned up in an hour:
 * it may shrink by at most `maxShrink` (a fraction) of what it listed then.
 */
export function lastGoodRunGuard(primary: ListingCounts, lastGood: LastGoodRun | null, maxShrink: number): GuardRefusal[] {
  if (lastGood === null) return [];
  const refusals: GuardRefusal[] = [];
  for (const field of ['licenses', 'users'] as const) {
    const before = lastGood.counts[field];
    if (before === 0 || primary[field] >= before) continue;
    const shrink = (before - primary[field]) / before;
    if (shrink > maxShrink) {
      refusals.push({ guard: 'shrunk-since-last-good-run', facts: { field, primary: primary[field], before, recordedAt: lastGood.recordedAt, shrink, maxShrink } });
    }
  }
  return refusals;
}

/**
 * Two-way: a side listing far fewer licenses than it held at the base has more
 * likely answered partially than lost them, and merging would "restore" (upsert
 * over) licenses it still has: it may shrink by at most `maxShrink`.
 */
export function shrunkSinceBaseGuard(
  sides: readonly { readonly server: string; readonly licenses: number; readonly baseLicenses: number }[],
  recordedAt: string,
  maxShrink: number,
): GuardRefusal[] {
  return sides.flatMap(({ server, licenses, baseLicenses }) => {
    if (baseLicenses === 0 || licenses >= baseLicenses) return [];
    const shrink = (baseLicenses - licenses) / baseLicenses;
    if (shrink <= maxShrink) return [];
    return [{ guard: 'shrunk-since-base' as const, facts: { server, licenses, baseLicenses, recordedAt, shrink, maxShrink } }];
  });
}

/** Two-way: either side listing far less than the other (by --min-primary-ratio) may be answering partially. */
export function shrunkenSideGuard(
  sides: readonly [{ readonly server: string; readonly counts: ListingCounts }, { readonly server: string; readonly counts: ListingCounts }],
  minRatio: number,
): GuardRefusal[] {
  const refusals: GuardRefusal[] = [];
  for (const [side, other] of [sides, [sides[1], sides[0]]] as const) {
    for (const field of ['licenses', 'users'] as const) {
      if (other.counts[field] > 0 && side.counts[field] / other.counts[field] < minRatio) {
        refusals.push({
          guard: 'shrunken-side',
          facts: { server: side.server, field, count: side.counts[field], other: other.server, otherCount: other.counts[field], minRatio },
        });
      }
    }
  }
  return refusals;
}

/**
 * One-way: licenses created or changed on the backup since the last sync (work
 * done there while the primary was down) would be overwritten or left behind.
 */
export function backupWorkGuard(backup: string, work: readonly string[], recordedAt: string): GuardRefusal[] {
  if (work.length === 0) return [];
  return [{ guard: 'backup-changed-since-base', facts: { backup, deviceIds: [...work], recordedAt } }];
}

export function deletionLimitGuard(planned: Plan, maxDelete: number): GuardRefusal[] {
  const deletions = planned.operations.filter((operation) => operation.kind === 'delete-license').length;
  if (deletions <= maxDelete) return [];
  return [{ guard: 'deletion-limit', facts: { deletions, maxDelete } }];
}
