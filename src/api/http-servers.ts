import type { SyncConfig } from '../config/sync-config.js';
import type { LogSink } from '../log/log-sink.js';
import type { SecretRedactor } from '../log/secret-redactor.js';
import { AdaptiveLimit, INITIAL_LIMIT, PinnedLimit, type ConcurrencyLimit } from './concurrency-limit.js';
import { BYTES_PER_MB } from './http-transport.js';
import { LicenseApiClient } from './license-api-client.js';
import type { OpenServer } from './license-server.js';

/** Opens each configured server over HTTP; every password and token they meet is added to the redactor. */
export function httpServers(config: SyncConfig, log: LogSink, redactor: SecretRedactor): OpenServer {
  return (account, stop) => {
    redactor.add(account.password);
    return new LicenseApiClient({
      account,
      timeoutMs: config.timeoutMs,
      retry: { attempts: config.retries, minDelayMs: config.retryDelayMs, maxDelayMs: config.retryMaxDelayMs },
      ca: config.ca,
      maxSockets: (config.concurrency ?? config.maxConcurrency) + 2,
      concurrency: { reads: limitOf(config), writes: limitOf(config) },
      maxAnswerBytes: config.maxAnswerMb * BYTES_PER_MB,
      log,
      onSecret: (secret) => redactor.add(secret),
      redact: (text) => redactor.redact(text),
      ...(stop ? { stop } : {}),
    });
  };
}

/** `--concurrency N` pins the limit; without it, each server's reads and writes each get a limit of their own that adapts. */
export function limitOf(config: Pick<SyncConfig, 'concurrency' | 'maxConcurrency'>): ConcurrencyLimit {
  return config.concurrency === null ? new AdaptiveLimit({ initial: INITIAL_LIMIT, max: config.maxConcurrency }) : new PinnedLimit(config.concurrency);
}
