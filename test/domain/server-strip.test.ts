import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SERVER_WHITESPACE, stripLikeServer } from '../../src/domain/server-strip.js';

// The server reads every text with Python's str.strip(); ours must cut exactly
// the same characters, or a key names another license than the server's.

/** Python's str.strip() of each text, in one python3 process (JSON in, JSON out). */
function pythonStrip(texts: readonly string[]): string[] {
  const script = 'import json,sys\nprint(json.dumps([t.strip() for t in json.load(sys.stdin)]))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' })) as string[];
}

/** Every code point Python's str.isspace() holds true for, asked of python3 itself. */
function pythonWhitespace(): string[] {
  const script = 'import json\nprint(json.dumps([chr(c) for c in range(0x110000) if chr(c).isspace()]))';
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as string[];
}

describe('stripLikeServer', () => {
  it('removes exactly the characters Python str.strip() removes', () => {
    expect(SERVER_WHITESPACE).toEqual(pythonWhitespace());
    const codes = SERVER_WHITESPACE.map((ch) => ch.codePointAt(0)?.toString(16));
    expect(codes).toEqual(['9', 'a', 'b', 'c', 'd', '1c', '1d', '1e', '1f', '20', '85', 'a0', '1680', '2000', '2001', '2002', '2003', '2004', '2005', '2006', '2007', '2008', '2009', '200a', '2028', '2029', '202f', '205f', '3000']);
  });

  it('keeps U+FEFF and removes U+001C-U+001F and U+0085, unlike JavaScript trim()', () => {
    expect(stripLikeServer('\uFEFFabc')).toBe('\uFEFFabc');
    expect(stripLikeServer('abc\uFEFF')).toBe('abc\uFEFF');
    expect(stripLikeServer('\u001Fabc\u001C')).toBe('abc');
    expect(stripLikeServer('\u0085abc\u0085')).toBe('abc');
    expect(stripLikeServer(' \t a b \n')).toBe('a b');
    expect(stripLikeServer('\u001E\u0085 \u3000')).toBe('');
    expect(stripLikeServer('a\u0085b')).toBe('a\u0085b');
  });

  it('equals python3 str.strip() on random strings of whitespace-like characters', () => {
    const lookalikes = [...SERVER_WHITESPACE, '\uFEFF', '\u200b', '\u180e', '\u0000', '\u001b', '\u0084', '\u0086', 'a', 'Z', '/', 'é', '\u{1F600}'];
    const texts = fc.sample(fc.array(fc.constantFrom(...lookalikes), { maxLength: 12 }).map((chars) => chars.join('')), { numRuns: 2000, seed: 15 });
    const expected = pythonStrip(texts);
    const mismatches = texts.filter((text, index) => stripLikeServer(text) !== expected[index]).map((text) => JSON.stringify(text));
    expect(mismatches).toEqual([]);
    // The sample did reach the characters on which JavaScript's trim() and Python's strip() differ.
    expect(texts.filter((text, index) => text.trim() !== expected[index]).length).toBeGreaterThan(50);
  });
});
