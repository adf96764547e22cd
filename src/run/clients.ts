import type { ServerConfig, SyncConfig } from '../config/sync-config.js';
import { BYTES_PER_MB } from '../api/http-transport.js';
import { LicenseApiClient } from '../api/license-api-client.js';
import type { LogSink } from '../log/log-sink.js';
import type { SecretRedactor } from '../log/secret-redactor.js';

export interface ServerClients {
  readonly primary: LicenseApiClient;
  /** One per configured backup, in the order of `config.backups`. */
  readonly backups: readonly LicenseApiClient[];
}

/** A client per server; every password and token they meet is added to the redactor. */
export function createClients(config: SyncConfig, log: LogSink, redactor: SecretRedactor, stop?: AbortSignal): ServerClients {
  const make = (account: ServerConfig) => {
    redactor.add(account.password);
    return new LicenseApiClient({
      account,
      timeoutMs: config.timeoutMs,
      retry: { attempts: config.retries, minDelayMs: config.retryDelayMs, maxDelayMs: config.retryMaxDelayMs },
      ca: config.ca,
      maxSockets: config.concurrency + 2,
      maxAnswerBytes: config.maxAnswerMb * BYTES_PER_MB,
      log,
      onSecret: (secret) => redactor.add(secret),
      ...(stop ? { stop } : {}),
    });
  };
  return { primary: make(config.primary), backups: config.backups.map(make) };
}

export function allClients(clients: ServerClients): LicenseApiClient[] {
  return [clients.primary, ...clients.backups];
}

export function closeClients(clients: ServerClients): void {
  for (const client of allClients(clients)) client.close();
}
