/**
 * The table of settings. The CLI builds its yargs options and --help from
 * CONFIG_FLAGS (or SETTINGS for the non-server ones); loadSyncConfig parses
 * and applies the defaults itself.
 *
 * For the CLI: declare every option with `type: spec.yargsType` and
 * `defaultDescription: spec.defaultText`, but never a yargs `default` (a
 * default flag value would hide the environment, .env and config file),
 * hide the specs marked `hidden` from --help (but still accept them), and
 * pass only the options the user gave, by their kebab-case names.
 */
import { CONFLICT_POLICIES, SYNC_MODES, type ServerName } from './sync-config.js';

export type SettingKind = 'number' | 'integer' | 'boolean' | 'string' | 'choice';

export interface SettingSpec {
  /** Kebab-case flag name without the dashes; also the JSON config key. */
  readonly flag: string;
  /** Environment (and .env) variable name. */
  readonly env: string;
  readonly description: string;
  /** The default for --help; null when there is none. */
  readonly defaultText: string | null;
  readonly kind: SettingKind;
  readonly choices?: readonly string[];
  /**
   * How yargs should read the flag: everything but booleans as a string, so
   * that loadSyncConfig parses it strictly and quotes what the user typed.
   */
  readonly yargsType: 'string' | 'boolean';
  /** Accepted but left out of --help (backup-3-* to backup-9-*). */
  readonly hidden?: boolean;
}

export const ENV_PREFIX = 'SYNC_DBS_';

/** `max-delete` -> `SYNC_DBS_MAX_DELETE`. */
export function envNameFor(flag: string): string {
  return ENV_PREFIX + flag.toUpperCase().replaceAll('-', '_');
}

function spec(flag: string, kind: SettingKind, defaultText: string | null, description: string, choices?: readonly string[]): SettingSpec {
  return {
    flag,
    env: envNameFor(flag),
    description,
    defaultText,
    kind,
    ...(choices ? { choices } : {}),
    yargsType: kind === 'boolean' ? 'boolean' : 'string',
  };
}

function hidden(setting: SettingSpec): SettingSpec {
  return { ...setting, hidden: true };
}

/** The settings that are not about one server, in --help order. */
export const GENERAL_SETTING_FLAGS = [
  'backup',
  'mode',
  'conflict',
  'concurrency',
  'timeout',
  'wake-timeout',
  'retries',
  'retry-delay',
  'retry-max-delay',
  'max-answer-mb',
  'delete',
  'max-delete',
  'new-users',
  'min-primary-ratio',
  'state-dir',
  'ca-file',
  'allow-insecure-http',
  'max-shrink',
  'expect-every',
  'every',
  'log-retention',
  'history-retention',
  'notify-webhook',
  'notify-format',
  'notify-on',
  'ping-url',
] as const;

export type GeneralSettingFlag = (typeof GENERAL_SETTING_FLAGS)[number];

export const NEW_USERS_CHOICES = ['create', 'skip'] as const;
export const NOTIFY_FORMAT_CHOICES = ['auto', 'discord', 'slack', 'generic'] as const;
export const NOTIFY_ON_CHOICES = ['failure', 'recovery', 'success'] as const;
export const DEFAULT_NOTIFY_ON_CHOICES: readonly (typeof NOTIFY_ON_CHOICES)[number][] = ['failure', 'recovery'];

