import { SKIP_REASONS, type SkippedItem, type SkipReason } from '../plan/plan-types.js';
import { aggregate } from './aggregate.js';

// Records the plan leaves alone on purpose, per reason: a count and a few keys.

export interface SkippedGroup {
  readonly reason: SkipReason;
  readonly count: number;
  /** The first items for this reason, in plan order. */
  readonly items: readonly SkippedItem[];
}

/** What each reason means, in one line for the operator. */
export const SKIP_EXPLANATIONS: Readonly<Record<SkipReason, string>> = {
  'over-grant':
    'OVER-GRANT, needs a person: the backup allows these licenses while the primary denies them, and their device_id (with "/") cannot be sent in a URL path, so no call can block or delete them; delete each by hand in the backup\'s admin panel, or allow it again on the primary',
  'not-addressable':
    'not replicable: their device_id (with "/") cannot be sent in a URL path, so the server could never block or delete them; never created, and no path call is sent for them',
  'deletion-pending': 'deletions not carried out this run (a deleted license restored, or held blocked): a run with --delete carries them out',
  'backup-only': 'only on the backup; users are never removed, licenses only with --delete',
  'new-users-skip': 'missing on the backup; --new-users skip leaves them uncreated',
  unreadable: 'a listed record with this key could not be read; left alone on every server',
  'deletions-suspended': 'only on the backup, but some primary licenses have no readable device_id: not deleted this run',
  'creations-suspended': 'missing on the backup, but some backup records have no readable key (device_id or username): not created this run',
};

/** Groups in {@link SKIP_REASONS} order, only reasons that occur, each keeping up to `maxItems` items. */
export function summariseSkipped(skipped: readonly SkippedItem[], maxItems: number): SkippedGroup[] {
  return aggregate(skipped, (item) => item.reason, SKIP_REASONS, maxItems).map(({ group, count, first }) => ({ reason: group, count, items: first }));
}
