import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { OpenServer } from '../../../src/api/license-server.js';
import type { ServerConfig, SyncConfig } from '../../../src/config/sync-config.js';
import { utcCalendarDate, type CalendarDate } from '../../../src/domain/calendar-date.js';
import type { RunResult } from '../../../src/outcome/run-result.js';
import { lastGoodRunOf, readOnlyPairBases, runRecordedSync } from '../../../src/run/recorded-run.js';
import { runSync } from '../../../src/run/sync-run.js';
import { SecretRedactor } from '../../../src/log/secret-redactor.js';
import type { ProgressListener } from '../../../src/progress/progress-listener.js';
import { PairBaseStore, type RecordedPairBase } from '../../../src/state/pair-base-store.js';
import { StateStore } from '../../../src/state/state-store.js';
import { recordingLog, type RecordingLog } from '../../notify/support/recording-log.js';
import { InMemoryServer } from './in-memory-server.js';

// Runs the real sync (runRecordedSync for `sync`, runSync for `plan`) against
// servers held in memory, with a real state database in a temporary
// directory and a clock that moves one second per reading.

export const NOW = new Date('2025-06-01T10:00:00.000Z');
export const TODAY: CalendarDate = utcCalendarDate(NOW);

export interface RunOptions {
  readonly force?: boolean;
  readonly resync?: boolean;
  readonly config?: Partial<SyncConfig>;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressListener;
}

export interface Harness {
  readonly stateDir: string;
  readonly primary: InMemoryServer;
  /** Backup 1 (`backup`), then `backup-2`, ... as many as `backups` asked. */
  readonly backups: readonly InMemoryServer[];
  /** The log of the last run. */
  log: RecordingLog;
  /** How runs open the in-memory servers (a new session on each). */
  readonly open: OpenServer;
  config(overrides?: Partial<SyncConfig>): SyncConfig;
  sync(options?: RunOptions): Promise<RunResult>;
  plan(options?: RunOptions): Promise<RunResult>;
  /** The pair bases the state database holds. */
  bases(): readonly RecordedPairBase[];
  /** Runs SQL on the state database (to damage it). */
  damage(sql: string): void;
  /** Lines of the last run's log at this level, without the level. */
  lines(level: 'info' | 'warn' | 'error'): string[];
}

const URL_OF = (name: string) => `https://${name}.license.test`;

function account(name: string): ServerConfig {
  return { name, url: URL_OF(name), username: 'sync', password: `pw-of-${name}` };
}

/** A fresh harness per test: `backups` in-memory backups beside the primary, all empty. */
export function useHarness(backups = 1): () => Harness {
  let harness: Harness | null = null;
  let stateDir = '';
  beforeEach(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-run-'));
    harness = makeHarness(stateDir, backups);
  });
  afterEach(async () => {
    harness = null;
    await rm(stateDir, { recursive: true, force: true });
  });
  return () => {
    if (harness === null) throw new Error('no harness outside a test');
    return harness;
  };
}

export function makeHarness(stateDir: string, backupCount: number): Harness {
  const names = Array.from({ length: backupCount }, (_, index) => (index === 0 ? 'backup' : `backup-${index + 1}`));
  const primary = new InMemoryServer('primary', TODAY);
  const backups = names.map((name) => new InMemoryServer(name, TODAY));
  const byName = new Map([primary, ...backups].map((server) => [server.server, server]));
  const open: OpenServer = (opened, stop) => {
    const server = byName.get(opened.name);
    if (server === undefined) throw new Error(`no in-memory server named ${opened.name}`);
    server.reopen(stop);
    return server;
  };
  const config = (overrides: Partial<SyncConfig> = {}): SyncConfig => ({
    primary: account('primary'),
    backups: names.map(account),
    mode: 'one-way',
    conflict: 'primary',
    concurrency: 4,
    maxConcurrency: 64,
    language: null,
    timeoutMs: 1_000,
    wakeTimeoutMs: 1_000,
    retries: 1,
    retryDelayMs: 1,
    retryMaxDelayMs: 1,
    maxAnswerMb: 16,
    delete: false,
    maxDelete: 0,
    newUsers: 'create',
    minPrimaryRatio: 0.5,
    stateDir,
    ca: null,
    allowInsecureHttp: false,
    maxShrink: 0.1,
    expectEveryMs: 3_600_000,
    every: null,
    logRetentionDays: 14,
    historyRetentionDays: 90,
    notify: { webhookUrl: null, format: 'auto', on: ['failure', 'recovery'], pingUrl: null },
    serve: { healthIntervalMs: 60_000, healthTimeoutMs: 10_000, downAfter: 3, upAfter: 3, host: '127.0.0.1', port: 8750, dashboardToken: null },
    ...overrides,
  });
  let ticks = 0;
  const now = () => new Date(NOW.getTime() + 1_000 * ticks++);
  const harness: Harness = {
    stateDir,
    primary,
    backups,
    log: recordingLog(),
    open,
    config,
    async sync(options = {}) {
      harness.log = recordingLog();
      const outcome = await runRecordedSync({
        config: config(options.config),
        log: harness.log,
        redactor: new SecretRedactor(),
        open,
        force: options.force === true,
        resync: options.resync === true,
        now,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.progress ? { progress: options.progress } : {}),
      });
      if (outcome.kind !== 'ran') throw new Error('the state directory is locked');
      return outcome.result;
    },
    async plan(options = {}) {
      harness.log = recordingLog();
      const store = StateStore.openIfExists(stateDir);
      try {
        const settings = config(options.config);
        return await runSync({
          command: 'plan',
          config: settings,
          log: harness.log,
          open,
          now,
          force: options.force === true,
          resync: options.resync === true,
          lastGood: store === null ? null : lastGoodRunOf(store, settings.primary.url),
          bases: readOnlyPairBases(store),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } finally {
        store?.close();
      }
    },
    bases() {
      const store = StateStore.openIfExists(stateDir);
      if (store === null) return [];
      try {
        return new PairBaseStore(store.database).list();
      } finally {
        store.close();
      }
    },
    damage(sql) {
      const store = StateStore.open(stateDir);
      try {
        store.database.prepare(sql).run();
      } finally {
        store.close();
      }
    },
    lines(level) {
      const prefix = `${level} `;
      return harness.log.lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
    },
  };
  return harness;
}
