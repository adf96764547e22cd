import { t } from '../i18n/i18n.js';

export const DETAIL_MAX_CHARACTERS = 200;

/**
 * Makes a journal detail fit on one line of `status` output: whitespace and
 * control characters (terminal escapes included) collapse to single spaces,
 * and it is cut to DETAIL_MAX_CHARACTERS code points, ending in an ellipsis
 * when cut. Never throws: a journal write must not fail over its note.
 * Secrets must already be redacted by the caller.
 */
export function sanitiseDetail(text: string): string {
  try {
    const line = String(text)
      .replace(/[\s\p{C}]+/gu, ' ')
      .trim();
    const characters = Array.from(line);
    if (characters.length <= DETAIL_MAX_CHARACTERS) return line;
    return `${characters.slice(0, DETAIL_MAX_CHARACTERS - 1).join('').trimEnd()}…`;
  } catch {
    return t('state:journal.detailUnrecordable');
  }
}
