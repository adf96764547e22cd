import type { UserRole } from '../snapshot/records.js';
import type { Plan } from './plan-types.js';

// Checks that stop a run before its first write. Each returns the reasons it
// refuses, empty when the run may go on.

export interface GuardRefusal {
  readonly guard: 'role' | 'unreadable-listing' | 'shrunken-primary' | 'shrunk-since-last-good-run' | 'deletion-limit' | 'two-way-base' | 'shrunk-since-base' | 'shrunken-side' | 'backup-changed-since-base';
  readonly message: string;
}

export interface ServerLogin {
  readonly server: string;
  readonly role: UserRole;
}

export function roleGuard(logins: readonly ServerLogin[]): GuardRefusal[] {
  return logins
    .filter((login) => login.role !== 'admin')
    .map((login) => ({
      guard: 'role' as const,
      message: `the account on ${login.server} has role "${login.role}", not "admin": it would see only its own licenses`,
    }));
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
/** Where each count comes from, so that a refusal names the listing it doubts. */
const LISTING_ENDPOINT = { licenses: 'GET /admin/devices', users: 'GET /admin/users' } as const;

export function shrunkenPrimaryGuard(
  primary: ListingCounts,
  references: readonly { readonly what: string; readonly counts: ListingCounts }[],
  minRatio: number,
): GuardRefusal[] {
  const refusals: GuardRefusal[] = [];
  for (const { what, counts } of references) {
    for (const field of ['licenses', 'users'] as const) {
      // Divide rather than multiply: 0.55 * 100 is 55.00000000000001, but 55 / 100 is exactly 0.55.
      if (counts[field] > 0 && primary[field] / counts[field] < minRatio) {
        refusals.push({
          guard: 'shrunken-primary',
          message: `the primary lists ${primary[field]} ${field} (${LISTING_ENDPOINT[field]}) but ${what} has ${counts[field]}, below the ${formatRatio(minRatio)} minimum (--min-primary-ratio): the listing may be partial`,
        });
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
      refusals.push({
        guard: 'shrunk-since-last-good-run',
        message:
          `the primary lists ${primary[field]} ${field} (${LISTING_ENDPOINT[field]}) but listed ${before} at the last good run (${lastGood.recordedAt}), ` +
          `${formatPercent(shrink)} fewer, more than --max-shrink ${formatPercent(maxShrink)} allows; run with --force if the primary really lost them`,
      });
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
    return [
      {
        guard: 'shrunk-since-base' as const,
        message:
          `${server} lists ${licenses} licenses (${LISTING_ENDPOINT.licenses}) but held ${baseLicenses} at the base (${recordedAt}), ${formatPercent(shrink)} fewer, ` +
          `more than --max-shrink ${formatPercent(maxShrink)} allows; run with --force if ${server} really lost them (they will be restored or, with --delete, deleted on the other side)`,
      },
    ];
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
          message: `${side.server} lists ${side.counts[field]} ${field} (${LISTING_ENDPOINT[field]}) but ${other.server} has ${other.counts[field]}, below the ${formatRatio(minRatio)} minimum (--min-primary-ratio): the listing may be partial`,
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
  const examples = work.slice(0, 5).join(', ') + (work.length > 5 ? `, … (${work.length - 5} more)` : '');
  return [
    {
      guard: 'backup-changed-since-base',
      message:
        `${work.length} license${work.length === 1 ? ' was' : 's were'} created or changed on ${backup} since the last sync (${recordedAt}) and differ from the primary (${examples}), ` +
        `as after a failover; a one-way sync would undo that work: run with --mode two-way to merge it, or --force to overwrite it with the primary's`,
    },
  ];
}

export function deletionLimitGuard(planned: Plan, maxDelete: number): GuardRefusal[] {
  const deletions = planned.operations.filter((operation) => operation.kind === 'delete-license').length;
  if (deletions <= maxDelete) return [];
  return [
    {
      guard: 'deletion-limit',
      message: `the plan deletes ${deletions} backup-only licenses, more than --max-delete ${maxDelete} allows`,
    },
  ];
}

function formatRatio(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))}%`;
}
