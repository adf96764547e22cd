import { t } from '../i18n/i18n.js';
import { SKIP_REASONS, type SkippedItem, type SkipReason } from '../plan/plan-types.js';
import { aggregate } from './aggregate.js';

// Records the plan leaves alone on purpose, per reason: a count and a few keys.

export interface SkippedGroup {
  readonly reason: SkipReason;
  readonly count: number;
  /** The first items for this reason, in plan order. */
  readonly items: readonly SkippedItem[];
}

const EXPLANATIONS = {
  'over-grant': () => t('report:skipped.explain.over-grant'),
  'not-addressable': () => t('report:skipped.explain.not-addressable'),
  'deletion-pending': () => t('report:skipped.explain.deletion-pending'),
  'backup-only': () => t('report:skipped.explain.backup-only'),
  'new-users-skip': () => t('report:skipped.explain.new-users-skip'),
  unreadable: () => t('report:skipped.explain.unreadable'),
  'deletions-suspended': () => t('report:skipped.explain.deletions-suspended'),
  'creations-suspended': () => t('report:skipped.explain.creations-suspended'),
} as const satisfies Record<SkipReason, () => string>;

/** What each reason means, in one line for the operator (current language). */
export function skipExplanation(reason: SkipReason): string {
  return EXPLANATIONS[reason]();
}

/** Groups in {@link SKIP_REASONS} order, only reasons that occur, each keeping up to `maxItems` items. */
export function summariseSkipped(skipped: readonly SkippedItem[], maxItems: number): SkippedGroup[] {
  return aggregate(skipped, (item) => item.reason, SKIP_REASONS, maxItems).map(({ group, count, first }) => ({ reason: group, count, items: first }));
}
