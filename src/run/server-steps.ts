import type { LicenseServer } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import type { ProgressListener } from '../progress/progress-listener.js';
import { roleGuard } from '../plan/guards.js';
import type { RecordKind, Snapshot } from '../snapshot/records.js';
import { readSnapshot } from './read-snapshot.js';
import { RunStop, stopFor, stopIfInterrupted } from './run-stop.js';
import type { ServerSession } from './servers.js';
import { t, type MessageKey } from '../i18n/i18n.js';

/** Each record kind's skipped-record line: without its key, then with it. */
const SKIPPED: Readonly<Record<RecordKind, readonly [MessageKey, MessageKey]>> = {
  user: ['run:server.skippedUser', 'run:server.skippedUserKey'],
  license: ['run:server.skippedLicense', 'run:server.skippedLicenseKey'],
};

// The steps every run takes on a server before planning: wake it, log in as an
// administrator, read its listing. Each throws a RunStop when the server cannot
// go on.

/** Wakes each server and logs in, all at once; stops when any fails or is not an administrator. */
export async function connect(
  servers: readonly ServerSession[],
  wakeTimeoutMs: number,
  { log, progress }: { readonly log: LogSink; readonly progress: ProgressListener },
  signal: AbortSignal | undefined,
): Promise<void> {
  await settleAll(servers, signal, async ({ server }) => {
    const name = server.server;
    let tookMs: number;
    try {
      tookMs = await server.waitUntilAwake(wakeTimeoutMs, (elapsedMs, limitMs) => progress.waking(name, elapsedMs, limitMs));
    } finally {
      progress.finished(name);
    }
    log.debug(t('run:server.awake', { server: name, ms: tookMs }));
  });
  await settleAll(servers, signal, async ({ server, account }) => {
    const session = await server.login();
    log.info(t('run:server.loggedIn', { server: server.server, username: account.username, role: session.role }));
    if (session.must_change_password) log.warn(t('run:server.mustChangePassword', { server: server.server }));
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
  log.info(
    t('run:server.read', {
      server: server.server,
      users: t('run:server.users', { count: snapshot.users.size }),
      licenses: t('run:server.licenses', { count: snapshot.licenses.size }),
    }),
  );
  for (const record of snapshot.rejected) {
    log.warn(t(SKIPPED[record.kind][record.key === null ? 0 : 1], { server: server.server, index: record.index, key: record.key, reason: record.reason }));
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
