/**
 * Every setting, declared once: its flag (also its JSON key and, as
 * SYNC_DBS_..., its environment name), kind, default, bounds or choices,
 * README row and the SyncConfig field it fills; its --help text is
 * `help.<flag>` in the settings catalogs (src/i18n/locales/<language>/settings.json,
 * `{min}` and `{max}` filled in from the bounds). Everything else
 * is derived from here: the CLI's yargs options and --help (CONFIG_FLAGS),
 * which names the environment, .env and config file accept (SETTING_KEYS),
 * the parsing, validation and defaults of loadSyncConfig, the SyncConfig
 * type, and the README check.
 *
 * A new setting: declare it in GENERAL_SETTINGS with a `field`, add its
 * `help.<flag>` to both settings catalogs (tsc insists), use
 * `config.<field>` where it matters, and add its README row (the test shows it).
 *
 * For the CLI: declare every option with `type: spec.yargsType` and
 * `defaultDescription: spec.defaultText`, but never a yargs `default` (a
 * default flag value would hide the environment, .env and config file),
 * hide the specs marked `hidden` from --help (but still accept them), and
 * pass only the options the user gave, by their kebab-case names.
 */
import {
  absolutePath,
  boolean,
  choice,
  choiceList,
  cronSchedule,
  hookUrl,
  integer,
  interval,
  nameList,
  ratio,
  seconds,
  secret,
  text,
  setting,
  withBounds,
  type DefaultContext,
  type SettingDeclaration,
  type SettingKind,
  type ValuesOf,
} from './setting-kinds.js';
import { LANGUAGES } from '../i18n/catalogs.js';
import { t } from '../i18n/i18n.js';
import { defaultStateDir } from './state-dir.js';

export type { SettingKind } from './setting-kinds.js';

/** `two-way`: the round trip (every backup's work gathered into the primary, then spread); `one-way`: a strict mirror of the primary. */
export const SYNC_MODES = ['one-way', 'two-way'] as const;
/** Whose version wins when a two-way run finds a record changed differently on both sides (a block always wins). */
export const CONFLICT_POLICIES = ['primary', 'peer', 'none'] as const;
export const NEW_USERS_CHOICES = ['create', 'skip'] as const;
export const NOTIFY_FORMAT_CHOICES = ['auto', 'discord', 'slack', 'generic'] as const;
export const NOTIFY_ON_CHOICES = ['failure', 'recovery', 'success'] as const;

