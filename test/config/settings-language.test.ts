import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FLAGS, SETTINGS } from '../../src/config/settings.js';
import { setLanguage } from '../../src/i18n/i18n.js';

// The specs are built when settings.ts loads, before the CLI chooses the
// language: their texts must be looked up when read.

afterEach(() => setLanguage('en'));

const textsOf = () => CONFIG_FLAGS.map((spec) => ({ flag: spec.flag, description: spec.description, defaultText: spec.defaultText }));

describe('the --help texts of the settings', () => {
  it('are all Brazilian Portuguese once the language is pt-BR, hidden flags included: nothing left in English', () => {
    const english = textsOf();
    setLanguage('pt-BR');
    const portuguese = textsOf();
    expect(portuguese.map((spec) => spec.flag)).toEqual(english.map((spec) => spec.flag));
    portuguese.forEach((spec, index) => {
      const before = english[index];
      expect(spec.description, spec.flag).not.toBe(before?.description);
      expect(spec.description, spec.flag).not.toMatch(/^settings:|\{(min|max)\}/);
      // A default in words is translated too; a value (64, two-way, backup-2) stays as it is.
      if (before?.defaultText !== null && /[a-z] [a-z]/.test(before?.defaultText ?? '')) expect(spec.defaultText, spec.flag).not.toBe(before?.defaultText);
    });
    setLanguage('en');
    expect(textsOf()).toEqual(english);
  });

  it('fill in the bounds in both languages', () => {
    const concurrency = () => SETTINGS.find((spec) => spec.flag === 'concurrency')?.description;
    expect(concurrency()).toBe('requests in flight at once per server, pinned (1 to 64); without it the limit adapts to each server');
    setLanguage('pt-BR');
    expect(concurrency()).toBe('requisições simultâneas por servidor, fixas (1 a 64); sem esta opção o limite se adapta a cada servidor');
    expect(SETTINGS.find((spec) => spec.flag === 'min-primary-ratio')?.description).toContain('(0 a 1)');
    expect(SETTINGS.find((spec) => spec.flag === 'concurrency')?.defaultText).toBe('adaptável');
  });
});
