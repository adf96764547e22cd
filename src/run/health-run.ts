import { serverErrorOf, type LicenseServer, type OpenServer } from '../api/license-server.js';
import type { SyncConfig } from '../config/sync-config.js';
import { noProgress, type ProgressListener } from '../progress/progress-listener.js';
import { allServers, closeServers, openServers } from './servers.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import { readSnapshot } from './read-snapshot.js';
import type { ServerName } from '../outcome/run-result.js';
import { t } from '../i18n/i18n.js';

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
export async function runHealth(config: SyncConfig, open: OpenServer, progress: ProgressListener = noProgress): Promise<HealthResult> {
  const servers = openServers(open, config);
  try {
    const health = await Promise.all(allServers(servers).map(({ server, account }) => check(server, account.url, config.wakeTimeoutMs, progress)));
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

async function check(server: LicenseServer, url: string, wakeTimeoutMs: number, progress: ProgressListener): Promise<ServerHealth> {
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
    try {
      health.latencyMs = await server.waitUntilAwake(wakeTimeoutMs, (elapsedMs, limitMs) => progress.waking(server.server, elapsedMs, limitMs));
    } finally {
      progress.finished(server.server);
    }
    health.reachable = true;
    const session = await server.login();
    health.loginWorks = true;
    health.role = session.role;
    health.mustChangePassword = session.must_change_password;
    if (session.role !== 'admin') {
      health.problem = t('health:problem.notAdmin');
      return health;
    }
    const snapshot = await readSnapshot(server);
    health.users = snapshot.users.size;
    health.licenses = snapshot.licenses.size;
    health.unreadableRecords = snapshot.rejected.length;
  } catch (error) {
    const failed = serverErrorOf(error);
    if (failed?.endpoint === 'POST /admin/login') health.loginWorks = false;
    health.problem = failed === null ? t('health:problem.unexpected') : t('health:problem.call', { endpoint: failed.endpoint, reason: failed.reason });
  }
  return health;
}

export function renderHealth(result: HealthResult): string {
  const lines = result.servers.map((server) => {
    const parts = [
      `${server.server.padEnd(7)} ${server.url}`,
      `  ${reachableText(server)}`,
      `  ${loginText(server)}`,
      ...(server.users === null ? [] : [`  ${recordsText(server.users, server.licenses ?? 0, server.unreadableRecords ?? 0)}`]),
      ...(server.problem === null ? [] : [`  ${t('health:problem', { problem: server.problem })}`]),
    ];
    return parts.join('\n');
  });
  const verdict =
    result.exitCode !== EXIT_CODES.inSync
      ? t('health:verdict.notHealthy')
      : result.servers.length === 2
        ? t('health:verdict.healthyBoth')
        : t('health:verdict.healthyAll', { count: result.servers.length });
  return `${lines.join('\n\n')}\n\n${verdict}\n`;
}

function reachableText(server: ServerHealth): string {
  if (!server.reachable) return t('health:reachable.no');
  return server.latencyMs === null ? t('health:reachable.yes') : t('health:reachable.yesIn', { ms: server.latencyMs });
}

function loginText(server: ServerHealth): string {
  const login = server.loginWorks === null ? t('health:login.notTried') : server.loginWorks ? t('health:login.works') : t('health:login.refused');
  const role = server.role === null ? '' : t('health:login.role', { role: server.role });
  return `${login}${role}${server.mustChangePassword ? t('health:login.mustChangePassword') : ''}`;
}

function recordsText(users: number, licenses: number, unreadable: number): string {
  const records = t('health:records', { users: t('health:records.users', { count: users }), licenses: t('common:count.licenses', { count: licenses }) });
  return unreadable > 0 ? `${records}${t('health:records.unreadable', { count: unreadable })}` : records;
}
