import type { OperationKind } from '../../plan/operation.js';

// Every way the reports name an operation kind, in one table: a new kind
// without its words is a type error.

export interface OperationKindWords {
  /** Its key in the counts of the JSON report (`summary`, `doneByVerb`...). */
  readonly verb: 'createUser' | 'create' | 'update' | 'reown' | 'block' | 'activate' | 'delete';
  /** The record it acts on: users are only ever created, everything else is a license. */
  readonly noun: 'user' | 'license';
  /** As in `terraform plan`: `+` create, `~` change in place, `!` block, `^` activate, `-` delete. */
  readonly symbol: string;
  /** The heading of its group in the plan. */
  readonly title: string;
  /** What the operator should know about the whole group, when anything. */
  readonly note: string | null;
  /** In the plan's summary: "3 licenses to create". */
  readonly future: string;
  /** In what was applied: "created 3 licenses". */
  readonly past: string;
  /** In what failed: "could not create 1 license". */
  readonly infinitive: string;
}

export const OPERATION_KIND_WORDS: { readonly [K in OperationKind]: OperationKindWords } = {
  'create-user': {
    verb: 'createUser',
    noun: 'user',
    symbol: '+',
    title: 'create users',
    note: 'each gets a fresh random password, given to the operator in a file only they can read',
    future: 'to create',
    past: 'created',
    infinitive: 'create',
  },
  'create-license': { verb: 'create', noun: 'license', symbol: '+', title: 'create licenses', note: null, future: 'to create', past: 'created', infinitive: 'create' },
  'update-license': {
    verb: 'update',
    noun: 'license',
    symbol: '~',
    title: 'update licenses',
    note: 'upsert: re-dates the license, re-activates it and may e-mail the customer',
    future: 'to update',
    past: 'updated',
    infinitive: 'update',
  },
  'update-created-by': {
    verb: 'reown',
    noun: 'license',
    symbol: '~',
    title: 're-own licenses',
    note: 'sets created_by only',
    future: 'to re-own',
    past: 're-owned',
    infinitive: 're-own',
  },
  block: { verb: 'block', noun: 'license', symbol: '!', title: 'block licenses', note: null, future: 'to block', past: 'blocked', infinitive: 'block' },
  activate: { verb: 'activate', noun: 'license', symbol: '^', title: 'activate licenses', note: null, future: 'to activate', past: 'activated', infinitive: 'activate' },
  'delete-license': {
    verb: 'delete',
    noun: 'license',
    symbol: '-',
    title: 'delete licenses',
    note: 'only with --delete, within --max-delete',
    future: 'to delete',
    past: 'deleted',
    infinitive: 'delete',
  },
};
