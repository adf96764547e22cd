/** Resolves and parses the settings that are not about one server. */
import { findSetting, type Layer, type Problems } from './layers.js';
import { pathFor } from './platform-path.js';
import { parseCronSchedule } from './cron-schedule.js';
import { parseHookUrl } from './hook-url.js';
import { DEFAULT_NOTIFY_ON_CHOICES, NEW_USERS_CHOICES, NOTIFY_FORMAT_CHOICES, NOTIFY_ON_CHOICES, type GeneralSettingFlag } from './settings.js';
import {
  ok,
  parseBoolean,
  parseChoice,
  parseChoiceList,
  parseInterval,
  parseInteger,
  parseNameList,
  parseRatio,
  parseSeconds,
  parseText,
  type Parsed,
} from './setting-values.js';
import { defaultStateDir } from './state-dir.js';
import { CONFLICT_POLICIES, SYNC_MODES, type ConflictPolicy, type SyncConfig, type SyncMode } from './sync-config.js';

export interface GeneralSettings extends Omit<SyncConfig, 'primary' | 'backups' | 'ca' | 'mode' | 'conflict'> {
  /** The CA file to read, still unread. */
  readonly caFile: { readonly path: string; readonly label: string } | null;
}

export interface GeneralContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
}

export interface Resolved<T> {
  readonly value: T;
  readonly label: string;
  /** False when the given value was rejected and value is the default. */
  readonly valid: boolean;
}

type Parser<T> = (value: unknown, baseDir: string) => Parsed<T>;

function resolve<T>(layers: readonly Layer[], flag: GeneralSettingFlag, fallback: T, parse: Parser<T>, problems: Problems): Resolved<T> {
  const found = findSetting(layers, flag);
  if (found === undefined) return { value: fallback, label: `--${flag} (default)`, valid: true };
  const parsed = parse(found.value, found.baseDir);
  if (parsed.ok) return { value: parsed.value, label: found.label, valid: true };
  problems.push(`${found.label}: ${parsed.problem}`);
  return { value: fallback, label: found.label, valid: false };
}

export function resolveGeneralSettings(layers: readonly Layer[], context: GeneralContext, problems: Problems): GeneralSettings {
  const paths = pathFor(context.platform);
  const setting = <T>(flag: GeneralSettingFlag, fallback: T, parse: Parser<T>): Resolved<T> =>
    resolve(layers, flag, fallback, parse, problems);
  const absolutePath: Parser<string> = (value, baseDir) => {
    const text = parseText(value);
    return text.ok ? ok(paths.resolve(baseDir, text.value)) : text;
  };

  const concurrency = setting('concurrency', 8, (value) => parseInteger(value, 1, 64));
  const timeout = setting('timeout', 30_000, (value) => parseSeconds(value, { allowZero: false }));
  const wakeTimeout = setting('wake-timeout', 120_000, (value) => parseSeconds(value, { allowZero: true }));
  const retries = setting('retries', 6, (value) => parseInteger(value, 1, 20));
  const retryDelay = setting('retry-delay', 1_000, (value) => parseSeconds(value, { allowZero: false }));
  const retryMaxDelay = setting('retry-max-delay', 32_000, (value) => parseSeconds(value, { allowZero: false }));
  if (retryDelay.valid && retryMaxDelay.valid && retryMaxDelay.value < retryDelay.value) {
    problems.push(
      `${retryMaxDelay.label}: must be at least the retry delay (${retryDelay.value / 1000} seconds, from ${retryDelay.label}), ` +
        `got ${JSON.stringify(String(retryMaxDelay.value / 1000))}`,
    );
  }
  const maxAnswerMb = setting('max-answer-mb', 128, (value) => parseInteger(value, 1, 4096));
  const deleteMissing = setting('delete', false, parseBoolean);
  const maxDelete = setting('max-delete', 0, (value) => parseInteger(value, 0));
  const newUsers = setting('new-users', 'create', (value) => parseChoice(value, NEW_USERS_CHOICES));
  const minPrimaryRatio = setting('min-primary-ratio', 0.5, parseRatio);
  const stateDir = setting('state-dir', defaultStateDir(context.platform, context.env, context.homedir), absolutePath);
  const caFile = setting<string | null>('ca-file', null, absolutePath);
  const allowInsecureHttp = setting('allow-insecure-http', false, parseBoolean);
  const maxShrink = setting('max-shrink', 0.1, parseRatio);
  const expectEvery = setting('expect-every', 3_600_000, parseInterval);
  const every = setting<string | null>('every', null, parseCronSchedule);
  const logRetention = setting('log-retention', 14, (value) => parseInteger(value, 1, 3650));
  const historyRetention = setting('history-retention', 90, (value) => parseInteger(value, 1, 3650));
  const hookUrl = (value: unknown) => parseHookUrl(value, allowInsecureHttp.value);
  const webhookUrl = setting<string | null>('notify-webhook', null, hookUrl);
  const notifyFormat = setting('notify-format', 'auto', (value) => parseChoice(value, NOTIFY_FORMAT_CHOICES));
  const notifyOn = setting<readonly (typeof NOTIFY_ON_CHOICES)[number][]>('notify-on', DEFAULT_NOTIFY_ON_CHOICES, (value) =>
    parseChoiceList(value, NOTIFY_ON_CHOICES),
  );
  const pingUrl = setting<string | null>('ping-url', null, hookUrl);

  return {
    concurrency: concurrency.value,
    timeoutMs: timeout.value,
    wakeTimeoutMs: wakeTimeout.value,
    retries: retries.value,
    retryDelayMs: retryDelay.value,
    retryMaxDelayMs: retryMaxDelay.value,
    maxAnswerMb: maxAnswerMb.value,
    delete: deleteMissing.value,
    maxDelete: maxDelete.value,
    newUsers: newUsers.value,
    minPrimaryRatio: minPrimaryRatio.value,
    stateDir: stateDir.value,
    caFile: caFile.value === null ? null : { path: caFile.value, label: caFile.label },
    allowInsecureHttp: allowInsecureHttp.value,
    maxShrink: maxShrink.value,
    expectEveryMs: expectEvery.value,
    every: every.value,
    logRetentionDays: logRetention.value,
    historyRetentionDays: historyRetention.value,
    notify: { webhookUrl: webhookUrl.value, format: notifyFormat.value, on: notifyOn.value, pingUrl: pingUrl.value },
  };
}

/** The settings that shape a sync run: which backups it takes, and how. */
export interface RunSettings {
  readonly mode: Resolved<SyncMode>;
  /** Given with one-way mode, it is accepted and has no effect. */
  readonly conflict: Resolved<ConflictPolicy>;
  /** The names --backup gives; null for every configured backup. */
  readonly backupNames: Resolved<readonly string[] | null>;
}

export function resolveRunSettings(layers: readonly Layer[], problems: Problems): RunSettings {
  return {
    mode: resolve<SyncMode>(layers, 'mode', 'one-way', (value) => parseChoice(value, SYNC_MODES), problems),
    conflict: resolve<ConflictPolicy>(layers, 'conflict', 'primary', (value) => parseChoice(value, CONFLICT_POLICIES), problems),
    backupNames: resolve<readonly string[] | null>(layers, 'backup', null, parseNameList, problems),
  };
}
