import { PASSWORD_KEYS } from '../config/settings.js';
import { closestName } from '../config/suggest.js';
import { currentLanguage, t } from '../i18n/i18n.js';
import { CLI_COMMANDS, commandsWithOption, optionsOf, type CliCommand } from './command-options.js';

/** A mistake in the command line: exit 2 (1 under plan --detailed-exitcode), with a pointer to the right --help. */
export class UsageError extends Error {
  /** The command whose --help to point to; null for the general one. */
  constructor(
    message: string,
    readonly command: CliCommand | null = null,
  ) {
    super(message);
  }
}

/** Names yargs puts in argv besides the options. */
const ALWAYS_KNOWN = ['_', '$0', 'help', 'h', 'version'];

const camelCase = (name: string) => name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const kebabCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** `a, b and c` the current language's way. */
function listOf(names: readonly string[]): string {
  return new Intl.ListFormat(currentLanguage(), { type: 'conjunction' }).format(names);
}

/** The options the user gave that `command` does not read, as they appear in argv (yargs' camelCase copies left out). */
function unknownOptionsIn(argv: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  return Object.keys(argv).filter((key) => {
    if (known.has(key)) return false;
    // yargs adds `dryRunn` beside `dry-runn`: report the name once, as typed.
    return !(/[A-Z]/.test(key) && kebabCase(key) !== key && kebabCase(key) in argv);
  });
}

/** `--name`, or `-k` for a one-letter one. */
const dashed = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);

function optionMessage(name: string, command: CliCommand, own: readonly string[]): string {
  const option = dashed(name);
  const elsewhere = commandsWithOption(name);
  if (elsewhere.length > 0) return t('cli:error.optionNotForCommand', { option, command, commands: listOf(elsewhere) });
  const suggestion = closestName(name, own);
  if (suggestion !== null) return t('cli:error.unknownOptionSuggest', { option, suggestion: dashed(suggestion) });
  const other = closestName(name, CLI_COMMANDS.flatMap((candidate) => publicOptionsOf(candidate)));
  if (other !== null) return t('cli:error.unknownOptionElsewhere', { option, suggestion: dashed(other), commands: listOf(commandsWithOption(other)) });
  return t('cli:error.unknownOption', { option });
}

/** What a "did you mean" may suggest: the command's options but the password names (never accepted as flags). */
function publicOptionsOf(command: CliCommand): string[] {
  return optionsOf(command).filter((name) => !PASSWORD_KEYS.includes(name as never));
}

/** The positional arguments after the command's own name. */
function extraArguments(argv: Record<string, unknown>, command: CliCommand): string[] {
  const positionals = (argv._ as unknown[] | undefined ?? []).map(String);
  return positionals[0] === command ? positionals.slice(1) : positionals;
}

/**
 * Refuses what `command` would silently ignore: a flag it does not read (or
 * that no command reads: with a "did you mean"), a mistyped command, a stray
 * argument. Only flags: settings from the environment, .env or a config
 * file serve every command and are not checked here.
 */
export function checkArguments(argv: Record<string, unknown>, command: CliCommand): void {
  const own = optionsOf(command);
  const known = new Set([...ALWAYS_KNOWN, ...own, ...own.map(camelCase)]);
  const problems = unknownOptionsIn(argv, known).map((option) => optionMessage(option, command, publicOptionsOf(command)));
  const [extra] = extraArguments(argv, command);
  if (extra !== undefined) {
    // Only the default command can be reached without its name: a stray word there is a mistyped command.
    const typedCommand = (argv._ as unknown[] | undefined ?? [])[0] === command;
    if (command === 'sync' && !typedCommand) {
      const suggestion = closestName(extra, CLI_COMMANDS);
      problems.unshift(
        suggestion === null
          ? t('cli:error.unknownCommand', { command: extra, commands: listOf(CLI_COMMANDS) })
          : t('cli:error.unknownCommandSuggest', { command: extra, suggestion }),
      );
      throw new UsageError(problems.join('\n'), null);
    }
    problems.push(t('cli:error.unexpectedArgument', { argument: extra, command }));
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'), command);
}
