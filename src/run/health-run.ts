import { serverErrorOf, type LicenseServer, type OpenServer } from '../api/license-server.js';
import type { SyncConfig } from '../config/sync-config.js';
import { allServers, closeServers, openServers } from './servers.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import { readSnapshot } from './read-snapshot.js';
import type { ServerName } from '../outcome/run-result.js';

export interface ServerHealth {
  readonly server: ServerName;
  readonly url: string;
  readonly reachable: boolean;
  /** Time until `/health` answered, sleeping-server wake-up included. */
  readonly latencyMs: number | null;
  readonly loginWorks: boolean | null;
  readonly role: 'admin' | 'user' | null;
  readonly mustChangePassword: boolean | null;
  readonly users: number | null;
  readonly licenses: number | null;
  readonly unreadableRecords: number | null;
  readonly problem: string | null;
}

export interface HealthResult {
  readonly servers: readonly ServerHealth[];
  readonly exitCode: number;
}

/** Per server: reachable, latency, login, role, must_change_password and record counts. Writes nothing. */
export async function runHealth(config: SyncConfig, open: OpenServer): Promise<HealthResult> {
  const servers = openServers(open, config);
  try {
    const health = await Promise.all(allServers(servers).map(({ server, account }) => check(server, account.url, config.wakeTimeoutMs)));
    const exitCode = health.some((server) => !server.reachable || server.loginWorks === false)
      ? EXIT_CODES.unreachable
      : health.some((server) => server.role !== 'admin' || server.problem !== null)
        ? EXIT_CODES.refused
        : EXIT_CODES.inSync;
    return { servers: health, exitCode };
  } finally {
    closeServers(servers);
  }
}

async function check(server: LicenseServer, url: string, wakeTimeoutMs: number): Promise<ServerHealth> {
  const health: { -readonly [K in keyof ServerHealth]: ServerHealth[K] } = {
    server: server.server,
    url,
    reachable: false,
    latencyMs: null,
    loginWorks: null,
    role: null,
    mustChangePassword: null,
    users: null,
    licenses: null,
    unreadableRecords: null,
    problem: null,
  };
  try {
    health.latencyMs = await server.waitUntilAwake(wakeTimeoutMs);
    health.reachable = true;
    const session = await server.login();
    health.loginWorks = true;
    health.role = session.role;
    health.mustChangePassword = session.must_change_password;
    if (session.role !== 'admin') {
      health.problem = 'the account is not an admin: it sees only its own licenses, so sync refuses to run';
      return health;
    }
    const snapshot = await readSnapshot(server);
    health.users = snapshot.users.size;
    health.licenses = snapshot.licenses.size;
    health.unreadableRecords = snapshot.rejected.length;
  } catch (error) {
    const failed = serverErrorOf(error);
    if (failed?.endpoint === 'POST /admin/login') health.loginWorks = false;
    health.problem = failed === null ? 'unexpected error' : `${failed.endpoint}: ${failed.reason}`;
  }
  return health;
}

export function renderHealth(result: HealthResult): string {
  const lines = result.servers.map((server) => {
    const parts = [
      `${server.server.padEnd(7)} ${server.url}`,
      `  reachable: ${server.reachable ? 'yes' : 'no'}${server.latencyMs === null ? '' : ` (${server.latencyMs} ms)`}`,
      `  login: ${server.loginWorks === null ? 'not tried' : server.loginWorks ? 'works' : 'refused'}${server.role === null ? '' : `, role ${server.role}`}${server.mustChangePassword ? ', must change password' : ''}`,
      ...(server.users === null ? [] : [`  records: ${server.users} users, ${server.licenses ?? 0} licenses${server.unreadableRecords ? `, ${server.unreadableRecords} unreadable` : ''}`]),
      ...(server.problem === null ? [] : [`  problem: ${server.problem}`]),
    ];
    return parts.join('\n');
  });
  const every = result.servers.length === 2 ? 'both servers answer' : `all ${result.servers.length} servers answer`;
  const verdict = result.exitCode === EXIT_CODES.inSync ? `Healthy: ${every} and the accounts are admins.` : 'NOT healthy: see the problems above.';
  return `${lines.join('\n\n')}\n\n${verdict}\n`;
}
