import type { CalendarDate } from '../domain/calendar-date.js';
import type { Decision, LicenseStatus } from '../domain/decision.js';
import type { LicenseContentField } from '../snapshot/records.js';

// Why the planner wants a write, or leaves a record alone: a code and the facts
// needed to say it (server names, fields, dates, counts). The planner writes no
// prose; src/report/ words these. Every value is plain data (JSON-serialisable).

/**
 * The servers a reason names. One-way: the primary (whose record is wanted) and
 * the backup (written to), named by their role whatever the backup is called.
 * Two-way: by name (`primary`, or the peer's name such as `render`).
 */
export type Sides = { readonly mode: 'one-way' } | { readonly mode: 'two-way'; readonly source: string; readonly target: string };

export const ONE_WAY: Sides = { mode: 'one-way' };

export function twoWaySides(source: string, target: string): Sides {
  return { mode: 'two-way', source, target };
}

/** How long a license upserted today runs (`until` null: never expires), next to the end the source's record has. */
export interface RunsLonger {
  readonly until: CalendarDate | null;
  readonly sourceEnd: CalendarDate | null;
}

/**
 * What settles conflicts in a two-way run: `--conflict primary|peer|none`, or
 * `resync` (no base: the primary wins).
 */
export type PolicyNote = 'primary' | 'peer' | 'none' | 'resync';

/** The reasons of the one-way replication rules (also those of a merge's copy from one side to the other). */
export type WriteReason =
  /** The target lacks the record (create-user one-way, create-license). */
  | { readonly code: 'missing'; readonly sides: Sides }
  /** Two-way: a user the source has and the target lacks. */
  | { readonly code: 'user-created-on-source'; readonly sides: Sides }
  /** Upsert: content fields differ; `expired` when the target had also expired (the upsert re-dates it). */
  | {
      readonly code: 'content-differs';
      readonly sides: Sides;
      readonly fields: readonly LicenseContentField[];
      readonly expired: { readonly targetEnd: CalendarDate | null; readonly runs: RunsLonger } | null;
    }
  /** Upsert: the target expired, the source allows. */
  | { readonly code: 'expired-on-target'; readonly sides: Sides; readonly targetEnd: CalendarDate | null; readonly runs: RunsLonger }
  /** Upsert: the source was renewed and the target ends before. */
  | { readonly code: 'renewed-on-source'; readonly sides: Sides; readonly targetEnd: CalendarDate | null; readonly runs: RunsLonger }
  /** Activate: the target denies, the source allows. */
  | { readonly code: 'denied-on-target'; readonly sides: Sides; readonly target: Decision }
  /** Block: the source denies; `target` is the target's answer now. */
  | { readonly code: 'denied-on-source'; readonly sides: Sides; readonly source: Decision; readonly target: Decision }
  /** Re-own: created_by differs. */
  | { readonly code: 'owner-differs'; readonly sides: Sides; readonly targetOwner: string; readonly sourceOwner: string }
  /** Delete (one-way, --delete): the license exists only on the backup. */
  | { readonly code: 'backup-only' }
  /** Block (one-way, without --delete): the license exists only on the backup, which allows it; the primary refuses it. */
  | { readonly code: 'backup-only-denied' };

/** Writes a two-way merge adds itself, beside the copies it makes with the one-way rules. */
export type MergeStep =
  /** A block wins: the license is held (`heldStatus`) on `heldOn`, still open on `openOn`. */
  | { readonly code: 'held-elsewhere'; readonly heldStatus: LicenseStatus; readonly heldOn: string; readonly openOn: string }
  /** A block wins, the owner comes from the winning side's version. */
  | { readonly code: 'owner-from-winner'; readonly owner: string; readonly on: string; readonly winnerOwner: string; readonly winner: string; readonly policy: PolicyNote }
  /** A deletion propagates (--delete). */
  | { readonly code: 'deleted-too'; readonly on: string }
  /** The primary deleted it (since the base, or before and still pending): the peer's copy is held so clients get the primary's answer. */
  | { readonly code: 'deleted-on-primary'; readonly peer: string; readonly why: RestoreWhy }
  /** Safety net: the primary denies (`primaryEnd`: its end date) and the peer allows. */
  | { readonly code: 'primary-denies-peer-allows'; readonly primary: Decision; readonly primaryEnd: CalendarDate | null; readonly peer: string };

