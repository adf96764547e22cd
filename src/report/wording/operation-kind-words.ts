import { t } from '../../i18n/i18n.js';
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

type Words = Pick<OperationKindWords, 'verb' | 'noun' | 'symbol'>;

/**
 * The words of one kind. The texts are getters, looked up in the catalog
 * each time they are read: the table is built at import, before the CLI has
 * chosen the language.
 */
function kindWords(kind: OperationKind, words: Words, hasNote: boolean): OperationKindWords {
  return {
    ...words,
    get title() {
      return t(`wording:kind.${kind}.title`);
    },
    get note() {
      return hasNote ? t(`wording:kind.${kind}.note` as `wording:kind.create-user.note`) : null;
    },
    get future() {
      return t(`wording:kind.${kind}.future`);
    },
    get past() {
      return t(`wording:kind.${kind}.past`);
    },
    get infinitive() {
      return t(`wording:kind.${kind}.infinitive`);
    },
  };
}

export const OPERATION_KIND_WORDS: { readonly [K in OperationKind]: OperationKindWords } = {
  'create-user': kindWords('create-user', { verb: 'createUser', noun: 'user', symbol: '+' }, true),
  'create-license': kindWords('create-license', { verb: 'create', noun: 'license', symbol: '+' }, false),
  'update-license': kindWords('update-license', { verb: 'update', noun: 'license', symbol: '~' }, true),
  'update-created-by': kindWords('update-created-by', { verb: 'reown', noun: 'license', symbol: '~' }, true),
  block: kindWords('block', { verb: 'block', noun: 'license', symbol: '!' }, false),
  activate: kindWords('activate', { verb: 'activate', noun: 'license', symbol: '^' }, false),
  'delete-license': kindWords('delete-license', { verb: 'delete', noun: 'license', symbol: '-' }, true),
};

/**
 * A count of one kind in one of the report's forms, worded whole so that each
 * language orders it and makes it agree as it must: "3 licenses to create" /
 * "3 licenças a criar", "created 1 license" / "1 licença criada", "could not
 * block 2 licenses" / "não foi possível bloquear 2 licenças".
 */
export function countedKindText(kind: OperationKind, count: number, form: 'future' | 'past' | 'failed'): string {
  return t(`wording:kind.${kind}.counted.${form}`, { count });
}
