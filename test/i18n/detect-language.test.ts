import { describe, expect, it } from 'vitest';
import { detectLanguage, languageOfLocale, UnknownLanguageError, type LanguageSources } from '../../src/i18n/detect-language.js';

const sources = (overrides: Partial<LanguageSources>): LanguageSources => ({ flag: undefined, env: {}, platform: 'linux', systemLocale: undefined, ...overrides });

describe('languageOfLocale', () => {
  it.each([
    ['pt_BR.UTF-8', 'pt-BR'],
    ['pt-BR', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['pt_PT', 'pt-BR'],
    ['en_US.UTF-8', 'en'],
    ['C', 'en'],
    ['POSIX', 'en'],
    ['de_DE.UTF-8', null],
    ['', null],
  ])('%s -> %s', (locale, language) => expect(languageOfLocale(locale)).toBe(language));
});

describe('detectLanguage: --lang, then SYNC_DBS_LANG, then LC_ALL / LC_MESSAGES / LANG, then the Windows locale', () => {
  it('--lang wins over everything', () => {
    expect(detectLanguage(sources({ flag: 'pt-BR', env: { SYNC_DBS_LANG: 'en', LC_ALL: 'en_US' } }))).toBe('pt-BR');
  });
  it('SYNC_DBS_LANG wins over the locale variables', () => {
    expect(detectLanguage(sources({ env: { SYNC_DBS_LANG: 'pt-BR', LC_ALL: 'en_US.UTF-8' } }))).toBe('pt-BR');
  });
  it('LC_ALL wins over LC_MESSAGES, which wins over LANG', () => {
    expect(detectLanguage(sources({ env: { LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'pt_BR', LANG: 'pt_BR' } }))).toBe('en');
    expect(detectLanguage(sources({ env: { LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'en_US' } }))).toBe('pt-BR');
    expect(detectLanguage(sources({ env: { LANG: 'pt_BR.UTF-8' } }))).toBe('pt-BR');
  });
  it('a locale variable naming a language we do not offer means English, not the next variable', () => {
    expect(detectLanguage(sources({ env: { LC_ALL: 'de_DE.UTF-8', LANG: 'pt_BR.UTF-8' } }))).toBe('en');
  });
  it('on Windows with no variable, the user\'s locale', () => {
    expect(detectLanguage(sources({ platform: 'win32', systemLocale: 'pt-BR' }))).toBe('pt-BR');
    expect(detectLanguage(sources({ platform: 'linux', systemLocale: 'pt-BR' }))).toBe('en');
  });
  it('an unknown --lang or SYNC_DBS_LANG is an error naming the choices', () => {
    expect(() => detectLanguage(sources({ flag: 'fr' }))).toThrow(UnknownLanguageError);
    expect(() => detectLanguage(sources({ env: { SYNC_DBS_LANG: 'klingon' } }))).toThrow(/en or pt-BR/);
  });
});
