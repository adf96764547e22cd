import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpServers } from '../api/http-servers.js';
import { ConfigError } from '../config/config-error.js';
import { loadLocalSettings, loadSyncConfig, type LocalSettings } from '../config/load-config.js';
import { PasswordEntryCancelled, promptPassword } from '../config/password-prompt.js';
import type { SyncConfig } from '../config/sync-config.js';
import { createLogger, type RunLogger } from '../log/logger.js';
import { SecretRedactor } from '../log/secret-redactor.js';
import { JSON_REPORT_FORMAT, toJsonReport } from '../report/json-report.js';
import { renderTextReport } from '../report/text-report.js';
import { runEvery } from '../run/every-loop.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import { renderHealth, runHealth } from '../run/health-run.js';
import { lastGoodRunOf, readOnlyPairBases, runRecordedSync } from '../run/recorded-run.js';
import type { RunResult } from '../outcome/run-result.js';
import { StateDirectoryError } from '../run/state-directory-error.js';
import { runSync } from '../run/sync-run.js';
import { StateStore } from '../state/state-store.js';
import type { CliIo } from './cli-io.js';
import { configFlagsOf } from './config-options.js';
import { outputOptionsOf, type OutputOptions } from './output-options.js';
import { historyCommand, htmlReportCommand, statusCommand } from './state-commands.js';
import { withStopSignals } from './stop-signals.js';

export type CommandRequest =
  | { readonly command: 'sync' | 'plan'; readonly force: boolean; readonly resync: boolean }
  | { readonly command: 'health' }
  | { readonly command: 'status' }
  | { readonly command: 'history'; readonly limit: number }
  | { readonly command: 'report'; readonly htmlFile: string };

export type CommandName = CommandRequest['command'];

/** The folder of the daily-rotated log files, under the state directory. */
export const LOG_DIR_NAME = 'logs';

/** Runs one command from parsed arguments; resolves to the process exit code. */
export async function runCommand(request: CommandRequest, argv: Record<string, unknown>, io: CliIo): Promise<number> {
  const output = outputOptionsOf(argv);
  const redactor = new SecretRedactor();
  const log = createLogger({ level: output.logLevel, quiet: output.quiet, stream: io.stderr, file: output.logFile, redactor });
  try {
    switch (request.command) {
      case 'status':
      case 'history':
      case 'report': {
        const settings = await loadLocal(argv, io, log);
        if (settings === null) return EXIT_CODES.usage;
        const context = { settings, io, log, json: output.json, now: new Date() };
        if (request.command === 'status') return statusCommand(context);
        if (request.command === 'history') return historyCommand(context, request.limit);
        return await htmlReportCommand(context, path.resolve(io.cwd, request.htmlFile));
      }
      case 'health':
      case 'plan':
      case 'sync': {
        const config = await loadConfig(argv, io, log);
        if (config === null) return EXIT_CODES.usage;
        if (io.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
          log.warn('NODE_TLS_REJECT_UNAUTHORIZED=0 is set: sync-dbs ignores it and always verifies the servers\' TLS certificates (use --ca-file for a private CA)');
        }
        const print = (text: string) => io.stdout.write(redactor.redact(text));
        if (request.command === 'health') {
          const health = await runHealth(config, httpServers(config, log, redactor));
          print(output.json ? `${JSON.stringify(health, null, 2)}\n` : renderHealth(health));
          return health.exitCode;
        }
        if (request.resync && config.mode !== 'two-way') {
          log.error('--resync only applies to --mode two-way, the default (it merges without the recorded base)');
          return EXIT_CODES.usage;
        }
        if (request.command === 'plan') {
          const result = await planOnce(config, request, log, redactor);
          print(reportOf(result, output));
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
        const every = config.every;
        return await withStopSignals(log, (signal) => {
          const once = () => syncOnce(config, request, signal, log, redactor, output, print);
          return every === null ? once() : runEvery({ cron: every, runOnce: once, log, signal });
        });
      }
    }
  } catch (error) {
    if (error instanceof StateDirectoryError) {
      log.error(error.message);
      return EXIT_CODES.usage;
    }
    log.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : 'unknown'}`);
    return EXIT_CODES.failed;
  } finally {
    await log.close();
  }
}

async function syncOnce(
  config: SyncConfig,
  { force, resync }: { readonly force: boolean; readonly resync: boolean },
  signal: AbortSignal,
  log: RunLogger,
  redactor: SecretRedactor,
  output: OutputOptions,
  print: (text: string) => void,
): Promise<number> {
  const outcome = await runRecordedSync({ config, log, redactor, open: httpServers(config, log, redactor), force, resync, signal });
  if (outcome.kind === 'locked') {
    if (output.json) {
      print(`${JSON.stringify({ format: JSON_REPORT_FORMAT, command: 'sync', outcome: 'locked', exitCode: outcome.exitCode, lockHolder: outcome.holder }, null, 2)}\n`);
    }
    return outcome.exitCode;
  }
  print(reportOf(outcome.result, output));
  return outcome.result.exitCode;
}

function reportOf(result: RunResult, output: OutputOptions): string {
  return output.json ? `${JSON.stringify(toJsonReport(result), null, 2)}\n` : renderTextReport(result);
}

/** A plan: reads the last good counts and the pair bases when a state database exists, and creates nothing. */
async function planOnce(config: SyncConfig, request: { readonly force: boolean; readonly resync: boolean }, log: RunLogger, redactor: SecretRedactor): Promise<RunResult> {
  const store = StateStore.openIfExists(config.stateDir);
  try {
    return await runSync({
      command: 'plan',
      config,
      log,
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