/** How a license held on a side is named: blocked, or set pending. */
export type HeldAs = 'blocked' | 'pending';

/** What one side did to a license since the base (`side`: its name). */
export type SideChangeFacts =
  | { readonly code: 'resync-absent'; readonly side: string }
  | { readonly code: 'resync-present'; readonly side: string }
  | { readonly code: 'unchanged'; readonly side: string }
  | { readonly code: 'deleted'; readonly side: string }
  | { readonly code: 'created'; readonly side: string; readonly held: HeldAs | null }
  | {
      readonly code: 'edited';
      readonly side: string;
      readonly content: readonly LicenseContentField[];
      /** The owner in the base and now (null: none), when it changed. */
      readonly owner: { readonly before: string; readonly after: string | null } | null;
      /** A block made since the base. */
      readonly held: HeldAs | null;
      readonly opened: boolean;
      readonly renewed: boolean;
    };

/** Why a deletion did not propagate: the license is restored instead. */
export type RestoreWhy =
  | { readonly code: 'no-delete' }
  | { readonly code: 'over-max-delete'; readonly deletions: number; readonly maxDelete: number }
  /** The peer lost most of its licenses since the base (a reset): its "deletions" are not deletions. */
  | { readonly code: 'peer-reset' };

/** One clause of why a two-way merge writes (they read one after the other). */
export type CauseClause =
  | { readonly code: 'side-change'; readonly change: SideChangeFacts }
  | { readonly code: 'unchanged-on-both' }
  | { readonly code: 'deleted-on-both' }
  | { readonly code: 'equal-on-both' }
  | { readonly code: 'conflict-left' }
  | { readonly code: 'merge-left-as-is' }
  /** A conflict settled by the policy; `restoredOn` when the winner's version is restored where it was deleted. */
  | { readonly code: 'conflict-won'; readonly winner: string; readonly policy: PolicyNote; readonly restoredOn: string | null }
  | { readonly code: 'block-wins' }
  | { readonly code: 'restored'; readonly why: RestoreWhy }
  /** Both sides edited different fields: each field comes from the side that changed it. */
  | { readonly code: 'fields-merged' }
  /** A deletion made by an earlier run's side (`deletedOn`) that was not carried out then. */
  | { readonly code: 'deletion-pending'; readonly deletedOn: string }
  /** The primary deleted it and the peer edited it: the primary's deletion stands. */
  | { readonly code: 'primary-deletion-stands' };

/** A write of a two-way merge: the clauses of its cause, then the step itself. */
export interface MergedReason {
  readonly code: 'merged';
  readonly cause: readonly CauseClause[];
  readonly step: WriteReason | MergeStep;
}

/** Why the planner wants an operation. */
export type OperationReason = WriteReason | MergedReason;

/** Why a created license is blocked right after: the source denies it. */
export interface ThenBlock {
  readonly code: 'source-denies';
  readonly sides: Sides;
  readonly decision: Decision;
}

/** How a two-way conflict ended (with the clauses of both sides' changes, its detail). */
export type ConflictOutcome =
  | { readonly code: 'left' }
  | { readonly code: 'won'; readonly winner: string; readonly policy: PolicyNote }
  /** The block wins; `from` the side whose owner (and content, were the license open) counts, null under --conflict none. */
  | { readonly code: 'block-wins'; readonly from: { readonly winner: string; readonly policy: PolicyNote } | null }
  | { readonly code: 'won-restored'; readonly winner: string; readonly policy: PolicyNote; readonly restoredOn: string }
  | { readonly code: 'won-deleted-too'; readonly winner: string; readonly policy: PolicyNote; readonly deletedOn: string }
  | { readonly code: 'won-but-restored'; readonly winner: string; readonly policy: PolicyNote; readonly restoredOn: string; readonly why: RestoreWhy }
  /** The primary's deletion stands; its copy on `heldOn` is held until a run with --delete. */
  | { readonly code: 'won-held'; readonly winner: string; readonly heldOn: string; readonly why: RestoreWhy };

/** The reason of a merge's write: the clauses of its cause, then the step (a copy's own clauses follow the cause's). */
export function merged(cause: readonly CauseClause[], step: OperationReason | MergeStep): MergedReason {
  if (step.code === 'merged') return { code: 'merged', cause: [...cause, ...step.cause], step: step.step };
  return { code: 'merged', cause, step };
}
