import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Dataset, DeviceRow, UserRow } from '../../src/emulator/dataset/dataset-file.js';
import { utcCalendarDate, addDays, addMonths } from '../../src/domain/calendar-date.js';
import { countWrites } from '../../src/emulator/emulator-stats.js';
import { runCli, startCli, type CliOptions, type CliRun, type StartedCli } from './cli-process.js';
import { openEmulator, type EmulatorHandle } from './emulator-fixture.js';
import { datasetLicense, datasetUser, freshDataset } from './license-api-helpers.js';

// Two emulators (primary and backup) on loopback ports and the built CLI run
// against them as a real process: the setting of the end-to-end tests.

export const ADMIN = { username: 'admin', password: 'admin123' } as const;

/** The sync's day: the emulators run on the real clock, like the CLI. */
export const TODAY = utcCalendarDate(new Date());
export const daysFromToday = (days: number) => addDays(TODAY, days);
export const monthsFromToday = (months: number) => addMonths(TODAY, months);

export interface SyncPair {
  readonly primary: EmulatorHandle;
  readonly backup: EmulatorHandle;
  /** A fresh temporary state directory per test (see `useSyncPair`). */
  readonly stateDir: string;
  /** The environment that points the CLI at both emulators as admin. */
  env(extra?: Readonly<Record<string, string | undefined>>): Record<string, string | undefined>;
  /** Runs the built CLI against the pair. */
  cli(args: readonly string[], options?: CliOptions): Promise<CliRun>;
  /** Starts the built CLI against the pair, for tests that signal or race it. */
  start(args: readonly string[], options?: CliOptions): StartedCli;
  /** Replaces both servers' data and clears their faults and statistics. */
  load(primary: Dataset, backup: Dataset): Promise<void>;
}

export interface SyncPairOptions {
  /**
   * Settings every run of the file gets in its environment, such as
   * `{ SYNC_DBS_MODE: 'one-way' }` for tests of the strict mirror.
   */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts the two emulators once per test file; before each test gives a new
 * state directory. Data is loaded by each test with `load`.
 */
export function useSyncPair(options: SyncPairOptions = {}): () => SyncPair {
  let primary: EmulatorHandle | undefined;
  let backup: EmulatorHandle | undefined;
  let stateDir = '';
  beforeAll(async () => {
    [primary, backup] = await Promise.all([openEmulator(), openEmulator()]);
  });
  beforeEach(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-state-'));
    return () => rm(stateDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await Promise.all([primary?.emulator.close(), backup?.emulator.close()]);
  });
  return () => {
    if (!primary || !backup) throw new Error('the emulators have not started yet');
    const p = primary;
    const b = backup;
    const env = (extra: Readonly<Record<string, string | undefined>> = {}) => ({
      SYNC_DBS_PRIMARY_URL: p.url,
      SYNC_DBS_PRIMARY_USER: ADMIN.username,
      SYNC_DBS_PRIMARY_PASSWORD: ADMIN.password,
      SYNC_DBS_BACKUP_URL: b.url,
      SYNC_DBS_BACKUP_USER: ADMIN.username,
      SYNC_DBS_BACKUP_PASSWORD: ADMIN.password,
      SYNC_DBS_STATE_DIR: stateDir,
      SYNC_DBS_RETRY_DELAY: '0.01',
      SYNC_DBS_RETRY_MAX_DELAY: '0.05',
      SYNC_DBS_WAKE_TIMEOUT: '5',
      ...options.env,
      ...extra,
    });
    return {
      primary: p,
      backup: b,
      stateDir,
      env,
      cli: (args, options = {}) => runCli(args, { ...options, env: env(options.env), cwd: options.cwd ?? stateDir }),
      start: (args, options = {}) => startCli(args, { ...options, env: env(options.env), cwd: options.cwd ?? stateDir }),
      load: async (primaryData, backupData) => {
        await Promise.all([
          p.control.loadState(primaryData),
          b.control.loadState(backupData),
          p.control.setFaults({}),
          b.control.setFaults({}),
        ]);
        await Promise.all([p.control.resetStats(), b.control.resetStats()]);
      },
    };
  };
}

/** A dataset holding these rows (plus the seeded administrator). Ids are assigned in order. */
export function datasetOf(rows: { users?: readonly Omit<Parameters<typeof datasetUser>[0], 'id'>[]; licenses?: readonly Omit<DeviceRow, 'id'>[] }): Dataset {
  const base = freshDataset();
  const users: UserRow[] = (rows.users ?? []).map((user, index) => datasetUser({ ...user, id: index + 1 }));
  const devices: DeviceRow[] = (rows.licenses ?? []).map((license, index) => ({ ...license, id: index + 1 }));
  return { ...base, users, devices };
}

/** A license row that the primary allows today (active, ends in six months); override any field. */
export function allowedLicense(deviceId: string, overrides: Partial<DeviceRow> = {}): Omit<DeviceRow, 'id'> {
  const { id: _id, ...row } = datasetLicense({
    id: 1,
    device_id: deviceId,
    owner_name: `Owner of ${deviceId}`,
    cpf: '52998224725',
    email: `${deviceId}@example.com`,
    address: 'Rua A, 1, Centro, Recife',
    license_type: 'anual',
    status: 'active',
    start_date: monthsFromToday(-6),
    end_date: monthsFromToday(6),
    ...overrides,
  });
  return row;
}

/** Writes (POST/DELETE other than login) the server received since its statistics were reset. */
export async function writesReceived(server: EmulatorHandle): Promise<number> {
  return countWrites((await server.control.stats()).requests);
}
