import type { ServerName } from '../config/sync-config.js';
import { t } from '../i18n/i18n.js';

/**
 * What went wrong, by kind: `network` (no answer: refused, reset, timed out),
 * `http` (a 5xx or 429 answer), `malformed` (an answer that is not the JSON the
 * contract promises: HTML pages, truncated bodies, wrong shapes), `unauthorized`
 * (401 even after logging in again), `rejected` (any other 4xx).
 */
export type ApiErrorKind = 'network' | 'http' | 'malformed' | 'unauthorized' | 'rejected';

export interface ApiErrorDetails {
  readonly server: ServerName;
  /** Method and route, e.g. `POST /admin/devices/:device_id/deactivate`. */
  readonly endpoint: string;
  readonly key: string | null;
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  /** A short reason, in the run's language. Built only from status codes, our own words and the server's error message: never from request data. */
  readonly reason: string;
  /** Milliseconds the server asked us to wait (Retry-After). */
  readonly retryAfterMs?: number | null;
  /** Set when another attempt cannot help, whatever the kind: an answer too large to read, a rate limit that outlasted our patience. */
  readonly final?: boolean;
}

/**
 * A failed API call. It deliberately keeps no reference to the HTTP library's
 * error, request or headers, so that logging or printing it can never leak a
 * password or a token.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly server: ServerName;
  readonly endpoint: string;
  readonly key: string | null;
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly reason: string;
  readonly retryAfterMs: number | null;
  readonly final: boolean;
  /** Set when an earlier attempt of the same call may have been applied (its answer was lost). */
  mayHaveBeenApplied = false;
  attempts = 1;

  constructor(details: ApiErrorDetails) {
    const { server, endpoint, key, reason } = details;
    super(key === null ? t('api:error.message', { server, endpoint, reason }) : t('api:error.messageWithKey', { server, endpoint, key, reason }));
    this.server = details.server;
    this.endpoint = details.endpoint;
    this.key = details.key;
    this.kind = details.kind;
    this.status = details.status;
    this.reason = details.reason;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.final = details.final ?? false;
  }

  /** Worth another attempt: the server may answer properly next time. */
  get transient(): boolean {
    return !this.final && (this.kind === 'network' || this.kind === 'http' || this.kind === 'malformed');
  }
}
