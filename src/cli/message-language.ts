import { detectLanguage } from '../i18n/detect-language.js';
import { setLanguage, type Language } from '../i18n/i18n.js';
import type { CliIo } from './cli-io.js';

/** `--lang X` or `--lang=X` among the raw arguments (the last one wins, as yargs reads it). */
export function langFlagOf(args: readonly string[]): string | undefined {
  let found: string | undefined;
  args.forEach((arg, index) => {
    if (arg === '--') return;
    if (arg === '--lang') found = args[index + 1];
    else if (arg.startsWith('--lang=')) found = arg.slice('--lang='.length);
  });
  return found;
}

/**
 * Chooses the language of everything the CLI prints, before the arguments are
 * parsed (help and usage errors are already in it). Throws UnknownLanguageError.
 */
export function chooseMessageLanguage(args: readonly string[], io: CliIo): Language {
  const language = detectLanguage({
    flag: langFlagOf(args),
    env: io.env,
    platform: process.platform,
    systemLocale: Intl.DateTimeFormat().resolvedOptions().locale,
  });
  setLanguage(language);
  return language;
}
