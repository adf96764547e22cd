/**
 * The `backups` list of a JSON config file. Entry i gives the settings of
 * backup i+1 (`backups[0].url` is `backup-url`, `backups[1].url` is
 * `backup-2-url`), exactly as if those keys had been written, so that the
 * environment and flags still override single fields. Problems name the
 * entry and never quote a value (an entry may hold a password).
 */
import { t } from '../i18n/i18n.js';
import type { LayerKey, Problems, RawSetting } from './layers.js';
import { BACKUP_ENTRY_KEYS, BACKUP_SLOTS, BACKUPS_LIST_KEY, MAX_BACKUPS, serverKey, type ServerSettingSuffix } from './settings.js';
import { unknownSettingMessage } from './suggest.js';

const ENTRY_EXAMPLE = '{"name": "render", "url": "https://...", "user": "sync", "password-file": "render.pw"}';

/** The settings the list gives, by the keys they stand for. */
export function backupsListSettings(
  list: unknown,
  context: { readonly source: string; readonly baseDir: string },
  problems: Problems,
): Map<LayerKey, RawSetting> {
  const values = new Map<LayerKey, RawSetting>();
  const { source, baseDir } = context;
  if (!Array.isArray(list)) {
    problems.push(`${t('config:label', { name: BACKUPS_LIST_KEY, source })}: ${t('config:json.notList', { example: ENTRY_EXAMPLE })}`);
    return values;
  }
  if (list.length > MAX_BACKUPS) {
    problems.push(`${t('config:label', { name: BACKUPS_LIST_KEY, source })}: ${t('config:json.tooMany', { max: MAX_BACKUPS, count: list.length })}`);
  }
  list.slice(0, MAX_BACKUPS).forEach((entry: unknown, index) => {
    const where = `${BACKUPS_LIST_KEY}[${index}]`;
    const slot = BACKUP_SLOTS[index] as string;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${t('config:label', { name: where, source })}: ${t('config:json.notEntry', { example: ENTRY_EXAMPLE })}`);
      return;
    }
    for (const [field, value] of Object.entries(entry)) {
      const name = `${where}.${field}`;
      const label = t('config:label', { name, source });
      if ((BACKUP_ENTRY_KEYS as readonly string[]).includes(field)) {
        values.set(serverKey(slot, field as ServerSettingSuffix), { value, name, source, label, baseDir });
      } else {
        problems.push(`${label}: ${unknownSettingMessage(field, BACKUP_ENTRY_KEYS)}`);
      }
    }
  });
  return values;
}

/** How problems point at a backup setting given through the list: `"user" in backups[1]`. */
export function listEntryKey(slot: string, suffix: ServerSettingSuffix): string {
  return t('config:json.entryKey', { suffix, list: BACKUPS_LIST_KEY, index: BACKUP_SLOTS.indexOf(slot) });
}
