import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { DETAIL_MAX_CHARACTERS, sanitiseDetail } from '../../src/state/journal-detail.js';

describe('sanitiseDetail', () => {
  it('keeps a short single-line detail as it is', () => {
    expect(sanitiseDetail('HTTP 400: Usuário já existe.')).toBe('HTTP 400: Usuário já existe.');
  });

  it('collapses newlines, tabs, runs of spaces and control characters (terminal escapes) into single spaces', () => {
    expect(sanitiseDetail('  first line\r\n\tsecond \u001b[31mred\u001b[0m\u0000 end  ')).toBe('first line second [31mred [0m end');
  });

  it('cuts a long detail to the limit, ending in an ellipsis', () => {
    const cut = sanitiseDetail('x'.repeat(1_000));
    expect(Array.from(cut)).toHaveLength(DETAIL_MAX_CHARACTERS);
    expect(cut.endsWith('x…')).toBe(true);
    expect(Array.from(sanitiseDetail('y'.repeat(DETAIL_MAX_CHARACTERS)))).toHaveLength(DETAIL_MAX_CHARACTERS);
  });

  it('counts characters, never splitting one made of two UTF-16 units', () => {
    const cut = sanitiseDetail('😀'.repeat(300));
    expect(cut).toBe(`${'😀'.repeat(DETAIL_MAX_CHARACTERS - 1)}…`);
    expect(/\p{Cs}/u.test(cut)).toBe(false);
  });

  it('never throws, whatever it is given', () => {
    const awkward: unknown[] = [undefined, null, 42, {}, { toString: () => { throw new Error('no'); } }, '\ud800 lone surrogate'];
    for (const value of awkward) expect(() => sanitiseDetail(value as unknown as string)).not.toThrow();
    expect(sanitiseDetail('\ud800 lone surrogate')).toBe('lone surrogate');
  });

  it('says in the run\'s language that a detail could not be recorded', () => {
    const unprintable = { toString: () => { throw new Error('no'); } } as unknown as string;
    expect(sanitiseDetail(unprintable)).toBe('(detail could not be recorded)');
    setLanguage('pt-BR');
    expect(sanitiseDetail(unprintable)).toBe('(não foi possível registrar o detalhe)');
  });

  afterEach(() => setLanguage('en'));
});
