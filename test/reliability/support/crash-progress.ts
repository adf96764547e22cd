import type { WriteEntry } from '../../../src/emulator/write-log.js';
import type { JsonOperation } from '../../../src/report/json-report.js';

// How far a killed run had got, as the backup saw it: which planned
// operations had all their writes handled, and which had at least one. The
// journal the next run reports must agree: an operation is `done` only once
// the server did it, and anything the server did was journaled as sent first.

/** Write requests an operation makes when all goes well: a license created for a denied one is blocked right after. */
export function writesOf(operation: JsonOperation): number {
  return operation.kind === 'create-license' && operation.thenBlock !== null ? 2 : 1;
}

/** The plan key (`user:<name>` / `license:<device_id>`) a logged write belongs to. */
function planKeyOf(write: WriteEntry): string {
  return write.route === 'POST /admin/users/create' ? `user:${write.key ?? ''}` : `license:${write.key ?? ''}`;
}

export interface ServerProgress {
  /** Operations whose every write the server handled. */
  readonly complete: number;
  /** Operations of which the server handled at least one write. */
  readonly touched: number;
  /** Writes handled that belong to no planned operation (there should be none). */
  readonly unplanned: number;
}

/**
 * Operations on one key run one after another in plan order, so the writes
 * logged for a key cover a prefix of that key's operations.
 */
export function progressOf(operations: readonly JsonOperation[], writes: readonly WriteEntry[]): ServerProgress {
  const logged = new Map<string, number>();
  for (const write of writes) logged.set(planKeyOf(write), (logged.get(planKeyOf(write)) ?? 0) + 1);
  const chains = new Map<string, JsonOperation[]>();
  for (const operation of operations) chains.set(operation.key, [...(chains.get(operation.key) ?? []), operation]);
  let complete = 0;
  let touched = 0;
  let unplanned = 0;
  for (const [key, count] of logged) {
    const chain = chains.get(key);
    if (chain === undefined) {
      unplanned += count;
      continue;
    }
    let left = count;
    for (const operation of chain) {
      if (left <= 0) break;
      touched += 1;
      if (left >= writesOf(operation)) complete += 1;
      left -= writesOf(operation);
    }
    if (left > 0) unplanned += left;
  }
  return { complete, touched, unplanned };
}
