import type { ServerName } from '../config/sync-config.js';
import type { UpsertBody } from '../domain/upsert-body.js';
import type { UserRole } from '../snapshot/records.js';
import { ApiError, type ApiErrorDetails, type ApiErrorKind } from './api-error.js';
import type { HealthProbe } from './health-probe.js';
import type { SlotFigures } from './request-slots.js';

export type { SlotFigures };

// A license server as the sync sees it: the contract's calls on one server,
// with one session. The HTTP client (license-api-client.ts) is the real one;
// tests hold servers in memory. Everything outside api/ goes through this.

/** What a login tells about the account (the token stays inside the server object). */
export interface LoginSession {
  readonly role: UserRole;
  readonly must_change_password: boolean;
}

export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly email: string | null;
  readonly role: UserRole;
}

export interface LicenseServer {
  /** The configured name: `primary`, `backup`, `backup-2`... */
  readonly server: ServerName;
  /** Requests sent so far, retries and health polls included. */
  readonly requestCount: number;
  /** The last successful login, without its token; null before one. */
  readonly session: { readonly role: UserRole; readonly mustChangePassword: boolean } | null;
  /** Writes it may have in flight now (its limit, adaptive or pinned); absent where nothing limits them. */
  readonly writeLimit?: number;
  /** How the writes went (in flight at once, span); null before the first; absent where nothing is measured. */
  readonly writeFigures?: SlotFigures | null;
  /**
   * Resolves once the server answers its health check (free tiers sleep), with
   * the time it took; `onWaiting` hears how long it has waited so far, after each poll that found it asleep.
   */
  waitUntilAwake(wakeTimeoutMs: number, onWaiting?: (elapsedMs: number, limitMs: number) => void): Promise<number>;
  /**
   * One `GET /health`, no retry and no waiting for a wake-up, given up after
   * `timeoutMs`: what the watchdog of `sync-dbs serve` checks. Never rejects.
   */
  probeHealth(timeoutMs: number): Promise<HealthProbe>;
  login(): Promise<LoginSession>;
  /** The listed users, each as sent (validated by snapshot/). */
  listUsers(): Promise<unknown[]>;
  /** The listed licenses, each as sent (validated by snapshot/). */
  listLicenses(): Promise<unknown[]>;
  /** Fails with kind `rejected` (400) when the username exists. */
  createUser(user: NewUser): Promise<void>;
  /** Creates or replaces a license: active again, dated from today. */
  upsertLicense(body: UpsertBody): Promise<void>;
  setStatus(deviceId: string, action: 'block' | 'activate'): Promise<void>;
  updateCreatedBy(deviceId: string, createdBy: string): Promise<void>;
  /** Fails with status 404 when the license does not exist. */
  deleteLicense(deviceId: string): Promise<void>;
  close(): void;
}

/** The account a server is opened with. */
export interface ServerAccount {
  readonly name: ServerName;
  readonly url: string;
  readonly username: string;
  readonly password: string;
}

/** Opens the server of one account; `stop` abandons its reads and logins once aborted. */
export type OpenServer = (account: ServerAccount, stop?: AbortSignal) => LicenseServer;

/**
 * Why a call failed, by kind: `network` (no answer: refused, reset, timed out,
 * not awake), `http` (a 5xx or 429 answer), `malformed` (not the JSON the
 * contract promises), `unauthorized` (401 even after logging in again),
 * `rejected` (any other 4xx).
 */
export type ServerErrorKind = ApiErrorKind;

/** A failed call, as every implementation reports it. Never carries a password or a token. */
export interface ServerError {
  readonly server: ServerName;
  /** Method and route, e.g. `POST /admin/devices/:device_id/deactivate`. */
  readonly endpoint: string;
  readonly key: string | null;
  readonly kind: ServerErrorKind;
  readonly status: number | null;
  readonly reason: string;
  /** Attempts made before giving up. */
  readonly attempts: number;
  /** An earlier attempt of this write may have been applied (its answer was lost). */
  readonly mayHaveBeenApplied: boolean;
}

/** The server error `error` is, or null when it is something else (a bug, an abort). */
export function serverErrorOf(error: unknown): ServerError | null {
  return error instanceof ApiError ? error : null;
}

/** A failure to throw from an implementation of LicenseServer (in-memory servers in tests). */
export function newServerError(details: ApiErrorDetails & { readonly attempts?: number; readonly mayHaveBeenApplied?: boolean }): Error & ServerError {
  const error = new ApiError(details);
  if (details.attempts !== undefined) error.attempts = details.attempts;
  if (details.mayHaveBeenApplied !== undefined) error.mayHaveBeenApplied = details.mayHaveBeenApplied;
  return error;
}

/** The endpoint that answered 404: what a deletion or a block of an absent license meets. */
export function isNotFound(error: unknown): boolean {
  return serverErrorOf(error)?.status === 404;
}

/** An answer that is not what the contract promises (a listing that cannot be believed). */
export function isMalformedAnswer(error: unknown): boolean {
  return serverErrorOf(error)?.kind === 'malformed';
}
