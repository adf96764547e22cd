import yargs, { type Argv, type Options } from 'yargs';
import { EXIT_CODES } from '../outcome/exit-codes.js';
import type { CliIo } from './cli-io.js';
import { configOptions } from './config-options.js';
import { OUTPUT_OPTIONS } from './output-options.js';
import { packageVersion } from './package-version.js';
import { runCommand, type CommandRequest } from './run-command.js';

const EPILOGUE = `Configuration comes from flags, then the environment (SYNC_DBS_PRIMARY_URL, SYNC_DBS_PRIMARY_USER,
SYNC_DBS_PRIMARY_PASSWORD or SYNC_DBS_PRIMARY_PASSWORD_FILE, the same with BACKUP, and SYNC_DBS_<FLAG> for
the rest), then a .env file, then a JSON config file. Passwords are never read from flags.

Exit codes: 0 in sync (status: healthy), 1 some writes failed or verification found differences, 2 usage or
configuration error, 3 a server unreachable or login refused, 4 a guard refused to write, 5 another run holds
the lock, 6 interrupted by SIGINT/SIGTERM, 7 (status) no success within twice --expect-every.`;

class UsageError extends Error {}

function withConfigOptions(parser: Argv): Argv {
  return parser.options(configOptions()).options(OUTPUT_OPTIONS).group(Object.keys(OUTPUT_OPTIONS), 'Output:') as unknown as Argv;
}

const RESYNC_OPTION: Options = {
  type: 'boolean',
  description:
    'two-way: merge without the recorded base (lost, or recorded with another primary): the primary\'s version wins everywhere and a license only a backup lists is blocked there (deleted with --delete); writes only what differs',
};

const FORCE_OPTION: Options = {
  type: 'boolean',
  description:
    'go on although the primary lists far less than a backup or than at the last good run (see --max-shrink); with --mode one-way, also overwrite the work done on a backup since the last sync (its sales are then blocked there and lost)',
};

/** Parses `args` and runs the command; resolves to the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT_CODES.inSync;
  const run = (request: (argv: Record<string, unknown>) => CommandRequest) => async (argv: Record<string, unknown>) => {
    exitCode = await runCommand(request(argv), argv, io);
  };
  const force = (argv: Record<string, unknown>) => argv.force === true;
  const resync = (argv: Record<string, unknown>) => argv.resync === true;
  const parser = withConfigOptions(yargs([...args]))
    .scriptName('sync-dbs')
    .usage(
      'Usage: $0 [sync|plan|health|status|history|report] [options]\n\nKeeps backup license servers in step with the primary one. Each run first merges into the primary the work done on every backup since the last run (sales, blocks, edits, deletions made while the primary was down), then brings every backup in step with it.',
    )
    .command(
      ['sync', '$0'],
      'merge the backups\' work into the primary, bring every backup in step, verify, record and report (default)',
      (command) =>
        command.option('dry-run', { type: 'boolean', description: 'plan only, like the plan command' }).option('force', FORCE_OPTION).option('resync', RESYNC_OPTION),
      run((argv) => ({ command: argv['dry-run'] === true ? 'plan' : 'sync', force: force(argv), resync: resync(argv) })),
    )
    .command(
      'plan',
      'compute and print the plan; write nothing',
      (command) => command.option('force', FORCE_OPTION).option('resync', RESYNC_OPTION),
      run((argv) => ({ command: 'plan', force: force(argv), resync: resync(argv) })),
    )
    .command('health', 'check each server: reachable, latency, login, role, record counts; write nothing', {}, run(() => ({ command: 'health' })))
    .command(
      'status',
      'is the job healthy? last run, last success, consecutive failures, staleness (exit 0 when healthy)',
      {},
      run(() => ({ command: 'status' })),
    )
    .command(
      'history',
      'the recorded runs, newest first',
      (command) => command.option('limit', { type: 'number', description: 'how many runs to show', default: 20 }),
      run((argv) => ({ command: 'history', limit: argv.limit as number })),
    )
    .command(
      'report',
      'write a self-contained HTML page: run history chart, status and the last run\'s report',
      (command) => command.option('html', { type: 'string', description: 'the HTML file to write', demandOption: true, requiresArg: true }),
      run((argv) => ({ command: 'report', htmlFile: argv.html as string })),
    )
    .check((argv) => {
      if (argv.limit !== undefined && (!Number.isInteger(argv.limit) || (argv.limit as number) < 1)) throw new UsageError('--limit must be a whole number of at least 1');
      return true;
    })
    .epilogue(EPILOGUE)
    .strict()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((message, error) => {
      if (error && !message && !(error instanceof UsageError)) throw error;
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
