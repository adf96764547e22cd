import { stripLikeServer } from '../domain/server-strip.js';
import { t } from '../i18n/i18n.js';

/** Keys longer than this are refused, so that a huge one never reaches a report, a log or the state database. */
export const MAX_KEY_LENGTH = 1_000;

export type KeyField = 'username' | 'device_id';

/** A listed key, stripped like the server strips it, that the sync can use; or why not, and whether the key may still be named. */
export type KeyCheck = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly key: string | null; readonly reason: string };

/** Lone surrogates: with the `u` flag, the class matches only surrogates that are not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `text` is well-formed Unicode (String.prototype.isWellFormed, which ES2023 typings lack). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export function checkKey(field: KeyField, value: string): KeyCheck {
  const key = stripLikeServer(value);
  if (key === '') return { ok: false, key: null, reason: t('snapshot:key.empty', { field }) };
  if (key.length > MAX_KEY_LENGTH) return { ok: false, key: null, reason: t('snapshot:key.tooLong', { field, length: key.length, max: MAX_KEY_LENGTH }) };
  if (!isWellFormed(key)) return { ok: false, key: null, reason: t('snapshot:key.notWellFormed', { field }) };
  // URL parsing removes the dot segments: a block of ".." would reach another endpoint.
  if (field === 'device_id' && (key === '.' || key === '..')) {
    return { ok: false, key, reason: t('snapshot:key.dotSegment', { key: JSON.stringify(key) }) };
  }
  return { ok: true, key };
}
