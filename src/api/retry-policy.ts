import { setTimeout as sleep } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import { ApiError } from './api-error.js';
import type { LogSink } from './log-sink.js';

export interface RetryPolicy {
  /** Total attempts per request, the first included. */
  readonly attempts: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/** The longest Retry-After honoured, as a multiple of the longest backoff. */
const RETRY_AFTER_CAP = 10;

/**
 * Runs `attempt` until it succeeds or fails for good. Transient ApiErrors
 * (network, 5xx, 429, malformed answers) are retried with exponential backoff
 * and jitter, waiting at least what a Retry-After header asks; anything else
 * fails at once. The error finally thrown carries the attempts made and, for
 * a write, whether an earlier attempt may have been applied (its answer lost).
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  options: { readonly write: boolean; readonly log: LogSink; readonly signal?: AbortSignal | undefined },
): Promise<T> {
  let mayHaveBeenApplied = false;
  let attemptsMade = 0;
  try {
    return await pRetry(
      async () => {
        attemptsMade += 1;
        try {
          return await attempt();
        } catch (error) {
          if (!(error instanceof ApiError) || !error.transient) throw new AbortError(error as Error);
          // A 429 was refused before any work; anything else may have reached the handler.
          if (options.write && error.status !== 429) mayHaveBeenApplied = true;
          throw error;
        }
      },
      {
        retries: policy.attempts - 1,
        factor: 2,
        minTimeout: policy.minDelayMs,
        maxTimeout: policy.maxDelayMs,
        randomize: true,
        ...(options.signal ? { signal: options.signal } : {}),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft <= 0 || !(error instanceof ApiError)) return;
          options.log.warn(`${error.message} (attempt ${attemptNumber} of ${policy.attempts}; retrying)`);
          if (error.retryAfterMs !== null) await sleep(Math.min(error.retryAfterMs, RETRY_AFTER_CAP * policy.maxDelayMs), undefined, { signal: options.signal });
        },
      },
    );
  } catch (error) {
    if (error instanceof ApiError) {
      error.attempts = attemptsMade;
      error.mayHaveBeenApplied = mayHaveBeenApplied;
    }
    throw error;
  }
}
