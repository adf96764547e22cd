import type { Operation } from './operation.js';

// The contract: where a server has e-mail configured, every
// POST /admin/devices/create (insert or upsert) with a non-empty `email` sends
// the customer a welcome e-mail. The sync cannot tell whether a server has
// e-mail configured, so these are upper bounds.

/** True when this write may make its server e-mail the customer. */
export function mayEmailCustomer(operation: Operation): boolean {
  return (operation.kind === 'create-license' || operation.kind === 'update-license') && (operation.body.email ?? '').trim() !== '';
}

/** Per server written to (in first-seen order), how many welcome e-mails these writes may make it send; servers with none are left out. */
export function welcomeEmailsByServer(operations: readonly Operation[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const operation of operations) {
    if (mayEmailCustomer(operation)) counts.set(operation.server, (counts.get(operation.server) ?? 0) + 1);
  }
  return counts;
}