/** The settings that are not about one server, in --help (and README) order. */
export const GENERAL_SETTINGS = [
  setting({
    flag: 'backup',
    value: nameList(),
    default: null,
    defaultText: () => t('settings:default.backup'),
    readme: { arg: 'NAMES', default: 'all configured', meaning: 'only these backups (comma-separated names)' },
    scope: 'servers',
    group: 'Servers',
  }),
  setting({
    flag: 'mode',
    value: choice(SYNC_MODES),
    default: 'two-way',
    readme: {
      arg: 'M',
      meaning:
        '`two-way` (the round trip): every backup\'s work since its base merged into the primary, then every backup in step with it; `one-way`: a strict mirror that refuses while a backup has work of its own ([docs/two-way.md](docs/two-way.md))',
    },
    scope: 'servers',
  }),
  setting({
    flag: 'conflict',
    value: choice(CONFLICT_POLICIES),
    default: 'primary',
    readme: {
      arg: 'P',
      meaning:
        'two-way: whose version wins a field changed differently on two servers: `primary` (then the backups in configured order), `peer`, or `none` (leave it and report); a block always wins',
    },
    scope: 'servers',
  }),
  setting({
    flag: 'concurrency',
    field: 'concurrency',
    value: integer(1, 64),
    default: null,
    defaultText: () => t('settings:default.concurrency'),
    readme: {
      arg: 'N',
      default: 'adaptive',
      meaning:
        'pins the requests in flight at once per server to N ({min}-{max}); without it each server\'s limit adapts during the run: it starts at 4, grows while latency stays near the best observed, shrinks when latency rises, on timeouts, 5xx and 429 (reads and writes each have their own)',
    },
  }),
  setting({
    flag: 'max-concurrency',
    field: 'maxConcurrency',
    value: integer(1, 256),
    default: 64,
    readme: { arg: 'N', meaning: 'the cap of the adaptive limit ({min}-{max}); ignored with `--concurrency`' },
  }),
  setting({
    flag: 'timeout',
    field: 'timeoutMs',
    value: seconds({ allowZero: false }),
    default: 30,
    readme: { arg: 'S', meaning: 'seconds before one request is abandoned' },
  }),
  setting({
    flag: 'wake-timeout',
    field: 'wakeTimeoutMs',
    value: seconds({ allowZero: true }),
    default: 120,
    readme: { arg: 'S', meaning: 'seconds to wait for a sleeping server (`/health`)' },
  }),
  setting({
    flag: 'retries',
    field: 'retries',
    value: integer(1, 20),
    default: 6,
    readme: {
      arg: 'N',
      meaning:
        'attempts per request: network errors, 5xx and malformed answers are retried with exponential backoff and jitter, honouring `Retry-After`; a 429 uses up no attempt but pauses every request to that server until its `Retry-After` has passed (at most 10 × `--retry-max-delay`; a request gives up after 10 minutes of such pauses); a 401 gets one fresh login; other 4xx are not retried',
    },
  }),
  setting({
    flag: 'retry-delay',
    field: 'retryDelayMs',
    value: seconds({ allowZero: false }),
    default: 1,
    readme: { arg: 'S', meaning: 'first backoff, doubling each attempt' },
  }),
  setting({
    flag: 'retry-max-delay',
    field: 'retryMaxDelayMs',
    value: seconds({ allowZero: false }),
    default: 32,
    atLeast: 'retry-delay',
    readme: { arg: 'S', meaning: 'longest backoff' },
  }),
  setting({
    flag: 'max-answer-mb',
    field: 'maxAnswerMb',
    value: integer(1, 4096),
    default: 128,
    readme: {
      arg: 'N',
      meaning:
        'largest answer read from a server, in MB ({min}-{max}); a larger one is abandoned unread and fails the call without a retry (a primary listing that large stops the run, exit 4, nothing written)',
    },
  }),
  setting({
    flag: 'delete',
    field: 'delete',
    value: boolean(),
    default: false,
    readme: { meaning: 'delete backup-only licenses; two-way: propagate deletions made since the base' },
  }),
  setting({
    flag: 'max-delete',
    field: 'maxDelete',
    value: integer(0),
    default: 0,
    readme: { arg: 'N', meaning: 'refuse the run if it would delete more than N licenses (two-way: restore them instead)' },
  }),
  setting({
    flag: 'new-users',
    field: 'newUsers',
    value: choice(NEW_USERS_CHOICES),
    default: 'create',
    readme: { arg: 'create\\|skip', default: 'create', meaning: '`skip` leaves missing users uncreated and reports them' },
  }),
  setting({
    flag: 'min-primary-ratio',
    field: 'minPrimaryRatio',
    value: ratio(),
    default: 0.5,
    readme: { arg: 'R', meaning: 'refuse the run when the primary lists fewer than R × the backup\'s users or licenses' },
  }),
  setting({
    flag: 'state-dir',
    field: 'stateDir',
    value: absolutePath(),
    default: {
      compute: (context: DefaultContext) => defaultStateDir(context.platform, context.env, context.homedir),
      text: () => t('settings:default.state-dir'),
    },
    readme: {
      arg: 'DIR',
      default: '`%LOCALAPPDATA%\\sync-dbs` on Windows, else `$XDG_STATE_HOME/sync-dbs` or `~/.local/state/sync-dbs`',
      meaning: 'the state database, the lock, the daily logs and new users\' passwords',
    },
  }),
  setting({
    // Read by loadSyncConfig, which reads the file into SyncConfig.ca.
    flag: 'ca-file',
    value: absolutePath(),
    default: null,
    readme: { arg: 'FILE', meaning: 'PEM bundle of a private CA; certificates are always verified' },
  }),
  setting({
    flag: 'allow-insecure-http',
    field: 'allowInsecureHttp',
    value: boolean(),
    default: false,
    readme: { meaning: 'allow plain `http://` to hosts other than loopback' },
  }),
  setting({
    flag: 'max-shrink',
    field: 'maxShrink',
    value: ratio(),
    default: 0.1,
    readme: {
      arg: 'F',
      meaning:
        'refuse the run when the primary lists more than this fraction fewer users or licenses than at the last good run (`--force` overrides it once)',
    },
  }),
  setting({
    flag: 'expect-every',
    field: 'expectEveryMs',
    value: interval(),
    default: '1h',
    readme: { arg: 'T', meaning: 'how often the job is scheduled (`90s`, `30m`, `1h`, `1d`); `status` calls it stale after twice that' },
  }),
  setting({
    flag: 'every',
    field: 'every',
    value: cronSchedule(),
    default: null,
    readme: { arg: 'CRON', meaning: 'keep running and sync on this cron schedule (see below)' },
  }),
  setting({
    flag: 'log-retention',
    field: 'logRetentionDays',
    value: integer(1, 3650),
    default: 14,
    readme: { arg: 'D', meaning: 'days of daily log files kept in `<state-dir>/logs`' },
  }),
  setting({
    flag: 'history-retention',
    field: 'historyRetentionDays',
    value: integer(1, 3650),
    default: 90,
    readme: { arg: 'D', meaning: 'days of runs and operation journal kept in the state database' },
  }),
  setting({
    flag: 'lang',
    field: 'language',
    value: choice(LANGUAGES),
    default: null,
    defaultText: () => t('settings:default.lang'),
    readme: {
      arg: 'L',
      default: 'from the locale',
      meaning: '`en` or `pt-BR`: the language of the messages, reports and HTML page; without it `LC_ALL`, `LC_MESSAGES`, `LANG`, then the Windows user\'s locale decide (JSON keeps English keys and codes and UTC times)',
    },
  }),
  setting({
    flag: 'notify-webhook',
    section: 'notify',
    field: 'webhookUrl',
    value: hookUrl('allow-insecure-http'),
    default: null,
    readme: {
      arg: 'URL',
      meaning: 'post failures and recoveries to this webhook (Discord, Slack or any JSON receiver); a secret: prefer the environment',
    },
  }),
  setting({
    flag: 'notify-format',
    section: 'notify',
    field: 'format',
    value: choice(NOTIFY_FORMAT_CHOICES),
    default: 'auto',
    readme: { arg: 'F', meaning: '`discord`, `slack` or `generic`; `auto` tells Discord and Slack from the URL' },
  }),
  setting({
    flag: 'notify-on',
    section: 'notify',
    field: 'on',
    value: choiceList(NOTIFY_ON_CHOICES),
    default: 'failure,recovery',
    readme: { arg: 'LIST', meaning: 'events to post, comma-separated: `failure`, `recovery`, `success`' },
  }),
  setting({
    flag: 'ping-url',
    section: 'notify',
    field: 'pingUrl',
    value: hookUrl('allow-insecure-http'),
    default: null,
    readme: {
      arg: 'URL',
      meaning: 'dead-man\'s switch (healthchecks.io style): `<url>/start` at start, `<url>` on success, `<url>/fail` on failure',
    },
  }),
  setting({
    flag: 'health-interval',
    section: 'serve',
    field: 'healthIntervalMs',
    value: seconds({ allowZero: false, minSeconds: 1 }),
    default: 60,
    readme: { arg: 'S', meaning: '`serve`: seconds between two `/health` checks of each server (at least 1)' },
  }),
  setting({
    flag: 'health-timeout',
    section: 'serve',
    field: 'healthTimeoutMs',
    value: seconds({ allowZero: false }),
    default: 10,
    readme: { arg: 'S', meaning: '`serve`: seconds one `/health` check waits for its answer (no answer counts as asleep)' },
  }),
  setting({
    flag: 'down-after',
    section: 'serve',
    field: 'downAfter',
    value: integer(1, 100),
    default: 3,
    readme: { arg: 'N', meaning: '`serve`: failed checks in a row that declare a server down ({min}-{max})' },
  }),
  setting({
    flag: 'up-after',
    section: 'serve',
    field: 'upAfter',
    value: integer(1, 100),
    default: 3,
    readme: { arg: 'N', meaning: '`serve`: answered checks in a row that declare a server back ({min}-{max}); the primary back starts a sync at once' },
  }),
  setting({
    flag: 'host',
    section: 'serve',
    field: 'host',
    value: text(),
    default: '127.0.0.1',
    readme: { arg: 'ADDR', meaning: '`serve`: the address the dashboard listens on; any other than loopback needs `--dashboard-token`' },
  }),
  setting({
    flag: 'port',
    section: 'serve',
    field: 'port',
    value: integer(0, 65535),
    default: 8750,
    readme: { arg: 'N', meaning: '`serve`: the dashboard\'s port (`0` picks a free one; the URL is logged on start)' },
  }),
  setting({
    flag: 'dashboard-token',
    section: 'serve',
    field: 'dashboardToken',
    value: secret(),
    default: null,
    readme: {
      arg: 'TOKEN',
      meaning: '`serve`: the token every page, the event stream and the API of the dashboard require; needed off loopback; a secret: prefer the environment',
    },
  }),
] as const;

