import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Dataset } from '../../src/emulator/dataset/dataset-file.js';
import { EmulatorControl } from '../../src/emulator/control-client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runCli, startCli, type CliOptions, type CliRun, type StartedCli } from './cli-process.js';
import type { EmulatorHandle } from './emulator-fixture.js';
import { rawRequest, type RawRequest } from './raw-http.js';
import { ADMIN } from './sync-pair.js';

// A primary and several backups, each an emulator on its own loopback port,
// with the built CLI run against them as a real process: the setting of the
// end-to-end tests of several backups and two-way runs. Any server can be
// stopped (its port then refuses connections) and started again on the same
// port with the data it held, like a primary that goes down and comes back.

/** An emulator that can go down and come back on the same port, with the data it held. */
export interface RestartableEmulator extends EmulatorHandle {
  /** The name the CLI knows it by: `primary`, `backup`, `backup-2`... or the name given to `useServerGroup`. */
  readonly name: string;
  readonly port: number;
  readonly running: boolean;
  /** Closes the server, keeping its data; from now on its port refuses connections. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the data it held when stopped (and the same control secret). */
  start(): Promise<void>;
}

export interface ServerCredentials {
  readonly url: string;
  readonly user?: string;
  readonly password?: string;
  /** For a backup: its name (SYNC_DBS_BACKUP_NAME, SYNC_DBS_BACKUP_N_NAME); left unset when absent. */
  readonly name?: string;
}

/**
 * The environment that points the CLI at a primary and backups 1..N as admin:
 * backup 1 is SYNC_DBS_BACKUP_*, backup N (2..9) SYNC_DBS_BACKUP_N_*. Fast
 * retries, a short wake timeout, the given state directory.
 */
export function serverGroupEnv(primary: ServerCredentials, backups: readonly ServerCredentials[], stateDir: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    SYNC_DBS_PRIMARY_URL: primary.url,
    SYNC_DBS_PRIMARY_USER: primary.user ?? ADMIN.username,
    SYNC_DBS_PRIMARY_PASSWORD: primary.password ?? ADMIN.password,
    SYNC_DBS_STATE_DIR: stateDir,
    SYNC_DBS_RETRY_DELAY: '0.01',
    SYNC_DBS_RETRY_MAX_DELAY: '0.05',
    SYNC_DBS_WAKE_TIMEOUT: '5',
  };
  backups.forEach((backup, index) => {
    const prefix = index === 0 ? 'SYNC_DBS_BACKUP' : `SYNC_DBS_BACKUP_${index + 1}`;
    env[`${prefix}_URL`] = backup.url;
    env[`${prefix}_USER`] = backup.user ?? ADMIN.username;
    env[`${prefix}_PASSWORD`] = backup.password ?? ADMIN.password;
    if (backup.name !== undefined) env[`${prefix}_NAME`] = backup.name;
  });
  return env;
}

export interface ServerGroup {
  readonly primary: RestartableEmulator;
  /** In configuration order: backup 1 first. */
  readonly backups: readonly RestartableEmulator[];
  /** The primary, then the backups. */
  readonly servers: readonly RestartableEmulator[];
  /** A fresh temporary state directory per test. */
  readonly stateDir: string;
  /** The environment that points the CLI at every server of the group (see `serverGroupEnv`), plus `extra`. */
  env(extra?: Readonly<Record<string, string | undefined>>): Record<string, string | undefined>;
  /** Runs the built CLI against the group; `options.env` is added to (and may unset) the group's environment. */
  cli(args: readonly string[], options?: CliOptions): Promise<CliRun>;
  /** Starts the built CLI against the group, for tests that signal or race it. */
  start(args: readonly string[], options?: CliOptions): StartedCli;
  /** Replaces each server's data (primary first, then the backups in order) and clears faults and statistics. */
  load(primary: Dataset, ...backups: Dataset[]): Promise<void>;
  /** Clears every running server's request statistics. */
  resetStats(): Promise<void>;
}

export interface ServerGroupOptions {
  /** How many backups (1..9). */
  readonly backups: number;
  /** Their names, given to the CLI as SYNC_DBS_BACKUP[_N]_NAME; the CLI's defaults (backup, backup-2...) when absent. */
  readonly names?: readonly string[];
  /** Settings every run of the file gets in its environment, such as `{ SYNC_DBS_MODE: 'one-way' }`. */
  readonly env?: Readonly<Record<string, string>>;
}

