import type { RecordKind } from '../snapshot/records.js';
import type { Operation } from './operation.js';

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

export interface DriftItem {
  readonly kind: DriftKind;
  readonly key: string;
  readonly detail: string;
}

export const SKIP_REASONS = ['backup-only', 'new-users-skip', 'unreadable', 'deletions-suspended', 'creations-suspended'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A record the plan leaves alone on purpose. */
export interface SkippedItem {
  readonly kind: RecordKind;
  readonly key: string;
  readonly reason: SkipReason;
  readonly detail: string;
}

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
  /** What each side did, in words for the operator. */
  readonly detail: string;
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
