import type { WriteEntry } from '../../../src/emulator/write-log.js';
import { runGroupJson, type JsonReport } from '../../e2e/support/two-way-helpers.js';
import type { RestartableEmulator, ServerGroup } from '../../support/server-group.js';
import { chaosFaults } from './chaos-scenario.js';
import { epochNow } from './verify-sampler.js';

// The bad day of the chaos test, on a primary and several backups: every
// running server fails 20% of its requests, starts asleep, rate-limits and
// revokes its tokens; one run of the plain scheduled command (no mode flag:
// the round trip) is made through it, and each server's share of the faults,
// requests and writes is kept.

export interface GroupChaosRun {
  readonly number: number;
  readonly exitCode: number | null;
  readonly report: JsonReport;
  readonly stderr: string;
  readonly ms: number;
  /** Per server name: the writes that reached its handlers during this run, in order. */
  readonly writes: ReadonlyMap<string, readonly WriteEntry[]>;
  /** Per server name: faults injected during this run, by name. */
  readonly faults: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Per server name: requests per route during this run. */
  readonly requests: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

/** Each server's tokens are revoked after this many of its requests in a run: after waking and logging in, mid-listing or mid-writes. */
export const REVOKE_AFTER_REQUESTS = 3;

/** Arms the faults on every running server (`seed` varies them per run). */
export async function armChaos(servers: readonly RestartableEmulator[], seed: number): Promise<void> {
  await Promise.all(
    servers
      .filter((server) => server.running)
      .map((server, index) =>
        server.control.setFaults(
          chaosFaults({ seed: seed * 10 + index, coldStartMode: index % 2 === 0 ? 'delay' : 'error', revokeAfterRequests: REVOKE_AFTER_REQUESTS }),
        ),
      ),
  );
}

export async function healAll(servers: readonly RestartableEmulator[]): Promise<void> {
  await Promise.all(servers.filter((server) => server.running).map((server) => server.control.setFaults({})));
}

function minus(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, count] of Object.entries(after)) if (count - (before[name] ?? 0) > 0) delta[name] = count - (before[name] ?? 0);
  return delta;
}

interface Counts {
  readonly faults: Record<string, number>;
  readonly requests: Record<string, number>;
  readonly logged: number;
}

async function countsOf(server: RestartableEmulator): Promise<Counts> {
  if (!server.running) return { faults: {}, requests: {}, logged: 0 };
  const { faults, requests } = await server.control.stats();
  const log = server.emulator.writes();
  if (log.dropped > 0) throw new Error(`${server.name}'s write log dropped ${log.dropped} entries`);
  return { faults, requests, logged: log.writes.length };
}

/** Arms the faults, runs the CLI once with `args`, heals every server. Servers must not be stopped or started meanwhile. */
export async function runGroupUnderChaos(group: ServerGroup, number: number, args: readonly string[]): Promise<GroupChaosRun> {
  const before = await Promise.all(group.servers.map(countsOf));
  await armChaos(group.servers, number);
  const startedAt = epochNow();
  let run: Awaited<ReturnType<typeof runGroupJson>>;
  try {
    run = await runGroupJson(group, args, { timeoutMs: 240_000 });
  } finally {
    await healAll(group.servers);
  }
  const ms = epochNow() - startedAt;
  const after = await Promise.all(group.servers.map(countsOf));
  const per = <T>(pick: (server: RestartableEmulator, index: number) => T) => new Map(group.servers.map((server, index) => [server.name, pick(server, index)]));
  const counted = (index: number) => ({ before: before[index] as Counts, after: after[index] as Counts });
  return {
    number,
    exitCode: run.exitCode,
    report: run.report,
    stderr: run.stderr,
    ms,
    writes: per((server, index) => (server.running ? server.emulator.writes().writes.slice(counted(index).before.logged) : [])),
    faults: per((_, index) => minus(counted(index).after.faults, counted(index).before.faults)),
    requests: per((_, index) => minus(counted(index).after.requests, counted(index).before.requests)),
  };
}
