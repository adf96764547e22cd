import type { AppliedOperation } from '../outcome/run-result.js';
import { countNoun, nounOf, verbOf, VERBS, wordsOfVerb, zeroVerbCounts, type VerbCounts } from './plan-summary.js';

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

/** "created 2 users, created 3 licenses, blocked 1 license"; "nothing" when all zero. */
export function summariseDone(counts: VerbCounts): string {
  const parts = VERBS.filter((verb) => counts[verb] > 0).map((verb) => `${wordsOfVerb(verb).past} ${countNoun(counts[verb], nounOf(verb))}`);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

/** "could not create 1 license, could not block 2 licenses"; "nothing" when all zero. */
export function summariseFailed(counts: VerbCounts): string {
  const parts = VERBS.filter((verb) => counts[verb] > 0).map((verb) => `could not ${wordsOfVerb(verb).infinitive} ${countNoun(counts[verb], nounOf(verb))}`);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}