type GeneralDeclarations = (typeof GENERAL_SETTINGS)[number];
export type GeneralSettingFlag = GeneralDeclarations['flag'];

/** The values the declarations with a `field` give, as SyncConfig holds them (notify.* in `notify`). */
export type DeclaredValues = ValuesOf<GeneralDeclarations>;

/** The declaration of a setting by its flag. */
export function declarationOf<F extends GeneralSettingFlag>(flag: F): Extract<GeneralDeclarations, { readonly flag: F }> {
  const found = GENERAL_SETTINGS.find((declaration) => declaration.flag === flag);
  if (found === undefined) throw new Error(`no setting --${flag}`);
  return found as Extract<GeneralDeclarations, { readonly flag: F }>;
}

/** A declaration's default value, or null when it has none (raw defaults are parsed like a given value). */
export function defaultValueOf<T>(declaration: SettingDeclaration<T>, context: DefaultContext): T | null {
  const given = declaration.default;
  if (given === null) return null;
  if (typeof given === 'object') return given.compute(context);
  const parsed = declaration.value.parse(given, { baseDir: '/', platform: context.platform, earlier: () => undefined });
  if (!parsed.ok) throw new Error(`the default of --${declaration.flag} is not a valid value: ${parsed.problem}`);
  return parsed.value;
}

