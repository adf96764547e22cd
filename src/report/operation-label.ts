import { t } from '../i18n/i18n.js';
import type { Operation } from '../plan/operation.js';
import { printable } from './printable.js';
import { OPERATION_KIND_WORDS } from './wording/operation-kind-words.js';
import { operationReasonText, thenBlockText } from './wording/operation-reason-words.js';

// How one operation reads in a report: "+ license <device_id>: <reason>".

/** "user alice" or "license 0a1b…": the record, by its key on the servers. */
export function subjectOf(operation: Operation): string {
  switch (operation.kind) {
    case 'create-user':
      return t('report:label.user', { key: printable(operation.username) });
    case 'create-license':
    case 'update-license':
      return t('report:label.license', { key: printable(operation.body.device_id) });
    case 'update-created-by':
    case 'block':
    case 'activate':
    case 'delete-license':
      return t('report:label.license', { key: printable(operation.deviceId) });
  }
}

/** "license 0a1b…: missing on the backup; then blocked: the primary denies it (blocked)". */
export function describeOperation(operation: Operation): string {
  const subject = subjectOf(operation);
  const reason = printable(operationReasonText(operation.reason));
  if (operation.kind === 'create-license' && operation.thenBlock !== null) {
    return t('report:label.operationThenBlocked', { subject, reason, why: printable(thenBlockText(operation.thenBlock)) });
  }
  return t('report:label.operation', { subject, reason });
}

/** Where the write goes: `→ backup` (or the backup's name), `← primary` for a two-way run's writes on the primary. */
export function directionOf(operation: Pick<Operation, 'server'>): string {
  return operation.server === 'primary' ? '← primary' : `→ ${printable(operation.server)}`;
}

/** The operation with its kind's symbol and its direction in front: `+ → backup license 0a1b…: missing on the backup`. */
export function operationLine(operation: Operation): string {
  return `${OPERATION_KIND_WORDS[operation.kind].symbol} ${directionOf(operation)} ${describeOperation(operation)}`;
}
