import i18next, { type i18n } from 'i18next';
import { CATALOGS, LANGUAGES, type Catalog, type Language } from './catalogs.js';
import { formatLocalTime } from './local-time.js';
import type { MessageKey } from './message-key.js';

export { LANGUAGES, type Language } from './catalogs.js';
export type { MessageKey } from './message-key.js';

export type MessageValues = Readonly<Record<string, unknown>>;

/**
 * A language's plural forms that its catalog does not spell out are taken
 * from `_other` (pt-BR has a `many` form for millions that i18next would
 * otherwise answer with the bare key).
 */
function withAllPluralForms(catalog: Catalog, language: Language): Catalog {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const filled: Record<string, Record<string, string>> = {};
  for (const [namespace, messages] of Object.entries(catalog)) {
    const copy: Record<string, string> = { ...messages };
    for (const [key, text] of Object.entries(messages)) {
      if (!key.endsWith('_other')) continue;
      const base = key.slice(0, -'_other'.length);
      for (const category of categories) copy[`${base}_${category}`] ??= text;
    }
    filled[namespace] = copy;
  }
  return filled as Catalog;
}

function createInstance(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: Object.fromEntries(LANGUAGES.map((lng) => [lng, withAllPluralForms(CATALOGS[lng], lng)])),
    ns: Object.keys(CATALOGS.en),
    defaultNS: 'common',
    keySeparator: false,
    nsSeparator: ':',
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  instance.services.formatter?.add('time', (value: unknown, lng: string | undefined) =>
    value instanceof Date || typeof value === 'string' ? formatLocalTime(new Date(value), lng ?? language) : String(value),
  );
  return instance;
}

let current: Language = 'en';
let instance = createInstance(current);

/** The language every later message is written in (the CLI sets it once, before any output). */
export function setLanguage(language: Language): void {
  if (language === current) return;
  current = language;
  instance = createInstance(language);
}

export function currentLanguage(): Language {
  return current;
}

/**
 * The message `key` in the current language. Values are placed into its
 * `{{name}}` placeholders as given (`{{n, number}}` writes a number the
 * language's way, `{{at, time}}` a local time with its UTC offset); `count`
 * chooses the plural form.
 */
export function t(key: MessageKey, values?: MessageValues): string {
  return instance.t(key, values as never) as unknown as string;
}

/** A number written the current language's way (`12,345` / `12.345`). */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(current, options).format(value);
}

/** A moment in the machine's time zone with its offset, written the current language's way. */
export function formatTime(date: Date): string {
  return formatLocalTime(date, current);
}
