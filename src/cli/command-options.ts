import { CONFIG_FLAGS, PASSWORD_KEYS, SERVER_FLAGS, SOURCE_FLAGS, type GeneralSettingFlag } from '../config/settings.js';
import { OUTPUT_OPTIONS } from './output-options.js';

/** The subcommands, in --help order; `sync` is also the default. */
export const CLI_COMMANDS = ['sync', 'plan', 'health', 'status', 'history', 'report', 'serve'] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];

/**
 * What a setting is about, hence which commands read it: `sources` says where
 * the settings are (every command); `servers` reaches the license servers
 * (health, plan, sync); `planning` shapes what a run would write (plan,
 * sync); `state` is the state directory; `staleness` judges the job's
 * schedule (status, report, and sync for its notifications); `recording` is
 * only about runs that write and record (sync); `serving` is the watchdog and
 * the dashboard of `serve` alone. `serve` runs recorded syncs, so it reads
 * what `sync` reads too.
 */
type Scope = 'sources' | 'servers' | 'planning' | 'state' | 'staleness' | 'recording' | 'serving';

const COMMANDS_OF_SCOPE: Readonly<Record<Scope, readonly CliCommand[]>> = {
  sources: CLI_COMMANDS,
  servers: ['sync', 'plan', 'health', 'serve'],
  planning: ['sync', 'plan', 'serve'],
  state: ['sync', 'plan', 'status', 'history', 'report', 'serve'],
  staleness: ['sync', 'status', 'report', 'serve'],
  recording: ['sync', 'serve'],
  serving: ['serve'],
};

/**
 * Who reads each general setting (loadLocalSettings for status, history and
 * report; loadSyncConfig and the run for the others). A new setting is a type
 * error here until it is placed.
 */
const SCOPE_OF_SETTING: Readonly<Record<GeneralSettingFlag, Scope>> = {
  backup: 'servers',
  mode: 'planning',
  conflict: 'planning',
  concurrency: 'servers',
  'max-concurrency': 'servers',
  timeout: 'servers',
  'wake-timeout': 'servers',
  retries: 'servers',
  'retry-delay': 'servers',
  'retry-max-delay': 'servers',
  'max-answer-mb': 'servers',
  delete: 'planning',
  'max-delete': 'planning',
  'new-users': 'planning',
  'min-primary-ratio': 'planning',
  'state-dir': 'state',
  'ca-file': 'servers',
  'allow-insecure-http': 'servers',
  'max-shrink': 'planning',
  'expect-every': 'staleness',
  every: 'recording',
  'log-retention': 'recording',
  'history-retention': 'recording',
  lang: 'sources',
  'notify-webhook': 'recording',
  'notify-format': 'recording',
  'notify-on': 'recording',
  'ping-url': 'recording',
  'health-interval': 'serving',
  'health-timeout': 'serving',
  'down-after': 'serving',
  'up-after': 'serving',
  host: 'serving',
  port: 'serving',
  'dashboard-token': 'serving',
};

/** The options only the CLI reads (not settings), by command. */
export const COMMAND_OWN_OPTIONS: Readonly<Record<CliCommand, readonly string[]>> = {
  sync: ['dry-run', 'force', 'resync', 'run-at-start'],
  plan: ['force', 'resync', 'detailed-exitcode'],
  health: [],
  status: [],
  history: ['limit'],
  report: ['html'],
  serve: ['run-at-start'],
};

/** Output options that some command has nothing to print with; the others apply to every command. */
const OUTPUT_OPTION_EXCEPTIONS: Readonly<Partial<Record<keyof typeof OUTPUT_OPTIONS, readonly CliCommand[]>>> = {
  // report writes an HTML file and says where; serve shows its state on the dashboard (GET /api/status).
  json: ['sync', 'plan', 'health', 'status', 'history'],
  // Drift examples and write or wake-up progress exist only where servers are read.
  verbose: ['sync', 'plan', 'serve'],
  'no-progress': ['sync', 'plan', 'health', 'serve'],
  progress: ['sync', 'plan', 'health', 'serve'],
};

function scopeOfFlag(flag: string): Scope {
  // A password flag is refused by every command, with the reason (it would show in process lists).
  if (SOURCE_FLAGS.some((spec) => spec.flag === flag) || PASSWORD_KEYS.includes(flag as never)) return 'sources';
  if (SERVER_FLAGS.some((spec) => spec.flag === flag)) return 'servers';
  const scope = (SCOPE_OF_SETTING as Record<string, Scope | undefined>)[flag];
  if (scope === undefined) throw new Error(`--${flag}: no scope declared in command-options.ts`);
  return scope;
}

/** Does `command` read the configuration flag (or password name) `flag`? */
export function settingAppliesTo(flag: string, command: CliCommand): boolean {
  return COMMANDS_OF_SCOPE[scopeOfFlag(flag)].includes(command);
}

export function outputOptionAppliesTo(name: keyof typeof OUTPUT_OPTIONS, command: CliCommand): boolean {
  return OUTPUT_OPTION_EXCEPTIONS[name]?.includes(command) ?? true;
}

/** Every option name `command` accepts, without the dashes (help and version aside). */
export function optionsOf(command: CliCommand): string[] {
  return [
    ...CONFIG_FLAGS.map((spec) => spec.flag).filter((flag) => settingAppliesTo(flag, command)),
    ...PASSWORD_KEYS.filter((key) => settingAppliesTo(key, command)),
    ...COMMAND_OWN_OPTIONS[command],
    ...(Object.keys(OUTPUT_OPTIONS) as (keyof typeof OUTPUT_OPTIONS)[]).filter((name) => outputOptionAppliesTo(name, command)),
  ];
}

/** The commands that accept the option `name`. */
export function commandsWithOption(name: string): CliCommand[] {
  return CLI_COMMANDS.filter((command) => optionsOf(command).includes(name));
}
