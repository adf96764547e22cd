/** Levenshtein distance, for "did you mean" hints. */
import { t } from '../i18n/i18n.js';

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest known name when it is close enough to be a likely typo, compared case-insensitively. */
export function closestName(name: string, known: readonly string[]): string | null {
  const wanted = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(wanted.length / 4));
  return bestDistance <= tolerance ? best : null;
}

export function unknownSettingMessage(name: string, known: readonly string[]): string {
  const suggestion = closestName(name, known);
  return suggestion === null ? t('config:unknownSetting') : t('config:unknownSetting.didYouMean', { suggestion });
}
