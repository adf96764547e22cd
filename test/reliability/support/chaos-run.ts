import type { WriteEntry } from '../../../src/emulator/write-log.js';
import { runJson, seedForFailures, type JsonReport } from '../../e2e/support/e2e-helpers.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import type { SyncPair } from '../../support/sync-pair.js';
import { CHAOS_FAILURES, chaosCliArgs, chaosFaults } from './chaos-scenario.js';
import { epochNow, startVerifySampler, type SamplingResult } from './verify-sampler.js';

// One sync run under the chaos faults, watched: the sampler asks the backup's
// `/verify` about every denied license all along, and the run's share of the
// backup's write log and of both servers' injected faults is kept.

export interface ChaosRun {
  readonly number: number;
  readonly exitCode: number | null;
  readonly report: JsonReport;
  /** Epoch ms (the write log's clock): just before the CLI process was started, and once it had exited. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** The backup's writes during this run, in order. */
  readonly writes: readonly WriteEntry[];
  /** Faults injected during this run, by name (arming a cold start counts one `cold-start`). */
  readonly faults: PerServer;
  /** Requests per route during this run (the test's own observations are not counted). */
  readonly requests: PerServer;
  readonly sampling: SamplingResult;
}

export interface PerServer {
  readonly primary: Record<string, number>;
  readonly backup: Record<string, number>;
}

export interface ChaosRunOptions {
  readonly number: number;
  readonly maxDelete: number;
  /** The backup's tokens are revoked after this many of its requests. */
  readonly revokeBackupAfter: number;
  /** What the sampler watches on the backup: the device_ids the primary denies. */
  readonly deniedByPrimary: readonly string[];
}

/** The primary sees a handful of requests (wake, login, two listings): its tokens go after the first two. */
const REVOKE_PRIMARY_AFTER = 2;
/**
 * A handful of requests may well all pass at 20%: the primary's seed makes its
 * third request fail (a listing, the first one sent with the revoked token).
 */
const PRIMARY_SEED = seedForFailures(CHAOS_FAILURES.rate, ['pass', 'pass', 'fail']);

const CLI_TIMEOUT_MS = 240_000;

async function counts(server: EmulatorHandle): Promise<{ faults: Record<string, number>; requests: Record<string, number> }> {
  const { faults, requests } = await server.control.stats();
  return { faults, requests };
}

function minus(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, count] of Object.entries(after)) if (count - (before[name] ?? 0) > 0) delta[name] = count - (before[name] ?? 0);
  return delta;
}

/** Arms the faults on both servers, runs the sync once with the chaos settings while sampling, then heals both servers. */
export async function runUnderChaos(p: SyncPair, options: ChaosRunOptions): Promise<ChaosRun> {
  // Statistics are not reset between runs: that would empty the write log, read over all runs at the end.
  const [primaryBefore, backupBefore] = await Promise.all([counts(p.primary), counts(p.backup)]);
  const logged = p.backup.emulator.writes();
  if (logged.dropped > 0) throw new Error(`the backup's write log dropped ${logged.dropped} entries`);
  await Promise.all([
    p.primary.control.setFaults(chaosFaults({ seed: PRIMARY_SEED, coldStartMode: 'delay', revokeAfterRequests: REVOKE_PRIMARY_AFTER })),
    p.backup.control.setFaults(chaosFaults({ seed: options.number, coldStartMode: 'error', revokeAfterRequests: options.revokeBackupAfter })),
  ]);

  const sampler = startVerifySampler(p.backup, options.deniedByPrimary);
  const startedAt = epochNow();
  let run: Awaited<ReturnType<typeof runJson>>;
  try {
    run = await runJson(p, chaosCliArgs(options.maxDelete), { timeoutMs: CLI_TIMEOUT_MS });
  } catch (error) {
    await sampler.stop().catch(() => undefined);
    throw error;
  }
  const endedAt = epochNow();
  const sampling = await sampler.stop();
  await Promise.all([p.primary.control.setFaults({}), p.backup.control.setFaults({})]);

  const [primaryAfter, backupAfter] = await Promise.all([counts(p.primary), counts(p.backup)]);
  return {
    number: options.number,
    exitCode: run.exitCode,
    report: run.report,
    startedAt,
    endedAt,
    writes: p.backup.emulator.writes().writes.slice(logged.writes.length),
    faults: { primary: minus(primaryAfter.faults, primaryBefore.faults), backup: minus(backupAfter.faults, backupBefore.faults) },
    requests: { primary: minus(primaryAfter.requests, primaryBefore.requests), backup: minus(backupAfter.requests, backupBefore.requests) },
    sampling,
  };
}
