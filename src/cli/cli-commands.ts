import type { Argv, Options } from 'yargs';
import { CONFIG_FLAGS, PASSWORD_KEYS } from '../config/settings.js';
import { t, type MessageKey } from '../i18n/i18n.js';
import { checkArguments, UsageError } from './argument-check.js';
import { outputOptionAppliesTo, type CliCommand } from './command-options.js';
import { configOptions } from './config-options.js';
import { OUTPUT_OPTIONS } from './output-options.js';
import type { CommandRequest } from './run-command.js';

type Argvs = Record<string, unknown>;

/** A subcommand as yargs declares it: its options, examples and the request it makes. */
export interface CliCommandDefinition {
  readonly command: CliCommand;
  readonly description: MessageKey;
  /** The options only the CLI reads, besides the settings and the output options. */
  readonly ownOptions: () => Record<string, Options>;
  /** [command line, what it does] */
  readonly examples: readonly (readonly [string, MessageKey])[];
  readonly request: (argv: Argvs) => CommandRequest;
}

const forceOption = (): Options => ({ type: 'boolean', description: t('cli:option.force') });
const resyncOption = (): Options => ({ type: 'boolean', description: t('cli:option.resync') });

export const CLI_COMMAND_DEFINITIONS: readonly CliCommandDefinition[] = [
  {
    command: 'sync',
    description: 'cli:command.sync',
    ownOptions: () => ({
      'dry-run': { type: 'boolean', description: t('cli:option.dry-run') },
      force: forceOption(),
      resync: resyncOption(),
      'run-at-start': { type: 'boolean', default: true, description: t('cli:option.run-at-start') },
    }),
    examples: [
      ['$0 sync', 'cli:example.sync.once'],
      ['$0 sync --every "0 * * * *"', 'cli:example.sync.every'],
      ['$0 sync --backup render --json', 'cli:example.sync.json'],
    ],
    request: (argv) =>
      argv['dry-run'] === true
        ? { command: 'plan', force: argv.force === true, resync: argv.resync === true, detailedExitcode: false }
        : { command: 'sync', force: argv.force === true, resync: argv.resync === true, runAtStart: argv['run-at-start'] !== false },
  },
  {
    command: 'plan',
    description: 'cli:command.plan',
    ownOptions: () => ({
      force: forceOption(),
      resync: resyncOption(),
      'detailed-exitcode': { type: 'boolean', description: t('cli:option.detailed-exitcode') },
    }),
    examples: [
      ['$0 plan', 'cli:example.plan.show'],
      ['$0 plan --detailed-exitcode --quiet', 'cli:example.plan.detailed'],
    ],
    request: (argv) => ({ command: 'plan', force: argv.force === true, resync: argv.resync === true, detailedExitcode: argv['detailed-exitcode'] === true }),
  },
  {
    command: 'health',
    description: 'cli:command.health',
    ownOptions: () => ({}),
    examples: [
      ['$0 health', 'cli:example.health.all'],
      ['$0 health --wake-timeout 0 --json', 'cli:example.health.wait'],
    ],
    request: () => ({ command: 'health' }),
  },
  {
    command: 'status',
    description: 'cli:command.status',
    ownOptions: () => ({}),
    examples: [
      ['$0 status', 'cli:example.status.check'],
      ['$0 status --state-dir /var/lib/sync-dbs --json', 'cli:example.status.json'],
    ],
    request: () => ({ command: 'status' }),
  },
  {
    command: 'history',
    description: 'cli:command.history',
    ownOptions: () => ({ limit: { type: 'number', description: t('cli:option.limit'), default: 20 } }),
    examples: [
      ['$0 history --limit 5', 'cli:example.history.recent'],
      ['$0 history --json', 'cli:example.history.json'],
    ],
    request: (argv) => ({ command: 'history', limit: argv.limit as number }),
  },
  {
    command: 'report',
    description: 'cli:command.report',
    ownOptions: () => ({ html: { type: 'string', description: t('cli:option.html'), demandOption: true, requiresArg: true } }),
    examples: [
      ['$0 report --html report.html', 'cli:example.report.html'],
      ['$0 report --html report.html --config sync.json', 'cli:example.report.settings'],
    ],
    request: (argv) => ({ command: 'report', htmlFile: argv.html as string }),
  },
  {
    command: 'serve',
    description: 'cli:command.serve',
    ownOptions: () => ({
      'run-at-start': { type: 'boolean', default: true, description: t('cli:option.serve-run-at-start') },
    }),
    examples: [
      ['$0 serve', 'cli:example.serve.default'],
      ['$0 serve --port 0 --health-interval 30 --every "*/30 * * * *"', 'cli:example.serve.tuned'],
      ['$0 serve --host 0.0.0.0 --env-file serve.env', 'cli:example.serve.lan'],
    ],
    request: (argv) => ({ command: 'serve', runAtStart: argv['run-at-start'] !== false }),
  },
];

