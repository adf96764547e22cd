import { t } from '../i18n/i18n.js';
import type { AppliedOperation } from '../outcome/run-result.js';
import { verbOf, VERBS, zeroVerbCounts, type Verb, type VerbCounts } from './plan-summary.js';

// What was applied, in the past tense of the plan's vocabulary
// ("created 3 licenses, blocked 2 licenses").

export interface AppliedCounts {
  readonly done: VerbCounts;
  readonly failed: VerbCounts;
  /** Planned but not sent: the run was interrupted. */
  readonly notSent: VerbCounts;
  /** Sent, every answer lost, not settled by a verification. */
  readonly unknown: VerbCounts;
}

export function countApplied(applied: readonly AppliedOperation[]): AppliedCounts {
  const done = zeroVerbCounts();
  const failed = zeroVerbCounts();
  const notSent = zeroVerbCounts();
  const unknown = zeroVerbCounts();
  const byStatus = { done, failed, 'not-sent': notSent, unknown } as const;
  for (const { operation, status } of applied) byStatus[status][verbOf(operation)] += 1;
  return { done, failed, notSent, unknown };
}

export function totalOf(counts: VerbCounts): number {
  return VERBS.reduce((sum, verb) => sum + counts[verb], 0);
}

const DONE = {
  createUser: (count: number) => t('report:applied.createdUsers', { count }),
  create: (count: number) => t('report:applied.created', { count }),
  update: (count: number) => t('report:applied.updated', { count }),
  reown: (count: number) => t('report:applied.reowned', { count }),
  block: (count: number) => t('report:applied.blocked', { count }),
  activate: (count: number) => t('report:applied.activated', { count }),
  delete: (count: number) => t('report:applied.deleted', { count }),
} as const satisfies Record<Verb, (count: number) => string>;

const FAILED = {
  createUser: (count: number) => t('report:applied.couldNotCreateUsers', { count }),
  create: (count: number) => t('report:applied.couldNotCreate', { count }),
  update: (count: number) => t('report:applied.couldNotUpdate', { count }),
  reown: (count: number) => t('report:applied.couldNotReown', { count }),
  block: (count: number) => t('report:applied.couldNotBlock', { count }),
  activate: (count: number) => t('report:applied.couldNotActivate', { count }),
  delete: (count: number) => t('report:applied.couldNotDelete', { count }),
} as const satisfies Record<Verb, (count: number) => string>;

/** "created 2 users, created 3 licenses, blocked 1 license"; "nothing" when all zero. */
export function summariseDone(counts: VerbCounts): string {
  return summarise(counts, DONE);
}

/** "could not create 1 license, could not block 2 licenses"; "nothing" when all zero. */
export function summariseFailed(counts: VerbCounts): string {
  return summarise(counts, FAILED);
}

function summarise(counts: VerbCounts, words: Record<Verb, (count: number) => string>): string {
  const parts = VERBS.filter((verb) => counts[verb] > 0).map((verb) => words[verb](counts[verb]));
  return parts.length === 0 ? t('report:applied.nothing') : parts.join(t('report:list.separator'));
}
