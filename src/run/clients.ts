import type { SyncConfig } from '../config/sync-config.js';
import { LicenseApiClient } from '../api/license-api-client.js';
import type { LogSink } from '../api/log-sink.js';
import type { SecretRedactor } from '../log/secret-redactor.js';

export interface ServerClients {
  readonly primary: LicenseApiClient;
  readonly backup: LicenseApiClient;
}

export function createClients(config: SyncConfig, log: LogSink, redactor: SecretRedactor, stop?: AbortSignal): ServerClients {
  const make = (account: SyncConfig['primary']) => {
    redactor.add(account.password);
    return new LicenseApiClient({
      account,
      timeoutMs: config.timeoutMs,
      retry: { attempts: config.retries, minDelayMs: config.retryDelayMs, maxDelayMs: config.retryMaxDelayMs },
      ca: config.ca,
      maxSockets: config.concurrency + 2,
      log,
      onSecret: (secret) => redactor.add(secret),
      ...(stop ? { stop } : {}),
    });
  };
  return { primary: make(config.primary), backup: make(config.backup) };
}

export function closeClients(clients: ServerClients): void {
  clients.primary.close();
  clients.backup.close();
}
