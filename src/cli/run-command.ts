import os from 'node:os';
import { ConfigError } from '../config/config-error.js';
import { loadSyncConfig } from '../config/load-config.js';
import { PasswordEntryCancelled, promptPassword } from '../config/password-prompt.js';
import { CONFIG_FLAGS, PASSWORD_KEYS } from '../config/settings.js';
import type { SyncConfig } from '../config/sync-config.js';
import { createLogger, type RunLogger } from '../log/logger.js';
import { SecretRedactor } from '../log/secret-redactor.js';
import { toJsonReport } from '../report/json-report.js';
import { renderTextReport } from '../report/text-report.js';
import { EXIT_CODES } from '../run/exit-codes.js';
import { renderHealth, runHealth } from '../run/health-run.js';
import { runSync } from '../run/sync-run.js';
import type { CliIo } from './cli-io.js';
import { outputOptionsOf } from './output-options.js';

export type CommandName = 'sync' | 'plan' | 'health';

/** Runs one command from parsed arguments; resolves to the process exit code. */
export async function runCommand(command: CommandName, argv: Record<string, unknown>, io: CliIo): Promise<number> {
  const output = outputOptionsOf(argv);
  const redactor = new SecretRedactor();
  const log = createLogger({ level: output.logLevel, quiet: output.quiet, stream: io.stderr, file: output.logFile, redactor });
  const print = (text: string) => io.stdout.write(redactor.redact(text));
  try {
    const config = await loadConfig(argv, io, log);
    if (config === null) return EXIT_CODES.usage;
    if (command === 'health') {
      const health = await runHealth(config, log, redactor);
      print(output.json ? `${JSON.stringify(health, null, 2)}\n` : renderHealth(health));
      return health.exitCode;
    }
    const result = await runSync({ command, config, log, redactor });
    print(output.json ? `${JSON.stringify(toJsonReport(result), null, 2)}\n` : renderTextReport(result));
    return result.exitCode;
  } catch (error) {
    log.error(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : 'unknown'}`);
    return EXIT_CODES.failed;
  } finally {
    await log.close();
  }
}

async function loadConfig(argv: Record<string, unknown>, io: CliIo, log: RunLogger): Promise<SyncConfig | null> {
  const flags: Record<string, unknown> = {};
  for (const spec of CONFIG_FLAGS) if (argv[spec.flag] !== undefined) flags[spec.flag] = argv[spec.flag];
  // Declared (hidden) only so that loadSyncConfig can explain why they are refused.
  for (const key of PASSWORD_KEYS) if (argv[key] !== undefined) flags[key] = argv[key];
  const interactive = io.stdin.isTTY === true && 'isTTY' in io.stderr && io.stderr.isTTY === true;
  try {
    return await loadSyncConfig({
      flags,
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
