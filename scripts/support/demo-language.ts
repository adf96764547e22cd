// The language of the demo's narration and of the CLI runs it starts: --lang,
// then SYNC_DBS_LANG, then the locale, exactly as the CLI chooses its own.
import { detectLanguage } from '../../src/i18n/detect-language.js';
import { setLanguage, type Language } from '../../src/i18n/i18n.js';

/** Sets the narration's language and returns it. Throws UnknownLanguageError for a language we do not speak. */
export function chooseDemoLanguage(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): Language {
  const language = detectLanguage({ flag, env, platform: process.platform, systemLocale: Intl.DateTimeFormat().resolvedOptions().locale });
  setLanguage(language);
  return language;
}

/** What tells a CLI run started by the demo to speak the demo's language (the demo's runs get no SYNC_DBS_* of the user's own). */
export function cliLanguageEnvironment(language: Language): Record<string, string> {
  return { SYNC_DBS_LANG: language };
}