/** --help's default text: the default as the user would write it. */
export function defaultTextOf(declaration: SettingDeclaration<unknown>): string | null {
  const given = declaration.default;
  if (given === null) return declaration.defaultText?.() ?? null;
  if (typeof given === 'object') return given.text();
  return String(given);
}

/** The default of --notify-on, for whoever builds notify settings without a SyncConfig. */
export const DEFAULT_NOTIFY_ON_CHOICES: readonly (typeof NOTIFY_ON_CHOICES)[number][] =
  defaultValueOf(declarationOf('notify-on'), { platform: 'linux', env: {}, homedir: '/' }) ?? [];

// ---------------------------------------------------------------------------
// The per-server settings: one family, declared once, for the primary and each backup slot.

/** The settings of the primary; a backup has the same and a name. */
export const SERVER_SETTING_SUFFIXES = ['url', 'user', 'password', 'password-file'] as const;
export const BACKUP_SETTING_SUFFIXES = [...SERVER_SETTING_SUFFIXES, 'name'] as const;
export type ServerSettingSuffix = (typeof BACKUP_SETTING_SUFFIXES)[number];
/** `server` is the prefix of a server's settings: `primary` or a backup slot. */
export type ServerSettingKey = `${string}-${ServerSettingSuffix}`;

/** How many backups can be configured. */
export const MAX_BACKUPS = 9;

