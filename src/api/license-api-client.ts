import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerName } from '../config/sync-config.js';
import type { UpsertBody } from '../domain/upsert-body.js';
import type { UserRole } from '../snapshot/records.js';
import { ApiError } from './api-error.js';
import { t } from '../i18n/i18n.js';
import { sendErrorText, wrongAddressText } from './failure-texts.js';
import { WakeVerdicts, type WrongAddress } from './wrong-address.js';
import { expecting, readAnswer, type AnswerReader, type HttpAnswer } from './http-answer.js';
import { AnswerTooLargeError, HttpTransport, NoAnswerError, type HttpRequest } from './http-transport.js';
import { readListing } from './listing-answer.js';
import type { HealthProbe } from './health-probe.js';
import { probeHealth } from './probe-health.js';
import { silentLog, type LogSink } from '../log/log-sink.js';
import { SecretRedactor } from '../log/secret-redactor.js';
import { pathSegment } from './path-segment.js';
import { RateLimitGate } from './rate-limit-gate.js';
import { PinnedLimit, type ConcurrencyLimit, type SampleOutcome } from './concurrency-limit.js';
import { limitChangeText } from './limit-change-text.js';
import { RequestSlots, type SlotFigures } from './request-slots.js';
import { withRetries, type RetryPolicy } from './retry-policy.js';
import type { LicenseServer, NewUser, ServerAccount } from './license-server.js';
import {
  createdByAnswer,
  createUserAnswer,
  deleteAnswer,
  healthAnswer,
  loginAnswer,
  statusAnswer,
  upsertAnswer,
  type LoginAnswer,
} from './response-schemas.js';

export type { RetryPolicy };

export type { ServerAccount };

export interface ClientOptions {
  readonly account: ServerAccount;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly ca: string | null;
  readonly maxSockets: number;
  /** How many reads (listings, logins) and writes may be in flight at once; `maxSockets` each, pinned, when not given. */
  readonly concurrency?: { readonly reads: ConcurrencyLimit; readonly writes: ConcurrencyLimit };
  /** Longer answers are refused unread (--max-answer-mb); 128 MB when not given. */
  readonly maxAnswerBytes?: number;
  readonly log?: LogSink;
  /** Called with every secret the client learns or sends (tokens, new users' passwords), so that logs can redact them. */
  readonly onSecret?: (secret: string) => void;
  /**
   * Blanks every secret the run knows out of an error answer's body, before
   * any of it is read or cut short: a secret cut in half would no longer be
   * recognised downstream. The client's own secrets are blanked in any case.
   */
  readonly redact?: (text: string) => string;
  /**
   * Once aborted, wake-up polls, logins and listings stop at once (request and
   * retry waits included); writes in flight still run their course.
   */
  readonly stop?: AbortSignal;
}

interface Call<T> {
  readonly method: HttpRequest['method'];
  /** The route as the contract names it, for messages: `POST /admin/devices/:device_id/deactivate`. */
  readonly route: string;
  readonly path: string;
  readonly key: string | null;
  readonly body?: unknown;
  readonly read: AnswerReader<T>;
  readonly authenticated: boolean;
}

const WAKE_POLL_MS = 2_000;

/**
 * The only code that knows URLs, tokens and the retry policy. Every failure
 * surfaces as an ApiError naming the server, endpoint and key.
 */
export class LicenseApiClient implements LicenseServer {
  private readonly transport: HttpTransport;
  private readonly log: LogSink;
  private readonly rateLimit: RateLimitGate;
  private readonly slots: { readonly reads: RequestSlots; readonly writes: RequestSlots };
  private readonly limits: { readonly reads: ConcurrencyLimit; readonly writes: ConcurrencyLimit };
  private token: string | null = null;
  private loggingIn: Promise<LoginAnswer> | null = null;
  private lastLogin: LoginAnswer | null = null;
  /** The secrets this client has sent or received: its password, its tokens, new users' passwords. */
  private readonly secrets = new SecretRedactor();

  constructor(private readonly options: ClientOptions) {
    this.transport = new HttpTransport({
      baseUrl: options.account.url,
      timeoutMs: options.timeoutMs,
      ca: options.ca,
      maxSockets: options.maxSockets,
      ...(options.maxAnswerBytes === undefined ? {} : { maxAnswerBytes: options.maxAnswerBytes }),
    });
    this.log = options.log ?? silentLog;
    this.rateLimit = new RateLimitGate(options.account.name, this.log);
    this.secrets.add(options.account.password);
    const limits = options.concurrency ?? { reads: new PinnedLimit(options.maxSockets), writes: new PinnedLimit(options.maxSockets) };
    this.limits = limits;
    const slots = (kind: 'read' | 'write', limit: ConcurrencyLimit) =>
      new RequestSlots(limit, (change) => this.log.debug(limitChangeText(this.server, kind, change)));
    this.slots = { reads: slots('read', limits.reads), writes: slots('write', limits.writes) };
  }

  private learnSecret(secret: string): void {
    this.secrets.add(secret);
    this.options.onSecret?.(secret);
  }

