import { formatNumber, t } from '../i18n/i18n.js';
import type { ProgressLine } from './progress-board.js';

/** How a line's parts are set off, e.g. in colour on a terminal; plain by default. */
export interface LineStyle {
  readonly failed: (text: string) => string;
  readonly waking: (text: string) => string;
}

export const PLAIN: LineStyle = { failed: (text) => text, waking: (text) => text };

/** `backup: 1,234 of 5,000 operations, 3 failed, 85/s, about 44 s left` / `waking render: 35 s of 120`. */
export function progressText(line: ProgressLine, style: LineStyle = PLAIN): string {
  if (line.kind === 'waking') {
    return style.waking(t('progress:waking', { server: line.server, elapsed: Math.floor(line.elapsedMs / 1000), limit: Math.round(line.limitMs / 1000) }));
  }
  const { counts } = line;
  const parts = [t('progress:writing', { count: counts.total, server: line.server, done: formatNumber(counts.done), total: formatNumber(counts.total) })];
  if (counts.failed > 0) parts.push(style.failed(t('progress:writing.failed', { count: counts.failed })));
  if (line.perSecond !== null) parts.push(t('progress:writing.rate', { rate: formatNumber(line.perSecond, { maximumFractionDigits: line.perSecond < 10 ? 1 : 0 }) }));
  if (line.leftMs !== null && counts.done < counts.total) parts.push(t('progress:writing.left', { duration: durationText(line.leftMs) }));
  return parts.join(', ');
}

/** `44 s`, `3 min 20 s`, `2 h 5 min`: whole units, rounded up (time left is never shown as less than it is). */
export function durationText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return t('progress:duration.seconds', { seconds: formatNumber(seconds) });
  if (seconds < 3600) return t('progress:duration.minutes', { minutes: formatNumber(Math.floor(seconds / 60)), seconds: formatNumber(seconds % 60) });
  const minutes = Math.ceil(seconds / 60);
  return t('progress:duration.hours', { hours: formatNumber(Math.floor(minutes / 60)), minutes: formatNumber(minutes % 60) });
}