/**
 * The backup slots, by the prefix of their settings: `backup` (backup 1),
 * then `backup-2` to `backup-9`. The prefix is also the backup's default name.
 */
export const BACKUP_SLOTS: readonly string[] = Array.from({ length: MAX_BACKUPS }, (_, index) => (index === 0 ? 'backup' : `backup-${index + 1}`));

/** `serverKey('backup-2', 'url')` -> `backup-2-url`; `server` is `primary` or a backup slot. */
export function serverKey(server: string, suffix: ServerSettingSuffix): ServerSettingKey {
  return `${server}-${suffix}`;
}

export const ENV_PREFIX = 'SYNC_DBS_';

/** `max-delete` -> `SYNC_DBS_MAX_DELETE`. */
export function envNameFor(flag: string): string {
  return ENV_PREFIX + flag.toUpperCase().replaceAll('-', '_');
}

/** The per-server settings that are flags (the password is not: it would show in process lists), in --help order. */
const SERVER_FAMILY: readonly { readonly suffix: ServerSettingSuffix; readonly backupsOnly?: true }[] = [
  { suffix: 'url' },
  { suffix: 'user' },
  { suffix: 'password-file' },
  { suffix: 'name', backupsOnly: true },
];

/** How a server family's --help names the server: the primary, the backup, backup-3. */
function serverLabel(server: string): string {
  if (server === 'primary') return t('settings:server.primary');
  if (server === 'backup') return t('settings:server.backup');
  return server;
}

function serverHelp(server: string, suffix: ServerSettingSuffix): string {
  const values = { server: serverLabel(server) };
  switch (suffix) {
    case 'url':
      return t('settings:help.server-url', values);
    case 'user':
      return t('settings:help.server-user', values);
    case 'password-file':
      return t('settings:help.server-password-file', { ...values, env: envNameFor(serverKey(server, 'password')) });
    case 'name':
      return t('settings:help.server-name', values);
    case 'password':
      throw new Error('a password is never a flag');
  }
}

// ---------------------------------------------------------------------------
// Derived views.

/** A flag as the CLI declares it and --help shows it. */
export interface SettingSpec {
  /** Kebab-case flag name without the dashes; also the JSON config key. */
  readonly flag: string;
  /** Environment (and .env) variable name. */
  readonly env: string;
  /** The --help text, in the language of the moment (read when --help is built, not when this module loads). */
  readonly description: string;
  /** The default for --help, in the language of the moment; null when there is none. */
  readonly defaultText: string | null;
  readonly kind: SettingKind;
  readonly choices?: readonly string[];
  /**
   * How yargs should read the flag: everything but booleans as a string, so
   * that loadSyncConfig parses it strictly and quotes what the user typed.
   */
  readonly yargsType: 'string' | 'boolean';
  /** The --help group. */
  readonly group: 'Settings' | 'Servers';
  /** Accepted but left out of --help (backup-3-* to backup-9-*). */
  readonly hidden?: boolean;
}

interface SpecParts {
  readonly flag: string;
  readonly kind: SettingKind;
  /** Texts are looked up when read: the language is chosen after this module has loaded. */
  readonly describe: () => string;
  readonly defaultText?: (() => string | null) | string | null;
  readonly group: SettingSpec['group'];
  readonly choices?: readonly string[] | undefined;
  readonly hidden?: boolean;
}

/**
 * A spec whose description and default text are getters. Build a changed
 * spec with spec(), never by spreading one: a spread copies the text of the
 * moment and freezes its language.
 */
function spec(parts: SpecParts): SettingSpec {
  const { flag, kind, describe, defaultText = null, group, choices, hidden } = parts;
  return {
    flag,
    env: envNameFor(flag),
    get description() {
      return describe();
    },
    get defaultText() {
      return typeof defaultText === 'function' ? defaultText() : defaultText;
    },
    kind,
    ...(choices ? { choices } : {}),
    yargsType: kind === 'boolean' ? 'boolean' : 'string',
    group,
    ...(hidden === true ? { hidden } : {}),
  };
}

