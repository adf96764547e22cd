/**
 * Where a server's password comes from. A password and a password file are
 * one source: the highest layer that gives either wins, and a layer giving
 * both is a problem. Problems never quote a password, nor the path of a
 * password file (a password pasted where its path belongs must not leak).
 */
import { t } from '../i18n/i18n.js';
import type { Layer, Problems, RawSetting } from './layers.js';
import { pathFor } from './platform-path.js';
import { serverKey } from './settings.js';
import { parseSecret } from './setting-values.js';
import { readTextFile } from './text-file.js';

export type PasswordSource =
  | { readonly kind: 'value'; readonly setting: RawSetting }
  | { readonly kind: 'file'; readonly setting: RawSetting }
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid' };

/** `prefix` is the prefix of the server's settings: `primary`, `backup`, `backup-2`... (not its name). */
export function findPasswordSource(layers: readonly Layer[], prefix: string, problems: Problems): PasswordSource {
  for (const layer of layers) {
    const value = layer.values.get(serverKey(prefix, 'password'));
    const file = layer.values.get(serverKey(prefix, 'password-file'));
    if (value !== undefined && file !== undefined) {
      problems.push(`${t('config:label', { name: t('config:both', { first: value.name, second: file.name }), source: value.source })}: ${t('config:password.valueAndFile')}`);
      return { kind: 'invalid' };
    }
    if (value !== undefined) return { kind: 'value', setting: value };
    if (file !== undefined) return { kind: 'file', setting: file };
  }
  return { kind: 'none' };
}

/** The password a source gives, or null after recording a problem. */
export async function readPasswordSource(
  source: { readonly kind: 'value' | 'file'; readonly setting: RawSetting },
  platform: NodeJS.Platform,
  problems: Problems,
): Promise<string | null> {
  const { setting } = source;
  if (source.kind === 'value') {
    const parsed = parseSecret(setting.value);
    if (parsed.ok) return parsed.value;
    problems.push(`${setting.label}: ${parsed.problem}`);
    return null;
  }
  if (typeof setting.value !== 'string' || setting.value.trim() === '') {
    problems.push(`${setting.label}: ${t('config:password.fileExpected')}`);
    return null;
  }
  const paths = pathFor(platform);
  const file = paths.resolve(setting.baseDir, setting.value);
  const where = paths.isAbsolute(setting.value) ? '' : t('config:password.relative', { dir: setting.baseDir });
  const read = await readTextFile(file);
  if (!read.ok) {
    problems.push(`${setting.label}: ${t('config:password.fileUnreadable', { where, reason: read.reason })}`);
    return null;
  }
  const password = read.text.replace(/\r?\n$/, '');
  if (password === '') {
    problems.push(`${setting.label}: ${t('config:password.fileEmpty', { where })}`);
    return null;
  }
  if (/[\r\n]/.test(password)) {
    problems.push(`${setting.label}: ${t('config:password.fileLines', { where })}`);
    return null;
  }
  return password;
}