function defaultName(index: number): string {
  return index === 0 ? 'backup' : `backup-${index + 1}`;
}

/**
 * The control client of a server that may have been restarted: fetch keeps
 * idle connections to an origin, and the first request after a restart may
 * go out on one the old server closed ("other side closed"). Control calls
 * are idempotent, so such a call is sent once more on a new connection.
 */
function restartSafeControl(url: string, secret: string): EmulatorControl {
  const control = new EmulatorControl(url, secret);
  return new Proxy(control, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        try {
          return await call();
        } catch (error) {
          const code = (error as { cause?: { code?: unknown } }).cause?.code;
          if (!(error instanceof TypeError) || code !== 'UND_ERR_SOCKET') throw error;
          return call();
        }
      };
    },
  });
}

/** Starts an emulator on a free port whose life the test controls. */
export async function openRestartableEmulator(name: string): Promise<RestartableEmulator> {
  let current: RunningEmulator | null = await startEmulator();
  let data: Dataset | null = null;
  const { url, port, controlSecret } = current;
  const request = (req: RawRequest) => rawRequest(url, req);
  return {
    name,
    url,
    port,
    control: restartSafeControl(url, controlSecret),
    get emulator(): RunningEmulator {
      if (current === null) throw new Error(`${name} (${url}) is stopped`);
      return current;
    },
    get running() {
      return current !== null;
    },
    request,
    login: async (username = ADMIN.username, password = ADMIN.password) => {
      const res = await request({ method: 'POST', path: '/admin/login', body: { username, password } });
      const token = (res.json as { token?: unknown } | undefined)?.token;
      if (res.status !== 200 || typeof token !== 'string') throw new Error(`login on ${name} as ${username} failed: ${res.status} ${res.text}`);
      return token;
    },
    stop: async () => {
      if (current === null) return;
      const stopping = current;
      data = stopping.dataset();
      current = null;
      await stopping.close();
    },
    start: async () => {
      if (current !== null) return;
      current = await startEmulator({ port, controlSecret, ...(data === null ? {} : { dataset: data }) });
    },
  };
}

/**
 * Starts a primary and `options.backups` backups once per test file; before
 * each test, starts again any server a previous test left stopped and gives a
 * new state directory. Data is loaded by each test with `load`.
 */
export function useServerGroup(options: ServerGroupOptions): () => ServerGroup {
  if (!Number.isInteger(options.backups) || options.backups < 1 || options.backups > 9) throw new RangeError(`1..9 backups, got ${options.backups}`);
  const names = Array.from({ length: options.backups }, (_, index) => options.names?.[index] ?? defaultName(index));
  let servers: RestartableEmulator[] = [];
  let stateDir = '';
  beforeAll(async () => {
    servers = await Promise.all(['primary', ...names].map((name) => openRestartableEmulator(name)));
  });
  beforeEach(async () => {
    await Promise.all(servers.map((server) => server.start()));
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-state-'));
    return () => rm(stateDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });
  return () => {
    const [primary, ...backups] = servers;
    if (primary === undefined) throw new Error('the emulators have not started yet');
    const dir = stateDir;
    const env = (extra: Readonly<Record<string, string | undefined>> = {}) => ({
      ...serverGroupEnv(
        primary,
        backups.map((backup, index) => ({ url: backup.url, ...(options.names?.[index] === undefined ? {} : { name: backup.name }) })),
        dir,
      ),
      ...options.env,
      ...extra,
    });
    const resetStats = async () => {
      await Promise.all(servers.filter((server) => server.running).map((server) => server.control.resetStats()));
    };
    return {
      primary,
      backups,
      servers,
      stateDir: dir,
      env,
      cli: (args, cliOptions = {}) => runCli(args, { ...cliOptions, env: env(cliOptions.env), cwd: cliOptions.cwd ?? dir }),
      start: (args, cliOptions = {}) => startCli(args, { ...cliOptions, env: env(cliOptions.env), cwd: cliOptions.cwd ?? dir }),
      load: async (primaryData, ...backupData) => {
        if (backupData.length !== backups.length) throw new Error(`load: ${backups.length} backup datasets expected, got ${backupData.length}`);
        await Promise.all(
          servers.flatMap((server, index) => [server.control.loadState(index === 0 ? primaryData : (backupData[index - 1] as Dataset)), server.control.setFaults({})]),
        );
        await resetStats();
      },
      resetStats,
    };
  };
}
