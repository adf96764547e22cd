/**
 * The servers of a sync run: the primary and the configured backups. A
 * backup counts as configured when any of its settings is given (backup 1
 * stands for them when none is, so that its missing URL is what gets
 * reported); it then needs a URL and a user. Backup names must be valid and
 * unique, every URL must differ, --backup chooses the backups this run
 * takes, and only the chosen ones need a password.
 */
import { t } from '../i18n/i18n.js';
import { listEntryKey } from './config-file-backups.js';
import type { Resolved, RunSettings } from './general-settings.js';
import { findSetting, type Layer, type Problems } from './layers.js';
import { findPasswordSource, readPasswordSource, type PasswordSource } from './password-source.js';
import { checkServerUrl } from './server-url.js';
import { BACKUP_SETTING_SUFFIXES, BACKUP_SLOTS, envNameFor, serverKey, type ServerSettingKey, type ServerSettingSuffix } from './settings.js';
import { describeValue, parseText } from './setting-values.js';
import type { ServerName } from './sync-config.js';

export interface Labelled<T> {
  readonly value: T;
  readonly label: string;
}

/** A server whose settings were read; complete once nothing is wrong. */
export interface ServerDraft {
  /** `primary`, or the backup's name. */
  readonly name: ServerName;
  /** The prefix of its settings: `primary`, `backup`, `backup-2`, ... */
  readonly prefix: string;
  readonly url: Labelled<string> | null;
  readonly username: string | null;
  readonly password: string | null;
  readonly passwordMissing: boolean;
}

export interface ServerDrafts {
  readonly primary: ServerDraft;
  /** The backups this run takes, in configuration order. */
  readonly backups: readonly ServerDraft[];
}

export interface ServersContext {
  readonly layers: readonly Layer[];
  readonly run: RunSettings;
  readonly allowInsecureHttp: boolean;
  readonly platform: NodeJS.Platform;
}

/** Letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 32. */
export const BACKUP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

interface BackupDraft {
  readonly prefix: string;
  readonly name: Labelled<string>;
  /** False when the name was rejected (it then takes part in no comparison). */
  readonly nameValid: boolean;
  readonly url: Labelled<string> | null;
  readonly username: string | null;
  readonly source: PasswordSource;
}

export async function resolveServers(context: ServersContext, problems: Problems): Promise<ServerDrafts> {
  const { layers, platform } = context;
  const primaryUrl = resolveUrl(context, 'primary', problems);
  const primaryUser = requiredText(layers, 'primary', 'user', problems)?.value ?? null;
  const primary = await withPassword(
    { name: 'primary', prefix: 'primary', url: primaryUrl, username: primaryUser },
    findPasswordSource(layers, 'primary', problems),
    platform,
    problems,
  );

  const configured = BACKUP_SLOTS.filter((slot) => BACKUP_SETTING_SUFFIXES.some((suffix) => findSetting(layers, serverKey(slot, suffix)) !== undefined));
  const backups = (configured.length > 0 ? configured : BACKUP_SLOTS.slice(0, 1)).map((slot) => resolveBackup(context, slot, problems));
  checkNames(backups, problems);
  checkUrls([primaryUrl, ...backups.map((backup) => backup.url)], problems);
  const selected = selectBackups(backups, context.run.backupNames, problems);

  const drafts: ServerDraft[] = [];
  for (const backup of selected) {
    const { prefix, url, username, source } = backup;
    drafts.push(await withPassword({ name: backup.name.value, prefix, url, username }, source, platform, problems));
  }
  return { primary, backups: drafts };
}

async function withPassword(
  server: Omit<ServerDraft, 'password' | 'passwordMissing'>,
  source: PasswordSource,
  platform: NodeJS.Platform,
  problems: Problems,
): Promise<ServerDraft> {
  const password = source.kind === 'value' || source.kind === 'file' ? await readPasswordSource(source, platform, problems) : null;
  return { ...server, password, passwordMissing: source.kind === 'none' };
}

function resolveBackup(context: ServersContext, slot: string, problems: Problems): BackupDraft {
  const { layers } = context;
  const url = resolveUrl(context, slot, problems);
  const username = requiredText(layers, slot, 'user', problems)?.value ?? null;
  const source = findPasswordSource(layers, slot, problems);
  const { name, valid } = resolveName(layers, slot, problems);
  return { prefix: slot, name, nameValid: valid, url, username, source };
}

