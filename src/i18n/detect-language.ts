import { LANGUAGES, type Language } from './catalogs.js';

export interface LanguageSources {
  /** `--lang`, when given. */
  readonly flag: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** The user's locale as the operating system reports it (on Windows, the user's regional setting). */
  readonly systemLocale: string | undefined;
}

export class UnknownLanguageError extends Error {
  constructor(readonly given: string) {
    super(`unknown language "${given}" (choose ${LANGUAGES.join(' or ')})`);
  }
}

/** `pt_BR.UTF-8`, `pt-BR`, `pt` -> `pt-BR`; `en_US`, `C` -> `en`; other languages -> null (not offered). */
export function languageOfLocale(locale: string): Language | null {
  const tag = locale.trim().split('.')[0]?.split('@')[0]?.replace('_', '-').toLowerCase() ?? '';
  if (tag === '') return null;
  if (tag === 'pt' || tag.startsWith('pt-')) return 'pt-BR';
  if (tag === 'en' || tag.startsWith('en-') || tag === 'c' || tag === 'posix') return 'en';
  return null;
}

/**
 * The language of the messages: `--lang`, then SYNC_DBS_LANG (both must name
 * an offered language), then the first of LC_ALL, LC_MESSAGES and LANG that is
 * set, then on Windows the user's locale; English when none names a language
 * we speak.
 */
export function detectLanguage(sources: LanguageSources): Language {
  for (const explicit of [sources.flag, sources.env.SYNC_DBS_LANG]) {
    if (explicit === undefined || explicit.trim() === '') continue;
    const language = languageOfLocale(explicit);
    if (language === null) throw new UnknownLanguageError(explicit);
    return language;
  }
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = sources.env[name];
    if (value === undefined || value.trim() === '') continue;
    return languageOfLocale(value) ?? 'en';
  }
  if (sources.platform === 'win32' && sources.systemLocale !== undefined) return languageOfLocale(sources.systemLocale) ?? 'en';
  return 'en';
}
