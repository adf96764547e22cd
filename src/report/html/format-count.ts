import { formatNumber } from '../../i18n/i18n.js';

/** `12,345` in English, `12.345` in pt-BR: the page's language writes its numbers. */
export function formatCount(count: number): string {
  return formatNumber(count);
}
