import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGS, LANGUAGES } from '../../src/i18n/catalogs.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)/g)].map((match) => match[1] ?? "").sort();

/** Each message's base key (plural forms folded) with the union of its placeholders. */
function shape(catalog: Record<string, Record<string, string>>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [namespace, messages] of Object.entries(catalog)) {
    for (const [key, text] of Object.entries(messages)) {
      const base = `${namespace}:${key.replace(PLURAL, '')}`;
      const names = new Set([...(result.get(base) ?? []), ...placeholders(text)]);
      result.set(base, [...names].sort());
    }
  }
  return result;
}

describe('the message catalogs', () => {
  const english = shape(CATALOGS.en);

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s holds exactly the English keys, with the same placeholders', (language) => {
    const other = shape(CATALOGS[language]);
    expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, names] of english) expect({ key, names: other.get(key) }).toEqual({ key, names });
  });

  it.each(LANGUAGES)('%s: a plural message has its other form, and no message is empty', (language) => {
    for (const [namespace, messages] of Object.entries(CATALOGS[language])) {
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${language} ${namespace}:${key}`).not.toBe('');
        const match = PLURAL.exec(key);
        if (match) expect(messages, `${language} ${namespace}:${key}`).toHaveProperty(`${key.slice(0, match.index)}_other`);
      }
    }
  });

  it('English and Portuguese differ (a catalog is not a copy of the other)', () => {
    const en = Object.values(CATALOGS.en).flatMap((messages) => Object.values(messages));
    const pt = Object.values(CATALOGS['pt-BR']).flatMap((messages) => Object.values(messages));
    const same = en.filter((text) => pt.includes(text) && /[a-z]{4,}\s[a-z]{3,}/i.test(text));
    expect(same.length / en.length).toBeLessThan(0.1);
  });

  it.each(LANGUAGES)('%s: every catalog file under locales/ is registered, and no registered namespace lacks its file', (language) => {
    const files = readdirSync(new URL(`../../src/i18n/locales/${language}/`, import.meta.url)).map((file) => file.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(Object.keys(CATALOGS[language]).sort());
  });
});