  /** An error answer with every known secret blanked out of its body (a success's body is data, read as is). */
  private redacted(answer: HttpAnswer): HttpAnswer {
    if (answer.status >= 200 && answer.status < 300) return answer;
    const own = this.secrets.redact(answer.body);
    return { ...answer, body: this.options.redact === undefined ? own : this.options.redact(own) };
  }

  get server(): ServerName {
    return this.options.account.name;
  }

  /** HTTP requests sent so far, retries and health polls included. */
  get requestCount(): number {
    return this.transport.requests;
  }

  /** The last successful login's answer, without its token. */
  get session(): { role: UserRole; mustChangePassword: boolean } | null {
    return this.lastLogin === null ? null : { role: this.lastLogin.role, mustChangePassword: this.lastLogin.must_change_password };
  }

  get writeLimit(): number {
    return this.limits.writes.current;
  }

  /** How the writes went: how many were in flight at once and for how long; null before the first. */
  get writeFigures(): SlotFigures | null {
    return this.slots.writes.figures();
  }

  close(): void {
    this.transport.close();
  }

  /**
   * Polls `/health` until it answers `{"status":"ok"}`: free hosting tiers put idle
   * servers to sleep and their proxies answer 502/503 pages meanwhile.
   * Returns the time the server took to answer. Stops at once, whatever the
   * wake timeout, on what waiting cannot fix (wrong-address.ts): a final
   * `network` error (the server cannot be reached) that says to check the URL.
   * `onWaiting` hears, after each poll that found it asleep, how long the wait
   * has lasted so far.
   */
  async waitUntilAwake(wakeTimeoutMs: number, onWaiting?: (elapsedMs: number, limitMs: number) => void): Promise<number> {
    const started = Date.now();
    const deadline = started + wakeTimeoutMs;
    const verdicts = new WakeVerdicts(this.options.account.url);
    let last = '';
    for (let poll = 1; ; poll += 1) {
      const pollTimeoutMs = Math.max(1_000, Math.min(this.options.timeoutMs, deadline - Date.now()));
      this.options.stop?.throwIfAborted();
      let wrong: WrongAddress | null;
      let answer: HttpAnswer | null = null;
      try {
        answer = this.redacted(await this.transport.send({ method: 'GET', path: '/health', token: null, timeoutMs: pollTimeoutMs, ...this.stopOption() }));
        readAnswer(answer, [200], healthAnswer, this.context('GET /health', null));
        return Date.now() - started;
      } catch (error) {
        last = error instanceof ApiError ? error.reason : sendErrorText(error, pollTimeoutMs);
        wrong = answer !== null && error instanceof ApiError ? verdicts.answer(answer, error) : error instanceof NoAnswerError ? verdicts.noAnswer(error.code) : null;
      }
      if (wrong !== null) {
        throw new ApiError({ ...this.context('GET /health', null), kind: 'network', status: null, reason: wrongAddressText(wrong, this.options.account.url), final: true });
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ApiError({
          ...this.context('GET /health', null),
          kind: 'network',
          status: null,
          reason: t('api:wake.notAwake', { seconds: Math.round(wakeTimeoutMs / 1000), last }),
        });
      }
      if (poll === 1) this.log.info(t('api:wake.waiting', { server: this.server, last }));
      onWaiting?.(Date.now() - started, wakeTimeoutMs);
      await sleep(Math.min(WAKE_POLL_MS, left), undefined, this.stopOption());
    }
  }

  /** One `GET /health`, no retry, given up after `timeoutMs` (probe-health.ts classifies what it met). */
  probeHealth(timeoutMs: number): Promise<HealthProbe> {
    return probeHealth(this.transport, timeoutMs);
  }

  async login(): Promise<LoginAnswer> {
    const { username, password } = this.options.account;
    const answer = await this.call({
      method: 'POST',
      route: 'POST /admin/login',
      path: '/admin/login',
      key: username,
      body: { username, password },
      read: expecting([200], loginAnswer),
      authenticated: false,
    });
    this.learnSecret(answer.token);
    this.token = answer.token;
    this.lastLogin = answer;
    return answer;
  }

  /** The listed users; a record with a repeated field comes as a RecordWithRepeatedFields. */
  listUsers(): Promise<unknown[]> {
    return this.call({ method: 'GET', route: 'GET /admin/users', path: '/admin/users', key: null, read: readListing, authenticated: true });
  }

  /** The listed licenses; a record with a repeated field comes as a RecordWithRepeatedFields. */
  listLicenses(): Promise<unknown[]> {
    return this.call({ method: 'GET', route: 'GET /admin/devices', path: '/admin/devices', key: null, read: readListing, authenticated: true });
  }

  async createUser(user: NewUser): Promise<void> {
    // A server's error message may repeat what it was sent.
    this.learnSecret(user.password);
    await this.call({
      method: 'POST',
      route: 'POST /admin/users/create',
      path: '/admin/users/create',
      key: user.username,
      body: withoutNulls({ username: user.username, password: user.password, email: user.email, role: user.role }),
      read: expecting([201], createUserAnswer),
      authenticated: true,
    });
  }

