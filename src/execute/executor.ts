import pLimit from 'p-limit';
import { serverErrorOf } from '../api/license-server.js';
import type { Operation } from '../plan/operation.js';

export interface OperationOutcome {
  readonly operation: Operation;
  /**
   * `not-sent`: the run was stopped (signal) before this operation started.
   * `unknown`: it failed, but an attempt whose answer was lost may have been
   * applied: only listing the server again can tell.
   */
  readonly status: 'done' | 'failed' | 'unknown' | 'not-sent';
  readonly note: string | null;
  readonly error: unknown;
}

/** Applies one operation; resolves to a note for the report (or null), rejects when it failed. */
export type ApplyOperation = (operation: Operation, index: number) => Promise<string | null>;

export interface ExecuteOptions {
  /** Operations in flight at most; a function (an adaptive limit) is asked again as each operation starts and ends. */
  readonly concurrency: number | (() => number);
  /** Chains of operations sharing a key start first when one of their operations is `first` (plan order otherwise). */
  readonly first?: (operation: Operation) => boolean;
  /** Once aborted, no further operation starts; those in flight finish. */
  readonly signal?: AbortSignal;
  /** Called just before an operation is sent (for the journal). */
  readonly onStart?: (index: number) => void;
  /** Called as soon as an operation has an outcome. */
  readonly onSettled?: (index: number, outcome: OperationOutcome) => void;
}

/**
 * Runs operations with at most `concurrency` in flight: those sharing a key run
 * one after another in plan order, different keys concurrently, the chains
 * holding a `first` operation started before the others. A failure is
 * recorded and the rest go on. Outcomes come back in plan order.
 */
export async function executeOperations(operations: readonly Operation[], apply: ApplyOperation, options: ExecuteOptions): Promise<OperationOutcome[]> {
  const outcomes = new Array<OperationOutcome>(operations.length);
  const chains = new Map<string, number[]>();
  operations.forEach((operation, index) => {
    const chain = chains.get(operation.key);
    if (chain) chain.push(index);
    else chains.set(operation.key, [index]);
  });
  const settle = (index: number, outcome: OperationOutcome) => {
    outcomes[index] = outcome;
    options.onSettled?.(index, outcome);
  };

  const first = options.first;
  const ordered = first === undefined ? [...chains.values()] : prioritised([...chains.values()], (index) => first(operations[index] as Operation));

  const { concurrency } = options;
  const concurrencyNow = () => Math.max(1, Math.floor(typeof concurrency === 'number' ? concurrency : concurrency()));
  const limit = pLimit(concurrencyNow());
  await Promise.all(
    ordered.map((chain) =>
      limit(async () => {
        for (const index of chain) {
          limit.concurrency = concurrencyNow();
          const operation = operations[index] as Operation;
          if (options.signal?.aborted === true) {
            settle(index, { operation, status: 'not-sent', note: null, error: null });
            continue;
          }
          options.onStart?.(index);
          try {
            settle(index, { operation, status: 'done', note: await apply(operation, index), error: null });
          } catch (error) {
            settle(index, { operation, status: serverErrorOf(error)?.mayHaveBeenApplied === true ? 'unknown' : 'failed', note: null, error });
          }
        }
        limit.concurrency = concurrencyNow();
      }),
    ),
  );
  return outcomes;
}

/** The chains holding a prioritised operation first, each group in its own order. */
function prioritised(chains: readonly number[][], isFirst: (index: number) => boolean): number[][] {
  const early: number[][] = [];
  const late: number[][] = [];
  for (const chain of chains) (chain.some(isFirst) ? early : late).push(chain);
  return [...early, ...late];
}
