import { t } from '../i18n/i18n.js';

// Long lists are cut to a few lines and say how many were left out.

/** The hint of a list cut short, in the current language. */
export function fullListHint(): string {
  return t('report:list.fullListHint');
}

/**
 * The first `max` lines, then "… and N more (hint)" for the rest (no
 * parentheses when `hint` is null). The "more" line comes on top of `max`.
 */
export function capLines(lines: readonly string[], max: number, hint: string | null = fullListHint()): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), moreLine(lines.length - max, hint)];
}

/** The items already kept from a list of `total`, then "… and N more" when some were left out. */
export function withRemainder(kept: readonly string[], total: number, hint: string | null = null): string[] {
  return total > kept.length ? [...kept, moreLine(total - kept.length, hint)] : [...kept];
}

function moreLine(count: number, hint: string | null): string {
  return hint === null ? t('report:list.more', { count }) : t('report:list.moreWithHint', { count, hint });
}
