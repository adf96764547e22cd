/**
 * A JSON config file as a layer: an object whose keys are the flag names
 * (passwords allowed), or a `backups` list in place of the backup-* keys.
 */
import { t } from '../i18n/i18n.js';
import { backupsListSettings } from './config-file-backups.js';
import type { Layer, LayerKey, Problems, RawSetting } from './layers.js';
import { pathFor } from './platform-path.js';
import { BACKUPS_LIST_KEY, SETTING_KEYS, type SettingKey } from './settings.js';
import { unknownSettingMessage } from './suggest.js';

/**
 * Describes a JSON syntax error without quoting the file: V8 messages may
 * include a snippet of the text, which may hold a password.
 */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const located = /^(.*?) in JSON at position (\d+)/.exec(message);
  if (located) {
    const position = Number(located[2]);
    const before = text.slice(0, position).split('\n');
    const column = (before.at(-1)?.length ?? 0) + 1;
    return t('config:json.invalidAt', { detail: located[1] ?? 'syntax error', line: before.length, column });
  }
  if (message.startsWith('Unexpected end of JSON input')) return t('config:json.endsEarly');
  return t('config:json.invalid');
}

/**
 * A JSON config file: an object whose keys are the flag names (passwords
 * allowed), or a `backups` list in place of the backup-* keys.
 * `sourceLabel` names where the file's path came from.
 */
export function configFileLayer(text: string, file: string, sourceLabel: string, platform: NodeJS.Platform, problems: Problems): Layer {
  const values = new Map<LayerKey, RawSetting>();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    problems.push(`${sourceLabel}: ${file} ${describeJsonError(error, text)}`);
    return { kind: 'config-file', values };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push(`${sourceLabel}: ${file} ${t('config:json.notObject')}`);
    return { kind: 'config-file', values };
  }
  const source = t('config:source.configFile', { file });
  const baseDir = pathFor(platform).dirname(file);
  const backupKeys: string[] = [];
  let list: { readonly value: unknown } | null = null;
  for (const [key, value] of Object.entries(data)) {
    const label = t('config:label', { name: key, source });
    if (key === BACKUPS_LIST_KEY) {
      list = { value };
    } else if ((SETTING_KEYS as readonly string[]).includes(key)) {
      values.set(key as SettingKey, { value, name: key, source, label, baseDir });
      if (key.startsWith('backup-')) backupKeys.push(key);
    } else {
      problems.push(`${label}: ${unknownSettingMessage(key, [...SETTING_KEYS, BACKUPS_LIST_KEY])}`);
    }
  }
  if (list === null) return { kind: 'config-file', values };
  if (backupKeys.length > 0) {
    const label = t('config:label', { name: t('config:both', { first: BACKUPS_LIST_KEY, second: backupKeys.join(', ') }), source });
    problems.push(`${label}: ${t('config:json.listAndKeys', { list: BACKUPS_LIST_KEY })}`);
  }
  for (const [key, setting] of backupsListSettings(list.value, { source, baseDir }, problems)) {
    if (!values.has(key)) values.set(key, setting);
  }
  return { kind: 'config-file', values, backupsList: true };
}
