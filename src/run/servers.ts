import type { LicenseServer, OpenServer } from '../api/license-server.js';
import type { ServerConfig, SyncConfig } from '../config/sync-config.js';

/** A configured server and the session a run holds on it. */
export interface ServerSession {
  readonly account: ServerConfig;
  readonly server: LicenseServer;
}

export interface RunServers {
  readonly primary: ServerSession;
  /** One per configured backup, in the order of `config.backups`. */
  readonly backups: readonly ServerSession[];
}

/** Opens every configured server of the run. */
export function openServers(open: OpenServer, config: Pick<SyncConfig, 'primary' | 'backups'>, stop?: AbortSignal): RunServers {
  const session = (account: ServerConfig): ServerSession => ({ account, server: open(account, stop) });
  return { primary: session(config.primary), backups: config.backups.map(session) };
}

export function allServers(servers: RunServers): ServerSession[] {
  return [servers.primary, ...servers.backups];
}

export function closeServers(servers: RunServers): void {
  for (const { server } of allServers(servers)) server.close();
}
