import yargs from 'yargs';
import { UnknownLanguageError } from '../i18n/detect-language.js';
import { t } from '../i18n/i18n.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import { UsageError } from './argument-check.js';
import { buildCommand, CLI_COMMAND_DEFINITIONS, takesValue } from './cli-commands.js';
import { commandFirst } from './command-first.js';
import { CLI_COMMANDS, type CliCommand } from './command-options.js';
import type { CliIo } from './cli-io.js';
import { DETAILED_EXIT_CODES } from './detailed-exit-code.js';
import { chooseMessageLanguage } from './message-language.js';
import { packageVersion } from './package-version.js';
import { runCommand } from './run-command.js';

/**
 * `plan --detailed-exitcode` among the raw arguments: then every error,
 * usage errors included, exits 1 (2 means "changes"), as terraform does.
 */
function wantsDetailedExitcode(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const given = end === -1 ? args : args.slice(0, end);
  return given.includes('plan') && given.some((arg) => arg === '--detailed-exitcode' || arg === '--detailed-exitcode=true');
}

/** The command named among the raw arguments, for a yargs error's pointer to its --help. */
function commandNamedIn(args: readonly string[]): CliCommand | null {
  return CLI_COMMANDS.find((command) => args.includes(command)) ?? null;
}

/** Parses `given` and runs the command; resolves to the exit code. */
export async function runCli(given: readonly string[], io: CliIo): Promise<number> {
  const args = commandFirst(given, takesValue);
  const usageExit = wantsDetailedExitcode(args) ? DETAILED_EXIT_CODES.error : EXIT_CODES.usage;
  let exitCode: number = EXIT_CODES.inSync;
  let language;
  try {
    language = chooseMessageLanguage(args, io);
  } catch (error) {
    if (!(error instanceof UnknownLanguageError)) throw error;
    io.stderr.write(`sync-dbs: ${error.message}\n`);
    return usageExit;
  }
  // Every text is looked up here, once the language is chosen.
  let parser = yargs([...args])
    .scriptName('sync-dbs')
    .locale(language === 'pt-BR' ? 'pt_BR' : 'en')
    .usage(`${t('cli:usage')}\n\n${t('cli:about')}`);
  for (const definition of CLI_COMMAND_DEFINITIONS) {
    parser = parser.command(
      definition.command === 'sync' ? ['sync', '$0'] : definition.command,
      t(definition.description),
      (command) => buildCommand(command, definition),
      async (argv) => {
        exitCode = await runCommand(definition.request(argv), argv, io);
      },
    );
  }
  parser = parser
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error instanceof UsageError) throw error;
      if (error && !message) throw error;
      throw new UsageError(message ?? error?.message ?? t('cli:error.invalidArguments'), commandNamedIn(args));
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const lines = error.message.split('\n').map((line) => `sync-dbs: ${line}\n`);
    const hint = error.command === null || error.command === 'sync' ? t('cli:error.seeHelp') : t('cli:error.seeCommandHelp', { command: error.command });
    io.stderr.write(`${lines.join('')}${hint}\n`);
    return usageExit;
  }
  return exitCode;
}
