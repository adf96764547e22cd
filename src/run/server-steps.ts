import type { LicenseServer } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import { roleGuard } from '../plan/guards.js';
import type { Snapshot } from '../snapshot/records.js';
import { readSnapshot } from './read-snapshot.js';
import { RunStop, stopFor, stopIfInterrupted } from './run-stop.js';
import type { ServerSession } from './servers.js';

// The steps every run takes on a server before planning: wake it, log in as an
// administrator, read its listing. Each throws a RunStop when the server cannot
// go on.

/** Wakes each server and logs in, all at once; stops when any fails or is not an administrator. */
export async function connect(servers: readonly ServerSession[], wakeTimeoutMs: number, log: LogSink, signal: AbortSignal | undefined): Promise<void> {
  await settleAll(servers, signal, async ({ server }) => {
    const tookMs = await server.waitUntilAwake(wakeTimeoutMs);
    log.debug(`${server.server}: awake (${tookMs} ms)`);
  });
  await settleAll(servers, signal, async ({ server, account }) => {
    const session = await server.login();
    log.info(`${server.server}: logged in as ${account.username} (role ${session.role})`);
    if (session.must_change_password) log.warn(`${server.server}: the server asks this account to change its password`);
  });
  const refusals = roleGuard(servers.map(({ server }) => ({ server: server.server, role: server.session?.role ?? 'user' })));
  if (refusals.length > 0) throw new RunStop('refused', [], refusals);
}

/** Lists the server's users and licenses and logs what could not be read. */
export async function readListing(server: LicenseServer, log: LogSink, signal: AbortSignal | undefined): Promise<Snapshot> {
  let snapshot: Snapshot;
  try {
    snapshot = await readSnapshot(server);
  } catch (error) {
    stopIfInterrupted(signal);
    throw stopFor([{ error, server: server.server }]);
  }
  stopIfInterrupted(signal);
  log.info(`read ${server.server}: ${snapshot.users.size} users, ${snapshot.licenses.size} licenses`);
  for (const record of snapshot.rejected) {
    log.warn(`${server.server}: skipped unreadable ${record.kind} record #${record.index}${record.key === null ? '' : ` (${record.key})`}: ${record.reason}`);
  }
  return snapshot;
}

async function settleAll(servers: readonly ServerSession[], signal: AbortSignal | undefined, step: (server: ServerSession) => Promise<void>): Promise<void> {
  const settled = await Promise.allSettled(servers.map(step));
  stopIfInterrupted(signal);
  const errors = settled.flatMap((entry, index) =>
    entry.status === 'rejected' ? [{ error: entry.reason as unknown, server: (servers[index] as ServerSession).server.server }] : [],
  );
  if (errors.length > 0) throw stopFor(errors);
}
