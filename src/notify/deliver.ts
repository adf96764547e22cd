import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import axios from 'axios';
import type { LogSink } from '../log/log-sink.js';
import { parseRetryAfter } from '../api/retry-after.js';
import { originOf, pingUrlFor, type PingKind } from './target-url.js';
import { truncate } from './truncate.js';
import { t, type MessageKey } from '../i18n/i18n.js';

export interface DeliveryOptions {
  /** The most the delivery may take, retries and their waits included. */
  readonly timeoutMs: number;
  readonly log: LogSink;
  /** Waits before the second and third attempts; tests pass tiny ones. */
  readonly retryDelaysMs?: readonly number[];
}

export interface PingOptions extends DeliveryOptions {
  /** A short summary; healthchecks.io shows it as the ping's log. */
  readonly body?: string;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [500, 2000];
const MAX_RETRIES = 2;
const MAX_PING_BODY = 10_000;

const PING_WHAT: Readonly<Record<PingKind, MessageKey>> = {
  start: 'notify:delivery.ping.start',
  success: 'notify:delivery.ping.success',
  fail: 'notify:delivery.ping.fail',
};

const client = axios.create({
  // No keep-alive: a one-shot run must not wait on idle sockets to exit.
  httpAgent: new http.Agent({ keepAlive: false }),
  // Explicit, so that NODE_TLS_REJECT_UNAUTHORIZED=0 cannot turn certificate checks off for alerts either.
  httpsAgent: new https.Agent({ keepAlive: false, rejectUnauthorized: true }),
  // Only the status matters; the body stays unread.
  responseType: 'stream',
  validateStatus: () => true,
  maxRedirects: 0,
  headers: { 'user-agent': 'sync-dbs' },
});

interface Delivery {
  /** For the log: `the webhook notification`, `the start ping`. */
  readonly what: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: string;
}

type AttemptResult = { readonly status: number; readonly retryAfter: string | undefined } | { readonly code: string };

/** Posts `payload` as JSON. Resolves whether it was accepted (2xx); never rejects. */
export async function postWebhook(url: string, payload: unknown, options: DeliveryOptions): Promise<boolean> {
  let body: string;
  try {
    body = JSON.stringify(payload);
  } catch {
    options.log.warn(t('notify:delivery.notSerialisable'));
    return false;
  }
  return deliver({ what: t('notify:delivery.webhook'), url, contentType: 'application/json', body }, options);
}

/** Pings a dead-man's-switch check (POST, text body). Resolves whether it was accepted (2xx); never rejects. */
export async function ping(baseUrl: string, kind: PingKind, options: PingOptions): Promise<boolean> {
  const what = t(PING_WHAT[kind]);
  const url = pingUrlFor(baseUrl, kind);
  if (url === null) {
    options.log.warn(t('notify:delivery.badPingUrl', { what }));
    return false;
  }
  return deliver({ what, url, contentType: 'text/plain; charset=utf-8', body: truncate(options.body ?? '', MAX_PING_BODY) }, options);
}

/**
 * Sends one request, retrying network errors and 5xx answers at most twice
 * and a 429 once, all within `timeoutMs`. Every log line names the URL's
 * origin only, never the URL or the body.
 */
async function deliver(delivery: Delivery, options: DeliveryOptions): Promise<boolean> {
  const origin = originOf(delivery.url);
  if (origin === null) {
    options.log.warn(t('notify:delivery.badUrl', { what: delivery.what }));
    return false;
  }
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const deadline = Date.now() + options.timeoutMs;
  let attempts = 0;
  let rateLimited = false;
  for (;;) {
    attempts += 1;
    const result = await attempt(delivery, deadline - Date.now());
    if ('status' in result && result.status >= 200 && result.status < 300) {
      options.log.debug(t('notify:delivery.sent', { what: delivery.what, origin, status: result.status }));
      return true;
    }
    let wait: number | null = null;
    if (attempts <= MAX_RETRIES) {
      const delay = delays[attempts - 1] ?? delays.at(-1) ?? 0;
      if ('code' in result) wait = result.code === 'TIMEOUT' ? null : delay;
      else if (result.status === 429 && !rateLimited) wait = parseRetryAfter(result.retryAfter) ?? delay;
      else if (result.status >= 500) wait = delay;
      if ('status' in result && result.status === 429) rateLimited = true;
    }
    if (wait === null || Date.now() + wait >= deadline) {
      const reason = 'code' in result ? noAnswerText(result.code, options.timeoutMs) : `HTTP ${result.status}`;
      const words = { what: delivery.what, origin, reason, attempts };
      options.log.warn(attempts > 1 ? t('notify:delivery.failedAfter', words) : t('notify:delivery.failed', words));
      return false;
    }
    options.log.debug(t('notify:delivery.retrying', { what: delivery.what, origin, answer: 'code' in result ? result.code : `HTTP ${result.status}` }));
    await sleep(wait);
  }
}

async function attempt(delivery: Delivery, timeoutMs: number): Promise<AttemptResult> {
  if (timeoutMs <= 0) return { code: 'TIMEOUT' };
  try {
    const response = await client.request<Readable>({
      method: 'POST',
      url: delivery.url,
      data: delivery.body,
      headers: { 'content-type': delivery.contentType },
      timeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    response.data.destroy();
    const retryAfter: unknown = response.headers['retry-after'];
    return { status: response.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined };
  } catch (error) {
    // Only the code leaves here: axios errors carry the full URL.
    return { code: errorCode(error) };
  }
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'ERROR';
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (name === 'CanceledError' || name === 'AbortError' || code === 'ECONNABORTED' || code === 'ERR_CANCELED' || code === 'ETIMEDOUT') return 'TIMEOUT';
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  const causeCode = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof causeCode === 'string' && /^[A-Z0-9_]+$/.test(causeCode) ? causeCode : 'ERROR';
}

function noAnswerText(code: string, timeoutMs: number): string {
  return code === 'TIMEOUT' ? t('notify:delivery.noAnswerWithin', { ms: timeoutMs }) : t('notify:delivery.noAnswer', { code });
}
