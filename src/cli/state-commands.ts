import { writeFile } from 'node:fs/promises';
import type { LocalSettings } from '../config/load-config.js';
import type { RunLogger } from '../log/logger.js';
import { renderHistoryText } from '../report/history-text.js';
import { renderHtmlReport } from '../report/html/html-report.js';
import { renderStatusText } from '../report/status-text.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import { statusExitCode } from '../outcome/status-exit-code.js';
import { computeStatus } from '../state/status.js';
import { StateStore } from '../state/state-store.js';
import type { StatusReport } from '../state/run-records.js';
import type { CliIo } from './cli-io.js';
import { packageVersion } from './package-version.js';
import { t } from '../i18n/i18n.js';

// The commands that only read the state directory: they need no server
// settings and create nothing when there is no state yet.

export const HISTORY_FORMAT = 'sync-dbs-history/1';
export const STATUS_FORMAT = 'sync-dbs-status/1';

export interface StateCommandContext {
  readonly settings: LocalSettings;
  readonly io: CliIo;
  readonly log: RunLogger;
  readonly json: boolean;
  readonly now: Date;
}

function withStore<T>(stateDir: string, read: (store: StateStore | null) => T): T {
  const store = StateStore.openIfExists(stateDir);
  try {
    return read(store);
  } finally {
    store?.close();
  }
}

function statusOf(store: StateStore | null, context: StateCommandContext): StatusReport {
  const { now, settings } = context;
  if (store !== null) return store.status(now, settings.expectEveryMs);
  return computeStatus({
    now,
    expectEveryMs: settings.expectEveryMs,
    lastRun: null,
    lastSuccess: null,
    firstRunStartedAt: null,
    consecutiveFailures: 0,
    running: null,
    interruptedRun: null,
    unfinished: [],
  });
}

export function statusCommand(context: StateCommandContext): number {
  const status = withStore(context.settings.stateDir, (store) => statusOf(store, context));
  const exitCode = statusExitCode(status);
  context.io.stdout.write(
    context.json
      ? `${JSON.stringify({ format: STATUS_FORMAT, exitCode, stateDir: context.settings.stateDir, ...status }, null, 2)}\n`
      : renderStatusText(status, context.settings.stateDir),
  );
  return exitCode;
}

export function historyCommand(context: StateCommandContext, limit: number): number {
  const runs = withStore(context.settings.stateDir, (store) => store?.history(limit) ?? []);
  context.io.stdout.write(context.json ? `${JSON.stringify({ format: HISTORY_FORMAT, runs }, null, 2)}\n` : renderHistoryText(runs));
  return EXIT_CODES.inSync;
}

/** Up to this many runs are drawn (the chart keeps the newest 100). */
const HTML_REPORT_RUNS = 500;

export async function htmlReportCommand(context: StateCommandContext, file: string): Promise<number> {
  const page = withStore(context.settings.stateDir, (store) =>
    renderHtmlReport({
      generatedAt: context.now,
      status: statusOf(store, context),
      runs: store?.history(HTML_REPORT_RUNS) ?? [],
      lastReport: store?.lastRunReport() ?? null,
      version: packageVersion(),
    }),
  );
  try {
    await writeFile(file, page, 'utf8');
  } catch (error) {
    context.log.error(t('cli:htmlReport.writeFailed', { file, reason: error instanceof Error ? error.message : t('cli:error.unknown') }));
    return EXIT_CODES.failed;
  }
  context.io.stdout.write(`${t('cli:htmlReport.written', { file })}\n`);
  return EXIT_CODES.inSync;
}
