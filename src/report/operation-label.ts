import type { Operation } from '../plan/operation.js';
import { verbOf, type Verb } from './plan-summary.js';
import { printable } from './printable.js';
import { operationReasonText, thenBlockText } from './wording/operation-reason-words.js';

// How one operation reads in a report: "+ license <device_id>: <reason>".

/** One symbol per verb, as in `terraform plan`: `+` create, `~` change in place, `!` block, `^` activate, `-` delete. */
export const VERB_SYMBOLS: Readonly<Record<Verb, string>> = {
  createUser: '+',
  create: '+',
  update: '~',
  reown: '~',
  block: '!',
  activate: '^',
  delete: '-',
};

/** Group titles of the plan, one per verb. */
export const VERB_TITLES: Readonly<Record<Verb, string>> = {
  createUser: 'create users',
  create: 'create licenses',
  update: 'update licenses',
  reown: 're-own licenses',
  block: 'block licenses',
  activate: 'activate licenses',
  delete: 'delete licenses',
};

/** What the operator should know about a whole group, when anything. */
export const VERB_NOTES: Readonly<Record<Verb, string | null>> = {
  createUser: 'each gets a fresh random password, given to the operator in a file only they can read',
  create: null,
  update: 'upsert: re-dates the license, re-activates it and may e-mail the customer',
  reown: 'sets created_by only',
  block: null,
  activate: null,
  delete: 'only with --delete, within --max-delete',
};

/** "user alice" or "license 0a1b…": the record, by its key on the servers. */
export function subjectOf(operation: Operation): string {
  switch (operation.kind) {
    case 'create-user':
      return `user ${printable(operation.username)}`;
    case 'create-license':
    case 'update-license':
      return `license ${printable(operation.body.device_id)}`;
    case 'update-created-by':
    case 'block':
    case 'activate':
    case 'delete-license':
      return `license ${printable(operation.deviceId)}`;
  }
}

/** "license 0a1b…: missing on the backup; then blocked: the primary denies it (blocked)". */
export function describeOperation(operation: Operation): string {
  const then = operation.kind === 'create-license' && operation.thenBlock !== null ? `; then blocked: ${printable(thenBlockText(operation.thenBlock))}` : '';
  return `${subjectOf(operation)}: ${printable(operationReasonText(operation.reason))}${then}`;
}

/** Where the write goes: `→ backup` (or the backup's name), `← primary` for a two-way run's writes on the primary. */
export function directionOf(operation: Pick<Operation, 'server'>): string {
  return operation.server === 'primary' ? '← primary' : `→ ${printable(operation.server)}`;
}

/** The operation with its verb's symbol and its direction in front: `+ → backup license 0a1b…: missing on the backup`. */
export function operationLine(operation: Operation): string {
  return `${VERB_SYMBOLS[verbOf(operation)]} ${directionOf(operation)} ${describeOperation(operation)}`;
}
