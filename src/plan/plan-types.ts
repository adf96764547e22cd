import type { CalendarDate } from '../domain/calendar-date.js';
import type { UnaddressableReason } from '../domain/addressable-key.js';
import type { Decision, LicenseStatus } from '../domain/decision.js';
import type { LicenseContentField, RecordKind, UserRole } from '../snapshot/records.js';
import type { Operation } from './operation.js';
import type { ConflictOutcome, PolicyNote, RestoreWhy, Sides, SideChangeFacts } from './reasons.js';

/** Differences the API has no call to repair, or that the rules forbid writing. */
export const DRIFT_KINDS = [
  'user-email',
  'user-role',
  'license-content-while-denied',
  'license-deny-reason',
  'license-dates',
  'license-custom-interval',
  'license-features',
  'license-telemetry',
  'two-way-differs',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

/** A license's dates on one server. */
export interface DateSpan {
  readonly start: CalendarDate | null;
  readonly end: CalendarDate | null;
}

/**
 * A difference left alone, with its facts. `sides` names the servers: in a
 * one-way run the primary (`source`) and the backup (`target`); a two-way run's
 * user drift names the peer as `source` and the primary as `target`.
 */
export type DriftItem = { readonly key: string } & (
  | { readonly kind: 'user-email'; readonly sides: Sides; readonly source: string | null; readonly target: string | null }
  | { readonly kind: 'user-role'; readonly sides: Sides; readonly source: UserRole; readonly target: UserRole }
  | {
      readonly kind: 'license-content-while-denied';
      readonly fields: readonly LicenseContentField[];
      /** The source denies it; or a two-way conflict's block won over `winner`'s version. */
      readonly because:
        | { readonly code: 'source-denies'; readonly sides: Sides; readonly decision: Decision }
        | { readonly code: 'held'; readonly winner: string; readonly policy: PolicyNote };
    }
  | { readonly kind: 'license-deny-reason'; readonly sides: Sides; readonly source: Decision; readonly target: Decision }
  | { readonly kind: 'license-dates'; readonly sides: Sides; readonly source: DateSpan; readonly target: DateSpan }
  | { readonly kind: 'license-custom-interval'; readonly sides: Sides; readonly source: number | null; readonly target: number | null }
  | { readonly kind: 'license-features'; readonly sides: Sides; readonly source: string | null; readonly target: string | null }
  | { readonly kind: 'license-telemetry' }
  | {
      readonly kind: 'two-way-differs';
      readonly differs:
        | {
            readonly code: 'tracked';
            readonly peer: string;
            readonly content: readonly LicenseContentField[];
            readonly owner: { readonly primary: string; readonly peer: string } | null;
            readonly status: { readonly primary: LicenseStatus; readonly peer: LicenseStatus } | null;
          }
        | { readonly code: 'one-side-only'; readonly on: string };
    }
);

/** Both ways: a type of the same members (a compile-time check). */
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

/** DRIFT_KINDS (the order reports show them in) lists exactly the kinds of drift items. */
export const DRIFT_KINDS_LIST_EVERY_ITEM: SameMembers<DriftKind, DriftItem['kind']> = true;

export const SKIP_REASONS = ['over-grant', 'not-addressable', 'deletion-pending', 'backup-only', 'new-users-skip', 'unreadable', 'deletions-suspended', 'creations-suspended'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A record the plan leaves alone on purpose, with the facts of why. */
export type SkippedItem = { readonly kind: RecordKind; readonly key: string } & (
  | { readonly reason: 'backup-only' }
  /**
   * A deletion this run did not carry out (no --delete, or over --max-delete):
   * made on `deletedOn`; a peer's is restored, a primary's held (blocked) on the peer.
   */
  | { readonly reason: 'deletion-pending'; readonly deletedOn: string; readonly heldOn: string | null; readonly why: RestoreWhy }
  | { readonly reason: 'new-users-skip'; readonly sides: Sides }
  /** `bothSides`: a two-way run leaves it alone on both. */
  | { readonly reason: 'unreadable'; readonly bothSides: boolean }
  /** `keyless` records on the side it is gone from (two-way: `goneFrom`; one-way, null: the primary). */
  | { readonly reason: 'deletions-suspended'; readonly keyless: number; readonly goneFrom: string | null }
  /** `keyless` records on the side it is missing on (`sides.target`). */
  | { readonly reason: 'creations-suspended'; readonly keyless: number; readonly sides: Sides }
  /**
   * Its device_id cannot be sent in a URL path (`why`), and `call` needs one:
   * not written. `source`: the wanted record's answer (null: the source lacks it).
   */
  | { readonly reason: 'not-addressable'; readonly why: UnaddressableReason; readonly call: PathCall; readonly sides: Sides; readonly source: Decision | null }
  /**
   * The target allows it, the source denies (`source`), and no call can block
   * or delete it there (`why`): a person must act.
   */
  | { readonly reason: 'over-grant'; readonly why: UnaddressableReason; readonly sides: Sides; readonly source: Decision }
);

/** A call that names the license in the URL path (`create`: it would create one that later needs them). */
export type PathCall = 'create' | 'block' | 'activate' | 'delete';

/** The over-grants a plan found: licenses a person must close by hand. */
export function overGrants(plan: Pick<Plan, 'skipped'>): SkippedItem[] {
  return plan.skipped.filter((item) => item.reason === 'over-grant');
}

/** SKIP_REASONS (the order reports show them in) lists exactly the reasons of skipped items. */
export const SKIP_REASONS_LIST_EVERY_ITEM: SameMembers<SkipReason, SkippedItem['reason']> = true;

/** How a two-way run found a record changed on both sides since the base. */
export const CONFLICT_KINDS = ['both-edited', 'block-vs-edit', 'block-vs-unblock', 'deleted-vs-edited', 'created-on-both'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/** What settled a conflict: one side's version, the block (which always wins), or nothing (`--conflict none`). */
export const CONFLICT_RESOLUTIONS = ['primary', 'peer', 'block', 'left'] as const;
export type ConflictResolution = (typeof CONFLICT_RESOLUTIONS)[number];

export interface ConflictItem {
  readonly kind: ConflictKind;
  /** The device_id. */
  readonly key: string;
  readonly resolution: ConflictResolution;
  /** What each side did since the base. */
  readonly changes: { readonly primary: SideChangeFacts; readonly peer: SideChangeFacts };
  readonly outcome: ConflictOutcome;
}

export interface Plan {
  readonly operations: readonly Operation[];
  readonly skipped: readonly SkippedItem[];
  readonly drift: readonly DriftItem[];
  /** Records changed on both sides since the base (two-way runs only; empty otherwise). */
  readonly conflicts: readonly ConflictItem[];
}

export interface PlanOptions {
  /** `skip` leaves users missing on the backup uncreated (reported as skipped). */
  readonly newUsers: 'create' | 'skip';
  /** Plan the deletion of backup-only licenses (the deletion limit is a guard, not the planner's). */
  readonly deleteBackupOnly: boolean;
  /** The name of the server written to, for each operation's `server`; default `backup`. */
  readonly target?: string;
}
