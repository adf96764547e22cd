import type { CalendarDate } from '../../../src/domain/calendar-date.js';
import type { Dataset } from '../../../src/emulator/dataset/dataset-file.js';
import { generateDataset } from '../../../src/emulator/dataset/generator.js';
import { makeStaleBackup, STALE_RULE_NAMES } from '../../../src/emulator/dataset/stale-backup.js';
import type { FaultSettingsInput } from '../../../src/emulator/fault-settings.js';
import { createRandom, type Random } from '../../../src/emulator/random.js';

// The data and the bad day of the chaos test: a 5,000-license primary and a
// backup so stale that one run has to do every kind of write, thousands of
// them, while both servers fail, sleep, rate-limit and revoke tokens.

export const CHAOS_SEED = 6;
export const CHAOS_LICENSES = 5000;
export const CHAOS_USERS = 300;
/** Share of the licenses the backup lost on top of the stale backup's own rules. */
export const LICENSES_LOST_SHARE = 0.4;
export const USERS_LOST = 100;

export interface ChaosData {
  readonly primary: Dataset;
  readonly backup: Dataset;
  /** Licenses only the backup holds: what `--delete` removes. */
  readonly backupOnly: readonly string[];
  /** Licenses and users removed from the stale backup by this scenario (not by the stale-backup rules). */
  readonly removed: { readonly licenses: number; readonly users: number };
}

/**
 * The primary, and its stale backup (every replication rule represented) with
 * a further ~40% of its licenses and 100 of its users gone. Only records no
 * rule touched are removed, so that every rule keeps all its rows.
 */
export function chaosData(today: CalendarDate): ChaosData {
  const primary = generateDataset({ seed: CHAOS_SEED, licenses: CHAOS_LICENSES, users: CHAOS_USERS, today });
  const stale = makeStaleBackup(primary, { seed: CHAOS_SEED, today });
  const touched = new Set(STALE_RULE_NAMES.flatMap((rule) => stale.changes[rule]));
  const random = createRandom(CHAOS_SEED + 1);
  const pickRemoved = (keys: readonly string[], count: number) => new Set(shuffled(keys.filter((key) => !touched.has(key)), random).slice(0, count));

  const lostLicenses = pickRemoved(
    stale.dataset.devices.map((row) => row.device_id),
    Math.round(CHAOS_LICENSES * LICENSES_LOST_SHARE),
  );
  const lostUsers = pickRemoved(
    stale.dataset.users.map((user) => user.username),
    USERS_LOST,
  );
  const backup: Dataset = {
    ...stale.dataset,
    devices: stale.dataset.devices.filter((row) => !lostLicenses.has(row.device_id)).map((row, index) => ({ ...row, id: index + 1 })),
    users: stale.dataset.users.filter((user) => !lostUsers.has(user.username)).map((user, index) => ({ ...user, id: index + 1 })),
  };
  return { primary, backup, backupOnly: stale.changes['license-backup-only'], removed: { licenses: lostLicenses.size, users: lostUsers.size } };
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** 20% of all requests fail (HTML 5xx pages and resets), 30% of those after the server did the work. */
export const CHAOS_FAILURES = { rate: 0.2, kinds: ['500', '502', '503', '504', 'reset'], scope: 'all', afterHandlerShare: 0.3 } as const;
/** How long a sleeping server takes to wake up: longer than the CLI takes to start on a loaded machine, so that its first requests meet it asleep. */
export const CHAOS_WAKE_MS = 5000;
/**
 * Requests per second before 429s. Each 429 pauses every request to that
 * server for the Retry-After (1 s), so the limit strikes a few times per
 * second of work and shapes the whole run.
 */
export const CHAOS_RATE_LIMIT = 100;

/**
 * One server's faults for one run; `setFaults` restarts every counter, so each
 * run meets a fresh cold start and its own token revocation.
 */
export function chaosFaults(options: { readonly seed: number; readonly coldStartMode: 'delay' | 'error'; readonly revokeAfterRequests: number }): FaultSettingsInput {
  return {
    seed: options.seed,
    failures: { ...CHAOS_FAILURES, kinds: [...CHAOS_FAILURES.kinds] },
    // Asleep now; awake for the rest of the run (the idle time is far longer than a run).
    coldStart: { idleMs: 600_000, wakeMs: CHAOS_WAKE_MS, mode: options.coldStartMode, asleepNow: true },
    rateLimit: { requests: CHAOS_RATE_LIMIT, windowMs: 1000 },
    revokeTokens: { afterRequests: options.revokeAfterRequests },
  };
}

/**
 * The CLI's retry and wake settings under the chaos faults. Short backoffs are
 * what make this fit a CI budget: production defaults (1 s doubling to 32 s)
 * would spend minutes waiting out 20% failures.
 */
export function chaosTimingArgs(wakeTimeoutSeconds = 60): string[] {
  return ['--retries', '10', '--retry-delay', '0.05', '--retry-max-delay', '1', '--wake-timeout', String(wakeTimeoutSeconds)];
}

/** The CLI's settings for every run of the stale-backup chaos test: the timing, and --delete for the backup-only licenses. */
export function chaosCliArgs(maxDelete: number): string[] {
  return ['--delete', '--max-delete', String(maxDelete), ...chaosTimingArgs()];
}
