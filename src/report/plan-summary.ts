import { t } from '../i18n/i18n.js';
import { OPERATION_KINDS, type Operation, type OperationKind } from '../plan/operation.js';
import { OPERATION_KIND_WORDS, type OperationKindWords } from './wording/operation-kind-words.js';

// The plan's vocabulary, after `terraform plan`: each operation kind is one
// verb, and a plan is summed up in one line of counts ("3 licenses to create").

/** How many operations of each verb; `createUser` counts users, every other verb counts licenses. */
export interface VerbCounts {
  create: number;
  update: number;
  block: number;
  activate: number;
  reown: number;
  delete: number;
  createUser: number;
}

export type Verb = keyof VerbCounts;

/** The order verbs are shown in, which is also the order the executor applies them in (that of the kinds). */
export const VERBS: readonly Verb[] = OPERATION_KINDS.map((kind) => OPERATION_KIND_WORDS[kind].verb);

const KIND_OF_VERB = new Map<Verb, OperationKind>(OPERATION_KINDS.map((kind) => [OPERATION_KIND_WORDS[kind].verb, kind]));

/** The words of a verb (of the kind it counts). */
export function wordsOfVerb(verb: Verb): OperationKindWords {
  return OPERATION_KIND_WORDS[KIND_OF_VERB.get(verb) as OperationKind];
}

export function verbOf(operation: Pick<Operation, 'kind'>): Verb {
  return OPERATION_KIND_WORDS[operation.kind].verb;
}

/** The key order of the JSON report's counts (a documented format: it stays as it is). */
export function zeroVerbCounts(): VerbCounts {
  return { create: 0, update: 0, block: 0, activate: 0, reown: 0, delete: 0, createUser: 0 };
}

export function countVerbs(operations: readonly Operation[]): VerbCounts {
  const counts = zeroVerbCounts();
  for (const operation of operations) counts[verbOf(operation)] += 1;
  return counts;
}

/** The record a verb acts on: users are only ever created, everything else is a license. */
export function nounOf(verb: Verb): 'user' | 'license' {
  return wordsOfVerb(verb).noun;
}

/** `1 license`, `2 licenses` (in the current language). */
export function countNoun(count: number, noun: 'user' | 'license'): string {
  return noun === 'user' ? t('report:count.users', { count }) : t('report:count.licenses', { count });
}

/** "3 licenses to create" for each verb. */
const FUTURE = {
  createUser: (count: number) => t('report:plan.toCreateUsers', { count }),
  create: (count: number) => t('report:plan.toCreate', { count }),
  update: (count: number) => t('report:plan.toUpdate', { count }),
  reown: (count: number) => t('report:plan.toReown', { count }),
  block: (count: number) => t('report:plan.toBlock', { count }),
  activate: (count: number) => t('report:plan.toActivate', { count }),
  delete: (count: number) => t('report:plan.toDelete', { count }),
} as const satisfies Record<Verb, (count: number) => string>;

/**
 * The plan in one line, terraform style, naming the record in every part so
 * that users and licenses never blur: "2 users to create, 3 licenses to
 * create, 1 license to update, 1 license to re-own, 2 licenses to block,
 * 1 license to activate, 1 license to delete". Only non-zero parts appear, in
 * the order of {@link VERBS}; "no changes" when every count is zero.
 * "re-own" is `update-created-by` (the license's owning reseller changes).
 */
export function summariseVerbs(counts: VerbCounts): string {
  const parts = VERBS.filter((verb) => counts[verb] > 0).map((verb) => FUTURE[verb](counts[verb]));
  return parts.length === 0 ? t('report:plan.noChangesShort') : parts.join(t('report:list.separator'));
}