/** A general setting's --help text: `settings:help.<flag>` with its bounds filled in. */
export function helpTextOf(declaration: GeneralDeclarations): string {
  return withBounds(t(`settings:help.${declaration.flag}`), declaration.flag, declaration.value.bounds);
}

function specOf(declaration: GeneralDeclarations): SettingSpec {
  const { flag, value } = declaration;
  return spec({
    flag,
    kind: value.kind,
    describe: () => helpTextOf(declaration),
    defaultText: () => defaultTextOf(declaration as SettingDeclaration<unknown>),
    group: ('group' in declaration ? declaration.group : undefined) ?? 'Settings',
    choices: value.choices,
  });
}

/** The non-server settings with their descriptions and defaults. */
export const SETTINGS: readonly SettingSpec[] = GENERAL_SETTINGS.map(specOf);

function serverSpecs(server: string, slotIndex: number | null): SettingSpec[] {
  const hidden = slotIndex !== null && slotIndex > 1;
  return SERVER_FAMILY.filter((member) => slotIndex !== null || member.backupsOnly !== true).map((member) => {
    const flag = serverKey(server, member.suffix);
    // The first flag of backup 2 also tells of backups 3 to 9.
    const describe =
      slotIndex === 1 && member.suffix === 'url'
        ? () =>
            t('settings:help.backup-2-url', {
              last: MAX_BACKUPS,
              suffixes: SERVER_FAMILY.map((other) => other.suffix).join(', '),
            })
        : () => serverHelp(server, member.suffix);
    return spec({ flag, kind: 'string', describe, defaultText: member.suffix === 'name' ? server : null, group: 'Servers', hidden });
  });
}

/**
 * The per-server flags: primary-*, backup-* and backup-2-* to backup-9-*
 * (backup-3 onwards hidden from --help). Passwords themselves are never flags.
 */
export const SERVER_FLAGS: readonly SettingSpec[] = [
  ...serverSpecs('primary', null),
  ...BACKUP_SLOTS.flatMap((slot, index) => serverSpecs(slot, index)),
];

/** The flags that name where the other settings come from. */
export const SOURCE_FLAGS: readonly SettingSpec[] = [
  spec({ flag: 'config', kind: 'string', describe: () => t('settings:help.config'), group: 'Settings' }),
  spec({
    flag: 'env-file',
    kind: 'string',
    describe: () => t('settings:help.env-file'),
    defaultText: () => t('settings:default.env-file'),
    group: 'Settings',
  }),
];

/** Every flag the configuration layer reads, for the CLI to declare. */
export const CONFIG_FLAGS: readonly SettingSpec[] = [...SOURCE_FLAGS, ...SERVER_FLAGS, ...SETTINGS];

/** Settings that may come from the environment, a .env file or a JSON config file. */
export type SettingKey = GeneralSettingFlag | ServerSettingKey;

export const SETTING_KEYS: readonly SettingKey[] = [
  ...SERVER_SETTING_SUFFIXES.map((suffix) => serverKey('primary', suffix)),
  ...BACKUP_SLOTS.flatMap((slot) => BACKUP_SETTING_SUFFIXES.map((suffix) => serverKey(slot, suffix))),
  ...GENERAL_SETTINGS.map((declaration) => declaration.flag),
];

/** Passwords are accepted from every layer but the command line. */
export const PASSWORD_KEYS: readonly SettingKey[] = ['primary', ...BACKUP_SLOTS].map((server) => serverKey(server, 'password'));

/** The JSON config key holding the backups as a list (instead of backup-* keys), and the keys of its entries. */
export const BACKUPS_LIST_KEY = 'backups';
export const BACKUP_ENTRY_KEYS: readonly ServerSettingSuffix[] = ['name', ...SERVER_SETTING_SUFFIXES];

/** Environment names that are not settings but are still ours. */
export const CONFIG_ENV = envNameFor('config');
export const ENV_FILE_ENV = envNameFor('env-file');
