import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpServers } from '../api/http-servers.js';
import { ConfigError } from '../config/config-error.js';
import { loadLocalSettings, loadSyncConfig, type LocalSettings } from '../config/load-config.js';
import { PasswordEntryCancelled, promptPassword } from '../config/password-prompt.js';
import type { SyncConfig } from '../config/sync-config.js';
import { setLanguage, t } from '../i18n/i18n.js';
import { createLogger, type RunLogger } from '../log/logger.js';
import { SecretRedactor } from '../log/secret-redactor.js';
import { progressDisplayFor } from '../progress/progress-display.js';
import type { ProgressListener } from '../progress/progress-listener.js';
import { JSON_REPORT_FORMAT, toJsonReport } from '../report/json-report.js';
import { renderTextReport } from '../report/text-report.js';
import { runEvery } from '../run/every-loop.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import { renderHealth, runHealth } from '../run/health-run.js';
import { lastGoodRunOf, readOnlyPairBases, runRecordedSync } from '../run/recorded-run.js';
import type { RunResult } from '../outcome/run-result.js';
import { StateDirectoryError } from '../run/state-directory-error.js';
import { runSync } from '../run/sync-run.js';
import { DEFAULT_SERVE_SCHEDULE } from '../serve/serve-schedule.js';
import { runServe } from '../serve/serve-process.js';
import { serveServices } from '../serve/serve-wiring.js';
import { StateStore } from '../state/state-store.js';
import type { CliIo } from './cli-io.js';
import { configFlagsOf } from './config-options.js';
import { detailedExitCode } from './detailed-exit-code.js';
import { outputOptionsOf, type OutputOptions } from './output-options.js';
import { historyCommand, htmlReportCommand, statusCommand } from './state-commands.js';
import { withStopSignals } from './stop-signals.js';

export type CommandRequest =
  | { readonly command: 'sync'; readonly force: boolean; readonly resync: boolean; readonly runAtStart: boolean }
  | { readonly command: 'plan'; readonly force: boolean; readonly resync: boolean; readonly detailedExitcode: boolean }
  | { readonly command: 'health' }
  | { readonly command: 'status' }
  | { readonly command: 'history'; readonly limit: number }
  | { readonly command: 'report'; readonly htmlFile: string }
  | { readonly command: 'serve'; readonly runAtStart: boolean };

export type CommandName = CommandRequest['command'];

/** The folder of the daily-rotated log files, under the state directory. */
export const LOG_DIR_NAME = 'logs';

/** Runs one command from parsed arguments; resolves to the process exit code. */
export async function runCommand(request: CommandRequest, argv: Record<string, unknown>, io: CliIo): Promise<number> {
  let planned: RunResult | null = null;
  const code = await dispatch(request, argv, io, (result) => (planned = result));
  // Under --detailed-exitcode any way out but a computed plan is an error (1), never the 2 of "changes".
  return request.command === 'plan' && request.detailedExitcode ? detailedExitCode(planned) : code;
}

async function dispatch(request: CommandRequest, argv: Record<string, unknown>, io: CliIo, planned: (result: RunResult) => void): Promise<number> {
  const output = outputOptionsOf(argv);
  const redactor = new SecretRedactor();
  const progress = progressDisplayFor({ stderr: io.stderr, env: io.env, progress: output.progress, quiet: output.quiet });
  const log = createLogger({ level: output.logLevel, quiet: output.quiet, stream: progress.logStream, file: output.logFile, redactor });
  progress.logTo(log);
  try {
    switch (request.command) {
      case 'status':
      case 'history':
      case 'report': {
        const settings = await loadLocal(argv, io, log);
        if (settings === null) return EXIT_CODES.usage;
        if (settings.language !== null) setLanguage(settings.language);
        const context = { settings, io, log, json: output.json, now: new Date() };
        if (request.command === 'status') return statusCommand(context);
        if (request.command === 'history') return historyCommand(context, request.limit);
        return await htmlReportCommand(context, path.resolve(io.cwd, request.htmlFile));
      }
      case 'health':
      case 'plan':
      case 'serve':
      case 'sync': {
        const config = await loadConfig(argv, io, log);
        if (config === null) return EXIT_CODES.usage;
        if (config.language !== null) setLanguage(config.language);
        if (io.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
          log.warn(t('cli:warn.tlsRejectUnauthorized'));
        }
        const print = (text: string) => {
          // stdout and stderr may be the same terminal: the report starts on a clean line.
          progress.clear();
          io.stdout.write(redactor.redact(text));
        };
        if (request.command === 'health') {
          const health = await runHealth(config, httpServers(config, log, redactor), progress.listener);
          print(output.json ? `${JSON.stringify(health, null, 2)}\n` : renderHealth(health));
          return health.exitCode;
        }
        if (request.command !== 'serve' && request.resync && config.mode !== 'two-way') {
          log.error(t('cli:error.resyncOneWay'));
          return EXIT_CODES.usage;
        }
        if (request.command === 'plan') {
          const result = await planOnce(config, request, log, redactor, progress.listener);
          print(reportOf(result, output));
          planned(result);
          return result.exitCode;
        }
        try {
          // Private before anything (the daily log included) creates it.
          mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
        } catch (error) {
          log.error(new StateDirectoryError(config.stateDir, error).message);
          return EXIT_CODES.usage;
        }
        log.addRotatedFile({ dir: path.join(config.stateDir, LOG_DIR_NAME), retentionDays: config.logRetentionDays });
        if (request.command === 'serve') return await serveCommand(config, request, { log, progress: progress.listener }, redactor, output, print);
        const every = config.every;
        return await withStopSignals(log, (signal) => {
          const once = () => syncOnce(config, request, signal, { log, progress: progress.listener }, redactor, { ...output, repeated: every !== null }, print);
          return every === null ? once() : runEvery({ cron: every, runOnce: once, runAtStart: request.runAtStart, log, signal });
        });
      }
    }
  } catch (error) {
    if (error instanceof StateDirectoryError) {
      log.error(error.message);
      return EXIT_CODES.usage;
    }
    log.error(t('cli:error.internal', { detail: error instanceof Error ? (error.stack ?? error.message) : t('cli:error.unknown') }));
    return EXIT_CODES.failed;
  } finally {
    progress.stop();
    await log.close();
  }
}

