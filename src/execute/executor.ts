import pLimit from 'p-limit';
import type { Operation } from '../plan/operation.js';

export interface OperationOutcome {
  readonly operation: Operation;
  readonly status: 'done' | 'failed';
  readonly note: string | null;
  readonly error: unknown;
}

/** Applies one operation; resolves to a note for the report (or null), rejects when it failed. */
export type ApplyOperation = (operation: Operation) => Promise<string | null>;

/**
 * Runs operations with at most `concurrency` in flight: those sharing a key run
 * one after another in plan order, different keys concurrently. A failure is
 * recorded and the rest go on. Outcomes come back in plan order.
 */
export async function executeOperations(operations: readonly Operation[], apply: ApplyOperation, concurrency: number): Promise<OperationOutcome[]> {
  const outcomes = new Array<OperationOutcome>(operations.length);
  const chains = new Map<string, number[]>();
  operations.forEach((operation, index) => {
    const chain = chains.get(operation.key);
    if (chain) chain.push(index);
    else chains.set(operation.key, [index]);
  });

  const limit = pLimit(concurrency);
  await Promise.all(
    [...chains.values()].map((chain) =>
      limit(async () => {
        for (const index of chain) {
          const operation = operations[index] as Operation;
          try {
            outcomes[index] = { operation, status: 'done', note: await apply(operation), error: null };
          } catch (error) {
            outcomes[index] = { operation, status: 'failed', note: null, error };
          }
        }
      }),
    ),
  );
  return outcomes;
}
