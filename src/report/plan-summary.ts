import type { Operation, OperationKind } from '../plan/operation.js';

// The plan's vocabulary, after `terraform plan`: each operation kind is one
// verb, and a plan is summed up in one line of counts.

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

/** The order verbs are shown in, which is also the order the executor applies them in. */
export const VERBS: readonly Verb[] = ['createUser', 'create', 'update', 'reown', 'block', 'activate', 'delete'];

const VERB_OF_KIND: Readonly<Record<OperationKind, Verb>> = {
  'create-user': 'createUser',
  'create-license': 'create',
  'update-license': 'update',
  'update-created-by': 'reown',
  block: 'block',
  activate: 'activate',
  'delete-license': 'delete',
};

export function verbOf(operation: Pick<Operation, 'kind'>): Verb {
  return VERB_OF_KIND[operation.kind];
}

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
  return verb === 'createUser' ? 'user' : 'license';
}

/** `1 license`, `2 licenses`. */
export function countNoun(count: number, noun: 'user' | 'license'): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const FUTURE: Readonly<Record<Verb, string>> = {
  createUser: 'to create',
  create: 'to create',
  update: 'to update',
  reown: 'to re-own',
  block: 'to block',
  activate: 'to activate',
  delete: 'to delete',
};

/**
 * The plan in one line, terraform style, naming the record in every part so
 * that users and licenses never blur: "2 users to create, 3 licenses to
 * create, 1 license to update, 1 license to re-own, 2 licenses to block,
 * 1 license to activate, 1 license to delete". Only non-zero parts appear, in
 * the order of {@link VERBS}; "no changes" when every count is zero.
 * "re-own" is `update-created-by` (the license's owning reseller changes).
 */
export function summariseVerbs(counts: VerbCounts): string {
  const parts = VERBS.filter((verb) => counts[verb] > 0).map((verb) => `${countNoun(counts[verb], nounOf(verb))} ${FUTURE[verb]}`);
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}