const GENERAL_SPECS: Readonly<Record<GeneralSettingFlag, SettingSpec>> = {
  backup: spec('backup', 'string', 'every configured backup', 'comma-separated names of the backups this run takes (see --backup-name)'),
  mode: spec(
    'mode',
    'choice',
    'one-way',
    'one-way: bring each backup in step with the primary; two-way: reconcile the primary with one peer backup (choose it with --backup)',
    SYNC_MODES,
  ),
  conflict: spec(
    'conflict',
    'choice',
    'primary',
    'two-way only: whose change wins when a record changed on both sides (none: change neither and report it)',
    CONFLICT_POLICIES,
  ),
  concurrency: spec('concurrency', 'integer', '8', 'requests in flight at once per server (1 to 64)'),
  timeout: spec('timeout', 'number', '30', 'seconds before a single request is abandoned'),
  'wake-timeout': spec('wake-timeout', 'number', '120', 'seconds to wait for a sleeping server to wake up (0: do not wait)'),
  retries: spec('retries', 'integer', '6', 'attempts per request, the first one included (1 to 20; 1: no retry)'),
  'retry-delay': spec('retry-delay', 'number', '1', 'seconds to wait before the first retry'),
  'retry-max-delay': spec('retry-max-delay', 'number', '32', 'longest wait between retries, in seconds (at least --retry-delay)'),
  'max-answer-mb': spec('max-answer-mb', 'integer', '128', 'largest answer read from a server, in MB (1 to 4096); a larger one fails the call'),
  delete: spec('delete', 'boolean', 'false', 'delete from the backup what the primary no longer has'),
  'max-delete': spec('max-delete', 'integer', '0', 'upper limit on deletions in one run (used with --delete)'),
  'new-users': spec('new-users', 'choice', 'create', 'what to do with users the backup does not have', NEW_USERS_CHOICES),
  'min-primary-ratio': spec('min-primary-ratio', 'number', '0.5', 'smallest acceptable size of the primary relative to the backup (0 to 1)'),
  'state-dir': spec(
    'state-dir',
    'string',
    '%LOCALAPPDATA%\\sync-dbs on Windows, else $XDG_STATE_HOME/sync-dbs or ~/.local/state/sync-dbs',
    'folder where sync-dbs keeps its state between runs',
  ),
  'ca-file': spec('ca-file', 'string', null, 'PEM file with the CA certificates to trust for https'),
  'allow-insecure-http': spec(
    'allow-insecure-http',
    'boolean',
    'false',
    'allow plain http to hosts other than localhost (the password then travels unencrypted)',
  ),
  'max-shrink': spec(
    'max-shrink',
    'number',
    '0.1',
    'refuse to write when the primary lists this fraction fewer users or licenses than at the last good run (0 to 1; --force to override)',
  ),
  'expect-every': spec('expect-every', 'string', '1h', 'how often the job is scheduled (e.g. 30m, 1h, 1d); status calls it stale after twice that'),
  every: spec('every', 'string', null, 'keep running and sync on this cron schedule, e.g. "0 * * * *" (for hosts without a scheduler)'),
  'log-retention': spec('log-retention', 'integer', '14', 'days of daily log files kept in <state-dir>/logs'),
  'history-retention': spec('history-retention', 'integer', '90', 'days of run history and operation journal kept in the state database'),
  'notify-webhook': spec('notify-webhook', 'string', null, 'webhook URL (Discord, Slack or any JSON receiver) told about failures and recoveries'),
  'notify-format': spec('notify-format', 'choice', 'auto', 'webhook payload format (auto: from the URL)', NOTIFY_FORMAT_CHOICES),
  'notify-on': spec('notify-on', 'string', 'failure,recovery', 'comma-separated events to post: failure, recovery, success'),
  'ping-url': spec('ping-url', 'string', null, 'dead-man\'s-switch URL: <url>/start at start, <url> on success, <url>/fail on failure'),
};

/** The non-server settings with their descriptions and defaults. */
export const SETTINGS: readonly SettingSpec[] = GENERAL_SETTING_FLAGS.map((flag) => GENERAL_SPECS[flag]);

/** The settings of the primary; a backup has the same and a name. */
export const SERVER_SETTING_SUFFIXES = ['url', 'user', 'password', 'password-file'] as const;
export const BACKUP_SETTING_SUFFIXES = [...SERVER_SETTING_SUFFIXES, 'name'] as const;
export type ServerSettingSuffix = (typeof BACKUP_SETTING_SUFFIXES)[number];
export type ServerSettingKey = `${ServerName}-${ServerSettingSuffix}`;

/** How many backups can be configured. */
export const MAX_BACKUPS = 9;

