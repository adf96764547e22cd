import { readFileSync } from 'node:fs';
import yargs, { type Argv, type Options } from 'yargs';
import { CONFIG_FLAGS, PASSWORD_KEYS } from '../config/settings.js';
import { EXIT_CODES } from '../run/exit-codes.js';
import type { CliIo } from './cli-io.js';
import { OUTPUT_OPTIONS } from './output-options.js';
import { runCommand, type CommandName } from './run-command.js';

const EPILOGUE = `Configuration comes from flags, then the environment (SYNC_DBS_PRIMARY_URL, SYNC_DBS_PRIMARY_USER,
SYNC_DBS_PRIMARY_PASSWORD or SYNC_DBS_PRIMARY_PASSWORD_FILE, the same with BACKUP, and SYNC_DBS_<FLAG> for
the rest), then a .env file, then a JSON config file. Passwords are never read from flags.

Exit codes: 0 in sync, 1 some writes failed or verification found differences, 2 usage or configuration
error, 3 a server unreachable or login refused, 4 a guard refused to write.`;

class UsageError extends Error {}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

function withConfigOptions(parser: Argv): Argv {
  const options: Record<string, Options> = {};
  for (const spec of CONFIG_FLAGS) {
    options[spec.flag] = {
      type: spec.yargsType,
      description: spec.description,
      ...(spec.choices ? { choices: spec.choices } : {}),
      ...(spec.defaultText === null ? {} : { defaultDescription: spec.defaultText }),
      group: spec.flag.startsWith('primary-') || spec.flag.startsWith('backup-') ? 'Servers:' : 'Settings:',
    };
  }
  for (const key of PASSWORD_KEYS) options[key] = { type: 'string', hidden: true };
  return parser.options(options).options(OUTPUT_OPTIONS).group(Object.keys(OUTPUT_OPTIONS), 'Output:') as unknown as Argv;
}

/** Parses `args` and runs the command; resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT_CODES.inSync;
  const run = (command: CommandName) => async (argv: Record<string, unknown>) => {
    exitCode = await runCommand(command, argv, io);
  };
  const parser = withConfigOptions(yargs([...args]))
    .scriptName('sync-dbs')
    .usage('Usage: $0 [sync|plan|health] [options]\n\nKeeps a backup license server in step with the primary one.')
    .command(
      ['sync', '$0'],
      'bring the backup in step with the primary, verify and report (default)',
      (command) => command.option('dry-run', { type: 'boolean', description: 'plan only, like the plan command' }),
      async (argv) => run(argv['dry-run'] === true ? 'plan' : 'sync')(argv),
    )
    .command('plan', 'compute and print the plan; write nothing', {}, run('plan'))
    .command('health', 'check each server: reachable, latency, login, role, record counts; write nothing', {}, run('health'))
    .epilogue(EPILOGUE)
    .strict()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error && !message) throw error;
      throw new UsageError(message ?? error?.message ?? 'invalid arguments');
    });
  try {
    await parser.parseAsync();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`sync-dbs: ${error.message}\nRun "sync-dbs --help" for the options.\n`);
    return EXIT_CODES.usage;
  }
  return exitCode;
}