/** The output options `command` prints with, their descriptions in the current language. */
function outputOptionsFor(command: CliCommand): Record<string, Options> {
  const options: Record<string, Options> = {};
  for (const [name, option] of Object.entries(OUTPUT_OPTIONS) as [keyof typeof OUTPUT_OPTIONS, Options][]) {
    if (!outputOptionAppliesTo(name, command)) continue;
    const translated = OUTPUT_OPTION_TEXTS[name];
    options[name] = translated === undefined ? option : { ...option, description: t(translated) };
  }
  return options;
}

/** The translations of the output options' descriptions (one missing keeps its English text: test/cli checks there is none). */
export const OUTPUT_OPTION_TEXTS: Readonly<Partial<Record<keyof typeof OUTPUT_OPTIONS, MessageKey>>> = {
  json: 'cli:option.json',
  'log-level': 'cli:option.log-level',
  'log-file': 'cli:option.log-file',
  quiet: 'cli:option.quiet',
  verbose: 'cli:option.verbose',
  'no-progress': 'progress:option.noProgress',
};

/** Does the option `name` (of any command) take the next argument as its value? */
export function takesValue(name: string): boolean {
  const typeOf = (option: Options | undefined) => option?.type;
  const config = CONFIG_FLAGS.find((spec) => spec.flag === name);
  if (config !== undefined) return config.yargsType !== 'boolean';
  if ((PASSWORD_KEYS as readonly string[]).includes(name)) return true;
  if (name in OUTPUT_OPTIONS) return typeOf(OUTPUT_OPTIONS[name as keyof typeof OUTPUT_OPTIONS] as Options) !== 'boolean';
  const own = CLI_COMMAND_DEFINITIONS.map((definition) => definition.ownOptions()[name]).find((option) => option !== undefined);
  return own !== undefined && typeOf(own) !== 'boolean';
}

/** Where settings come from and the exit codes, under every --help. */
export function epilogue(): string {
  return `${t('cli:epilogue.sources')}\n\n${t('cli:epilogue.exitCodes')}`;
}

/** Declares `definition`'s options, examples and the check of what the user gave, on its yargs command. */
export function buildCommand(parser: Argv, definition: CliCommandDefinition): Argv {
  const output = outputOptionsFor(definition.command);
  let built = parser.options(configOptions(definition.command)).options(definition.ownOptions()).options(output).group(Object.keys(output), t('cli:group.output'));
  for (const [line, text] of definition.examples) built = built.example(line, t(text));
  return built
    .epilogue(epilogue())
    .middleware((argv) => {
      // --help prints the help whatever else was given.
      if (argv.help === true) return;
      checkArguments(argv, definition.command);
    }, true)
    .check((argv) => {
      if (argv.limit !== undefined && (!Number.isInteger(argv.limit) || (argv.limit as number) < 1)) throw new UsageError(t('cli:error.limit'), definition.command);
      return true;
    });
}