function resolveUrl(context: ServersContext, prefix: string, problems: Problems): Labelled<string> | null {
  const raw = requiredText(context.layers, prefix, 'url', problems);
  if (raw === null) return null;
  const checked = checkServerUrl(raw.value, context.allowInsecureHttp);
  for (const problem of checked.problems) problems.push(`${raw.label}: ${problem}`);
  return checked.url === null ? null : { value: checked.url, label: raw.label };
}

function requiredText(layers: readonly Layer[], prefix: string, suffix: ServerSettingSuffix, problems: Problems): Labelled<string> | null {
  const key: ServerSettingKey = serverKey(prefix, suffix);
  const found = findSetting(layers, key);
  if (found === undefined) {
    const listed = prefix !== 'primary' && layers.some((layer) => layer.backupsList === true);
    const inFile = listed ? t('config:required.inList', { entry: listEntryKey(prefix, suffix) }) : t('config:required.inFile', { key });
    const label = t('config:label', { name: `--${key}`, source: t('config:source.notGiven') });
    problems.push(`${label}: ${t('config:required', { key, env: envNameFor(key), inFile })}`);
    return null;
  }
  const text = parseText(found.value);
  if (text.ok) return { value: text.value, label: found.label };
  problems.push(`${found.label}: ${text.problem}`);
  return null;
}

function resolveName(layers: readonly Layer[], slot: string, problems: Problems): { readonly name: Labelled<string>; readonly valid: boolean } {
  const found = findSetting(layers, serverKey(slot, 'name'));
  if (found === undefined) return { name: { value: slot, label: t('config:label', { name: `--${slot}-name`, source: t('config:source.default') }) }, valid: true };
  const text = parseText(found.value);
  if (!text.ok) {
    problems.push(`${found.label}: ${text.problem}`);
    return { name: { value: slot, label: found.label }, valid: false };
  }
  const name = { value: text.value, label: found.label };
  if (!BACKUP_NAME_PATTERN.test(text.value)) {
    problems.push(`${found.label}: ${t('config:backupName.pattern', { value: describeValue(text.value) })}`);
    return { name, valid: false };
  }
  if (text.value.toLowerCase() === 'primary') {
    problems.push(`${found.label}: ${t('config:backupName.primary')}`);
    return { name, valid: false };
  }
  return { name, valid: true };
}

/** Backup names must differ, ignoring case. */
function checkNames(backups: readonly BackupDraft[], problems: Problems): void {
  const seen: Labelled<string>[] = [];
  for (const { name, nameValid } of backups) {
    if (!nameValid) continue;
    const earlier = seen.find((other) => other.value.toLowerCase() === name.value.toLowerCase());
    if (earlier === undefined) {
      seen.push(name);
      continue;
    }
    const problem =
      earlier.value === name.value
        ? t('config:backupName.same', { other: earlier.label, name: JSON.stringify(name.value) })
        : t('config:backupName.case', { other: earlier.label, first: JSON.stringify(earlier.value), second: JSON.stringify(name.value) });
    problems.push(`${name.label}: ${problem}`);
  }
}

/** Every server URL must differ: the primary's and each backup's. */
function checkUrls(urls: readonly (Labelled<string> | null)[], problems: Problems): void {
  const seen: Labelled<string>[] = [];
  for (const url of urls) {
    if (url === null) continue;
    const earlier = seen.find((other) => other.value === url.value);
    if (earlier === undefined) seen.push(url);
    else problems.push(`${url.label}: ${t('config:url.same', { other: earlier.label, url: url.value })}`);
  }
}

/** The backups --backup names, in configuration order; every configured backup when it is not given. */
function selectBackups(backups: readonly BackupDraft[], wanted: Resolved<readonly string[] | null>, problems: Problems): BackupDraft[] {
  if (wanted.value === null) return [...backups];
  const picked = new Set<BackupDraft>();
  const unknown: string[] = [];
  for (const name of wanted.value) {
    const match = backups.find((backup) => backup.name.value.toLowerCase() === name.toLowerCase());
    if (match === undefined) unknown.push(name);
    else picked.add(match);
  }
  if (unknown.length > 0) {
    const problem = t('config:backup.unknown', { count: unknown.length, names: unknown.map(describeValue).join(', '), configured: namesOf(backups) });
    problems.push(`${wanted.label}: ${problem}`);
  }
  return backups.filter((backup) => picked.has(backup));
}

function namesOf(backups: readonly BackupDraft[]): string {
  return backups.map((backup) => backup.name.value).join(', ');
}
