import { setTimeout as sleep } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import { ApiError } from './api-error.js';
import type { LogSink } from '../log/log-sink.js';
import { pauseSeconds, type RateLimitGate } from './rate-limit-gate.js';
import { t } from '../i18n/i18n.js';

export interface RetryPolicy {
  /** Total attempts per request, the first included. 429 answers do not count. */
  readonly attempts: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** How long one request may be kept waiting by 429 answers before it gives up; RATE_LIMIT_PATIENCE_MS by default. */
  readonly rateLimitPatienceMs?: number;
}

/** The longest Retry-After honoured, as a multiple of the longest backoff. */
const RETRY_AFTER_CAP = 10;

/** How long, in all, one request waits out 429 answers before it fails. */
export const RATE_LIMIT_PATIENCE_MS = 10 * 60_000;

export interface RetryOptions {
  readonly write: boolean;
  readonly log: LogSink;
  readonly signal?: AbortSignal | undefined;
  /** The server's pause after a 429, shared by every request to it. */
  readonly gate: RateLimitGate;
}

/**
 * Runs `attempt` until it succeeds or fails for good. Transient ApiErrors
 * (network, 5xx, malformed answers) are retried with exponential backoff and
 * jitter, waiting at least what a Retry-After header asks; anything else fails
 * at once. A 429 pauses every request to the server (the gate) and uses up no
 * attempt, until the request has waited out 429s for longer than the policy's
 * patience. The error finally thrown carries the requests made and, for a
 * write, whether an earlier attempt may have been applied (its answer lost).
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, options: RetryOptions): Promise<T> {
  const patienceMs = policy.rateLimitPatienceMs ?? RATE_LIMIT_PATIENCE_MS;
  const retryAfterCapMs = RETRY_AFTER_CAP * policy.maxDelayMs;
  let mayHaveBeenApplied = false;
  let requests = 0;
  let rateLimitedMs = 0;
  let rateLimits = 0;

  // 429s are waited out inside one p-retry attempt: p-retry's shouldConsumeRetry
  // still gives up on any failure once the other failures used up the retries
  // (at once with --retries 1), which would let a rate limit fail a write.
  const attemptThroughRateLimits = async (): Promise<T> => {
    for (;;) {
      rateLimitedMs += await options.gate.wait(options.signal);
      requests += 1;
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 429) throw error;
        const pauseMs = error.retryAfterMs === null ? backoffMs(policy, rateLimits) : Math.min(error.retryAfterMs, retryAfterCapMs);
        rateLimits += 1;
        if (rateLimitedMs + pauseMs > patienceMs) throw outOfPatience(error, rateLimitedMs);
        options.gate.pause(pauseMs);
      }
    }
  };

  try {
    return await pRetry(
      async () => {
        try {
          return await attemptThroughRateLimits();
        } catch (error) {
          if (!(error instanceof ApiError) || !error.transient) {
            // An answer we refused to read (too large) still came after the server did the work.
            if (options.write && error instanceof ApiError && error.kind === 'malformed') mayHaveBeenApplied = true;
            throw new AbortError(error as Error);
          }
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
          // After the stop nothing is retried (p-retry checks the signal next), and the abandoned request was no timeout.
          if (retriesLeft <= 0 || !(error instanceof ApiError) || options.signal?.aborted === true) return;
          options.log.warn(t('api:retry.retrying', { message: error.message, attempt: attemptNumber, attempts: policy.attempts }));
          if (error.retryAfterMs !== null) await sleep(Math.min(error.retryAfterMs, retryAfterCapMs), undefined, { signal: options.signal });
        },
      },
    );
  } catch (error) {
    if (error instanceof ApiError) {
      error.attempts = requests;
      error.mayHaveBeenApplied = mayHaveBeenApplied;
    }
    throw error;
  }
}

/** The backoff before retry number `retry` (0-based), as p-retry computes it: doubling, capped, with jitter. */
function backoffMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, Math.round((1 + Math.random()) * policy.minDelayMs * 2 ** retry));
}

/** The 429 that ends a request's patience, saying so; final, so that nothing retries it. */
function outOfPatience(error: ApiError, waitedMs: number): ApiError {
  return new ApiError({
    server: error.server,
    endpoint: error.endpoint,
    key: error.key,
    kind: error.kind,
    status: error.status,
    reason: t('api:retry.outOfPatience', { reason: error.reason, seconds: pauseSeconds(waitedMs) }),
    retryAfterMs: error.retryAfterMs,
    final: true,
  });
}
