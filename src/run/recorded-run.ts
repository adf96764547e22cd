import os from 'node:os';
import type { OpenServer } from '../api/license-server.js';
import type { LogSink } from '../log/log-sink.js';
import type { ProgressListener } from '../progress/progress-listener.js';
import type { SyncConfig } from '../config/sync-config.js';
import type { SecretRedactor } from '../log/secret-redactor.js';
import { Notifier } from '../notify/notifier.js';
import type { LastGoodRun } from '../plan/guards.js';
import type { Operation } from '../plan/operation.js';
import { toJsonReport } from '../report/json-report.js';
import { renderTextReport } from '../report/text-report.js';
import { interruptedRunVerdict, runVerdict } from '../report/verdict.js';
import type { LockHolder } from '../state/run-records.js';
import { acquireRunLock } from '../state/run-lock.js';
import { PairBaseStore } from '../state/pair-base-store.js';
import { StateStore } from '../state/state-store.js';
import type { PairBases } from './pair-bases.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import { notifySettingsOf } from './notify-settings-of.js';
import type { RunResult } from '../outcome/run-result.js';
import { StateDirectoryError } from './state-directory-error.js';
import type { PlanJournal, RunJournal } from './apply-plan.js';
import { runSync } from './sync-run.js';
import { t } from '../i18n/i18n.js';

