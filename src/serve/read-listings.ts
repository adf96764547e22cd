import { serverErrorOf, type OpenServer } from '../api/license-server.js';
import type { ServerConfig } from '../config/sync-config.js';
import { t } from '../i18n/i18n.js';
import { readSnapshot } from '../run/read-snapshot.js';
import type { ListingRead, ListingsRead } from './serve-services.js';

/**
 * Logs in to each server and lists its users and licenses, all at once:
 * reads only (never /verify, which records client telemetry). A server that
 * fails is reported with why; the others are read all the same.
 */
export async function readListings(open: OpenServer, accounts: readonly ServerConfig[], signal: AbortSignal, now: () => Date = () => new Date()): Promise<ListingsRead> {
  const servers = new Map<string, ListingRead>();
  await Promise.all(
    accounts.map(async (account) => {
      const server = open(account, signal);
      try {
        const session = await server.login();
        if (session.role !== 'admin') {
          servers.set(account.name, { ok: false, reason: t('health:problem.notAdmin') });
          return;
        }
        servers.set(account.name, { ok: true, snapshot: await readSnapshot(server) });
      } catch (error) {
        const failed = serverErrorOf(error);
        servers.set(account.name, { ok: false, reason: failed === null ? t('health:problem.unexpected') : t('health:problem.call', { endpoint: failed.endpoint, reason: failed.reason }) });
      } finally {
        server.close();
      }
    }),
  );
  return { at: now(), servers };
}