/**
 * The backup slots, by the prefix of their settings: `backup` (backup 1),
 * then `backup-2` to `backup-9`. The prefix is also the backup's default name.
 */
export const BACKUP_SLOTS: readonly string[] = Array.from({ length: MAX_BACKUPS }, (_, index) => (index === 0 ? 'backup' : `backup-${index + 1}`));

/** `serverKey('backup-2', 'url')` -> `backup-2-url`; `server` is `primary` or a backup slot. */
export function serverKey(server: ServerName, suffix: ServerSettingSuffix): ServerSettingKey {
  return `${server}-${suffix}`;
}

function serverSpecs(server: ServerName): SettingSpec[] {
  return [
    spec(`${server}-url`, 'string', null, `URL of the ${server} license server (https; plain http only to localhost unless --allow-insecure-http)`),
    spec(`${server}-user`, 'string', null, `user name on the ${server} server`),
    spec(
      `${server}-password-file`,
      'string',
      null,
      `file holding the ${server} server's password on one line (or set ${envNameFor(`${server}-password`)}; asked for on a terminal otherwise)`,
    ),
  ];
}

function backupSpecs(slot: string, index: number): SettingSpec[] {
  const [url, user, passwordFile] = serverSpecs(slot) as [SettingSpec, SettingSpec, SettingSpec];
  const name = spec(
    `${slot}-name`,
    'string',
    slot,
    `name of the ${slot} server in reports and for --backup (letters, digits, ".", "_", "-"; at most 32)`,
  );
  if (index === 0) return [url, user, passwordFile, name];
  if (index === 1) {
    const more = `more backups: backup-3-* up to backup-${MAX_BACKUPS}-* (url, user, password-file, name)`;
    return [{ ...url, description: `URL of a second backup license server (as --backup-url); ${more}` }, user, passwordFile, name];
  }
  return [url, user, passwordFile, name].map(hidden);
}

/**
 * The per-server flags: primary-*, backup-* and backup-2-* to backup-9-*
 * (backup-3 onwards hidden from --help). Passwords themselves are never flags.
 */
export const SERVER_FLAGS: readonly SettingSpec[] = [...serverSpecs('primary'), ...BACKUP_SLOTS.flatMap(backupSpecs)];

/** The flags that name where the other settings come from. */
export const SOURCE_FLAGS: readonly SettingSpec[] = [
  spec('config', 'string', null, 'JSON config file; its keys are the flag names, e.g. {"primary-url": "https://..."}'),
  spec('env-file', 'string', '.env in the working directory, if present', '.env file with SYNC_DBS_* variables (must exist when given)'),
];

/** Every flag the configuration layer reads, for the CLI to declare. */
export const CONFIG_FLAGS: readonly SettingSpec[] = [...SOURCE_FLAGS, ...SERVER_FLAGS, ...SETTINGS];

/** Settings that may come from the environment, a .env file or a JSON config file. */
export type SettingKey = GeneralSettingFlag | ServerSettingKey;

export const SETTING_KEYS: readonly SettingKey[] = [
  ...SERVER_SETTING_SUFFIXES.map((suffix) => serverKey('primary', suffix)),
  ...BACKUP_SLOTS.flatMap((slot) => BACKUP_SETTING_SUFFIXES.map((suffix) => serverKey(slot, suffix))),
  ...GENERAL_SETTING_FLAGS,
];

/** Passwords are accepted from every layer but the command line. */
export const PASSWORD_KEYS: readonly SettingKey[] = ['primary', ...BACKUP_SLOTS].map((server) => serverKey(server, 'password'));

/** The JSON config key holding the backups as a list (instead of backup-* keys), and the keys of its entries. */
export const BACKUPS_LIST_KEY = 'backups';
export const BACKUP_ENTRY_KEYS: readonly ServerSettingSuffix[] = ['name', 'url', 'user', 'password', 'password-file'];

/** Environment names that are not settings but are still ours. */
export const CONFIG_ENV = envNameFor('config');
export const ENV_FILE_ENV = envNameFor('env-file');