export interface RecordedRunInput {
  readonly config: SyncConfig;
  readonly log: LogSink;
  /** Hears how the wake-up waits and the writes are going. */
  readonly progress?: ProgressListener;
  readonly redactor: SecretRedactor;
  /** Opens a session on each configured server. */
  readonly open: OpenServer;
  /** --force: override the shrunken-listing guards. */
  readonly force: boolean;
  /** --resync: a two-way run starts from the union instead of the base. */
  readonly resync?: boolean;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export type RecordedRunOutcome =
  | { readonly kind: 'ran'; readonly result: RunResult }
  | { readonly kind: 'locked'; readonly holder: LockHolder; readonly stateDir: string; readonly exitCode: number };

const DAY_MS = 86_400_000;

/**
 * One `sync` as the scheduler runs it: take the state directory's lock, note
 * runs a crash left behind, record the run and its journal, alert, prune old
 * history. Without the lock nothing is read or written.
 */
export async function runRecordedSync(input: RecordedRunInput): Promise<RecordedRunOutcome> {
  const { config, log } = input;
  const now = input.now ?? (() => new Date());
  const hostname = os.hostname();
  const notifier = new Notifier(notifySettingsOf(config), log);
  for (const url of notifier.secretUrls()) input.redactor.add(url);
  let store: StateStore;
  try {
    store = StateStore.open(config.stateDir);
  } catch (error) {
    throw new StateDirectoryError(config.stateDir, error);
  }
  try {
    const startedAt = now();
    const acquired = acquireRunLock(store.database, { pid: process.pid, hostname, command: 'sync', startedAt });
    if (!acquired.acquired) {
      const { holder } = acquired;
      log.error(t('run:lock.held', { stateDir: config.stateDir, pid: holder.pid, hostname: holder.hostname, at: holder.startedAt }));
      await notifier.lockConflict({
        holder,
        now: startedAt,
        expectEveryMs: config.expectEveryMs,
        hostname,
        servers: serversOf(config),
        exitCode: EXIT_CODES.locked,
        consecutiveFailures: store.status(startedAt, config.expectEveryMs).consecutiveFailures,
      });
      return { kind: 'locked', holder, stateDir: config.stateDir, exitCode: EXIT_CODES.locked };
    }
    const { lock } = acquired;
    try {
      if (acquired.recovered !== null) {
        const old = acquired.recovered;
        log.warn(t('run:lock.tookOver', { pid: old.pid, hostname: old.hostname, at: old.startedAt }));
      }
      const interruptedRuns = store.recoverInterrupted();
      for (const run of interruptedRuns) {
        log.warn(t('run:interrupted.found', { id: run.id, at: run.startedAt, done: run.done, failed: run.failed, unknown: run.unknown, notSent: run.notSent }));
      }
      const previousConsecutiveFailures = store.status(startedAt, config.expectEveryMs).consecutiveFailures;
      const lastInterrupted = interruptedRuns.at(-1);
      if (lastInterrupted !== undefined) {
        // It never said how it ended: close its dead-man's-switch check and alert before this run starts.
        await notifier.runFinished({
          run: {
            verdict: interruptedRunVerdict(lastInterrupted.id),
            outcome: 'interrupted',
            exitCode: null,
            startedAt: lastInterrupted.startedAt,
            durationMs: null,
            runId: lastInterrupted.id,
            hostname: lastInterrupted.hostname,
            servers: serversOf(config),
            failures: lastInterrupted.failed,
            consecutiveFailures: previousConsecutiveFailures,
          },
          previousConsecutiveFailures: Math.max(0, previousConsecutiveFailures - 1),
        });
      }
      await notifier.runStarted();
      const runId = store.startRun({ command: 'sync', startedAt, pid: process.pid, hostname });
      const result = await runSync({
        command: 'sync',
        config,
        log,
        ...(input.progress ? { progress: input.progress } : {}),
        open: input.open,
        now,
        journal: storeJournal(store, runId, now, input.redactor, log),
        lastGood: lastGoodRunOf(store, config.primary.url),
        force: input.force,
        resync: input.resync === true,
        bases: writablePairBases(store),
        ...(input.signal ? { signal: input.signal } : {}),
        interruptedRuns,
        runId,
      });
      // Redacted before anything cuts it short (the alert payloads truncate it).
      const verdict = input.redactor.redact(runVerdict(result));
      store.finishRun(runId, {
        outcome: result.outcome,
        exitCode: result.exitCode,
        endedAt: now(),
        durationMs: result.durationMs,
        verdict,
        servers: result.servers.map(({ name, url, users, licenses }) => ({ server: name, url, users, licenses })),
        reportText: input.redactor.redact(renderTextReport(result)),
        reportJson: input.redactor.redact(JSON.stringify(toJsonReport(result))),
      });
      await notifier.runFinished({
        run: {
          verdict,
          outcome: result.outcome,
          exitCode: result.exitCode,
          startedAt: result.startedAt,
          durationMs: result.durationMs,
          runId,
          hostname,
          servers: serversOf(config),
          failures: result.failures.length,
          written: result.applied.filter((entry) => entry.status !== 'not-sent').length,
          consecutiveFailures: result.outcome === 'in-sync' ? 0 : previousConsecutiveFailures + 1,
        },
        previousConsecutiveFailures,
      });
      const pruned = store.prune(new Date(now().getTime() - config.historyRetentionDays * DAY_MS));
      if (pruned.runs > 0) log.debug(t('run:history.pruned', { count: pruned.runs, days: config.historyRetentionDays }));
      return { kind: 'ran', result };
    } finally {
      lock.release();
    }
  } finally {
    store.close();
  }
}

/** The store's pair bases, for a run that holds the lock. */
export function writablePairBases(store: StateStore): PairBases {
  const bases = new PairBaseStore(store.database);
  return {
    load: (pair) => bases.load(pair),
    loadPeerSide: (pair) => bases.loadPeerSide(pair),
    save: (pair, base, meta) => bases.save(pair, base, meta),
    forget: (pair) => bases.forget(pair),
    writable: true,
  };
}

/** The store's pair bases for `plan`, which records nothing. */
export function readOnlyPairBases(store: StateStore | null): PairBases {
  const bases = store === null ? null : new PairBaseStore(store.database);
  return {
    load: (pair) => bases?.load(pair) ?? { kind: 'none' },
    loadPeerSide: (pair) => bases?.loadPeerSide(pair) ?? { kind: 'none' },
    save: () => undefined,
    forget: () => undefined,
    writable: false,
  };
}

/** The primary's counts at the last good run, as the --max-shrink guard takes them. */
export function lastGoodRunOf(store: StateStore, primaryUrl: string): LastGoodRun | null {
  const last = store.lastGoodCounts(primaryUrl);
  return last === null ? null : { counts: { users: last.users, licenses: last.licenses }, recordedAt: last.recordedAt };
}

/**
 * Journals through the store. The journal serves the next run's report; if the
 * database fails mid-run, the sync itself goes on and the problem is logged once.
 */
function storeJournal(store: StateStore, runId: number, now: () => Date, redactor: SecretRedactor, log: LogSink): RunJournal {
  let broken = false;
  const guarded = (step: () => void) => {
    if (broken) return;
    try {
      step();
    } catch (error) {
      broken = true;
      log.error(t('run:journal.broken', { reason: error instanceof Error ? error.message : t('run:failure.unexpectedError') }));
    }
  };
  return {
    planned: (operations: readonly Operation[]): PlanJournal => {
      let ids: number[] = [];
      guarded(() => {
        ids = store.journalPlanned(runId, operations.map(({ server, kind, key }) => ({ server, kind, key })), now());
      });
      const idOf = (index: number) => ids[index] ?? -1;
      return {
        sent: (index) => guarded(() => store.markSent(idOf(index), now())),
        done: (index, note) => guarded(() => store.markDone(idOf(index), note === null ? null : redactor.redact(note), now())),
        failed: (index, reason) => guarded(() => store.markFailed(idOf(index), redactor.redact(reason), now())),
      };
    },
  };
}

function serversOf(config: SyncConfig) {
  return [config.primary, ...config.backups].map(({ name, url }) => ({ name, url }));
}