  async upsertLicense(body: UpsertBody): Promise<void> {
    await this.call({
      method: 'POST',
      route: 'POST /admin/devices/create',
      path: '/admin/devices/create',
      key: body.device_id,
      body: withoutNulls({ ...body }),
      read: expecting([201], upsertAnswer),
      authenticated: true,
    });
  }

  /** Blocks or activates; `toggle` is never sent (it is not idempotent, so a retry could undo it). */
  async setStatus(deviceId: string, action: 'block' | 'activate'): Promise<void> {
    const route = 'POST /admin/devices/:device_id/deactivate';
    const answer = await this.call({
      method: 'POST',
      route,
      path: `/admin/devices/${pathSegment(deviceId, this.context(route, deviceId))}/deactivate`,
      key: deviceId,
      body: { action },
      read: expecting([200], statusAnswer),
      authenticated: true,
    });
    const expected = action === 'block' ? 'blocked' : 'active';
    if (answer.status !== expected) {
      throw new ApiError({
        ...this.context(route, deviceId),
        kind: 'malformed',
        status: 200,
        reason: t(action === 'block' ? 'api:answer.statusMismatch.block' : 'api:answer.statusMismatch.activate', { status: answer.status }),
      });
    }
  }

  async updateCreatedBy(deviceId: string, createdBy: string): Promise<void> {
    await this.call({
      method: 'POST',
      route: 'POST /admin/devices/update-created-by',
      path: '/admin/devices/update-created-by',
      key: deviceId,
      body: { device_id: deviceId, created_by: createdBy },
      read: expecting([200], createdByAnswer),
      authenticated: true,
    });
  }

  async deleteLicense(deviceId: string): Promise<void> {
    const route = 'DELETE /admin/devices/:device_id/delete';
    await this.call({
      method: 'DELETE',
      route,
      path: `/admin/devices/${pathSegment(deviceId, this.context(route, deviceId))}/delete`,
      key: deviceId,
      read: expecting([200], deleteAnswer),
      authenticated: true,
    });
  }

  private context(endpoint: string, key: string | null) {
    return { server: this.server, endpoint, key };
  }

  /** One API call under the retry policy (retry-policy.ts); a 401 gets one fresh login and one more try (attempt). */
  private call<T>(call: Call<T>): Promise<T> {
    return withRetries(() => this.attempt(call), this.options.retry, {
      write: call.method !== 'GET',
      log: this.log,
      signal: this.stopFor(call),
      gate: this.rateLimit,
    });
  }

  /** Calls that change nothing (reads, logins) can be abandoned when the run is told to stop. */
  private stopFor(call: Call<unknown>): AbortSignal | undefined {
    return changesNothing(call) ? this.options.stop : undefined;
  }

  private stopOption(): { signal?: AbortSignal } {
    return this.options.stop ? { signal: this.options.stop } : {};
  }

  private async attempt<T>(call: Call<T>): Promise<T> {
    const token = call.authenticated ? await this.currentToken() : null;
    let answer = await this.send(call, token);
    if (answer.status === 401 && call.authenticated) {
      this.log.info(t('api:login.again', { server: this.server, route: call.route }));
      answer = await this.send(call, await this.freshToken(token));
    }
    return call.read(this.redacted(answer), this.context(call.route, call.key));
  }

  private async send(call: Call<unknown>, token: string | null): Promise<HttpAnswer> {
    const stop = this.stopFor(call);
    const slot = await (changesNothing(call) ? this.slots.reads : this.slots.writes).acquire(stop);
    let outcome: SampleOutcome = 'no-answer';
    try {
      const answer = await this.transport.send({
        method: call.method,
        path: call.path,
        token,
        ...(call.body === undefined ? {} : { body: call.body }),
        ...(stop ? { signal: stop } : {}),
      });
      outcome = answer.status === 429 ? 'rate-limited' : answer.status >= 500 ? 'server-error' : 'answered';
      return answer;
    } catch (error) {
      if (stop?.aborted === true) outcome = 'abandoned';
      else if (error instanceof AnswerTooLargeError) outcome = 'answered';
      else if (error instanceof NoAnswerError && error.code === 'TIMEOUT') outcome = 'timeout';
      const context = this.context(call.route, call.key);
      if (error instanceof AnswerTooLargeError) {
        throw new ApiError({ ...context, kind: 'malformed', status: error.status, reason: sendErrorText(error, this.options.timeoutMs), final: true });
      }
      throw new ApiError({ ...context, kind: 'network', status: null, reason: sendErrorText(error, this.options.timeoutMs) });
    } finally {
      slot.done(outcome);
    }
  }

  private async currentToken(): Promise<string> {
    if (this.token !== null) return this.token;
    return this.freshToken(null);
  }

  /** Logs in again unless another request already replaced `stale`; concurrent callers share one login. */
  private async freshToken(stale: string | null): Promise<string> {
    if (this.token !== null && this.token !== stale) return this.token;
    this.loggingIn ??= this.login().finally(() => {
      this.loggingIn = null;
    });
    return (await this.loggingIn).token;
  }
}

function changesNothing(call: Call<unknown>): boolean {
  return call.method === 'GET' || call.route === 'POST /admin/login';
}

function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null));
}