async function syncOnce(
  config: SyncConfig,
  { force, resync }: { readonly force: boolean; readonly resync: boolean },
  signal: AbortSignal,
  { log, progress }: { readonly log: RunLogger; readonly progress: ProgressListener },
  redactor: SecretRedactor,
  output: RunOutput,
  print: (text: string) => void,
): Promise<number> {
  const outcome = await runRecordedSync({ config, log, progress, redactor, open: httpServers(config, log, redactor), force, resync, signal });
  if (outcome.kind === 'locked') {
    if (output.json) {
      print(jsonDocument({ format: JSON_REPORT_FORMAT, command: 'sync', outcome: 'locked', exitCode: outcome.exitCode, lockHolder: outcome.holder }, output));
    }
    return outcome.exitCode;
  }
  if (output.repeated && !output.json) print(`${t('cli:every.separator', { at: new Date(outcome.result.startedAt) })}\n`);
  print(reportOf(outcome.result, output));
  return outcome.result.exitCode;
}

/** `serve` until SIGINT/SIGTERM: the schedule (--every, hourly by default), the watchdog and the dashboard. */
async function serveCommand(
  config: SyncConfig,
  request: { readonly runAtStart: boolean },
  { log, progress }: { readonly log: RunLogger; readonly progress: ProgressListener },
  redactor: SecretRedactor,
  output: OutputOptions,
  print: (text: string) => void,
): Promise<number> {
  if (config.serve.dashboardToken !== null) redactor.add(config.serve.dashboardToken);
  const services = serveServices({
    config,
    log,
    redactor,
    open: httpServers(config, log, redactor),
    progress,
    printReport: (result) => {
      print(`${t('cli:every.separator', { at: new Date(result.startedAt) })}\n`);
      print(renderTextReport(result, { verbose: output.verbose }));
    },
  });
  const options = {
    cron: config.every ?? DEFAULT_SERVE_SCHEDULE,
    runAtStart: request.runAtStart,
    healthIntervalMs: config.serve.healthIntervalMs,
    downAfter: config.serve.downAfter,
    upAfter: config.serve.upAfter,
    primary: config.primary.name,
    backups: config.backups.map((backup) => backup.name),
    log,
    renderReport: (result: RunResult) => renderTextReport(result),
  };
  return await withStopSignals(log, (signal) => runServe(options, services, signal));
}

/** How a run prints its report; `repeated`: one of the runs of --every. */
interface RunOutput extends OutputOptions {
  readonly repeated?: boolean;
}

/** One JSON document; under --every one line each (JSON Lines), so that a reader can split the stream. */
function jsonDocument(value: unknown, output: RunOutput): string {
  return `${output.repeated === true ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`;
}

function reportOf(result: RunResult, output: RunOutput): string {
  return output.json ? jsonDocument(toJsonReport(result), output) : renderTextReport(result, { verbose: output.verbose });
}

/** A plan: reads the last good counts and the pair bases when a state database exists, and creates nothing. */
async function planOnce(
  config: SyncConfig,
  request: { readonly force: boolean; readonly resync: boolean },
  log: RunLogger,
  redactor: SecretRedactor,
  progress: ProgressListener,
): Promise<RunResult> {
  const store = StateStore.openIfExists(config.stateDir);
  try {
    return await runSync({
      command: 'plan',
      config,
      log,
      progress,
      open: httpServers(config, log, redactor),
      force: request.force,
      resync: request.resync,
      lastGood: store === null ? null : lastGoodRunOf(store, config.primary.url),
      bases: readOnlyPairBases(store),
    });
  } finally {
    store?.close();
  }
}

async function loadLocal(argv: Record<string, unknown>, io: CliIo, log: RunLogger): Promise<LocalSettings | null> {
  try {
    return await loadLocalSettings({ flags: configFlagsOf(argv), env: io.env, cwd: io.cwd, platform: process.platform, homedir: os.homedir() });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error(error.message);
    return null;
  }
}

async function loadConfig(argv: Record<string, unknown>, io: CliIo, log: RunLogger): Promise<SyncConfig | null> {
  const interactive = io.stdin.isTTY === true && 'isTTY' in io.stderr && io.stderr.isTTY === true;
  try {
    return await loadSyncConfig({
      flags: configFlagsOf(argv),
      env: io.env,
      cwd: io.cwd,
      platform: process.platform,
      homedir: os.homedir(),
      prompt: interactive ? (question) => promptPassword(question, io.stdin, io.stderr) : null,
    });
  } catch (error) {
    if (!(error instanceof ConfigError) && !(error instanceof PasswordEntryCancelled)) throw error;
    log.error(error.message);
    return null;
  }
}
