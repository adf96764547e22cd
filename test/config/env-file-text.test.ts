import fc from 'fast-check';
import { parse as dotenvParse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parseEnvText } from '../../src/config/env-file-text.js';

describe('.env text', () => {
  it('keeps a # that is not after whitespace in an unquoted value (dotenv would cut PASSWORD=abc#123 to abc)', () => {
    expect(parseEnvText('PASSWORD=abc#123\n')).toEqual({ PASSWORD: 'abc#123' });
    expect(parseEnvText('A=#abc\nB=a#b#c\nexport C=q#1\n')).toEqual({ A: '#abc', B: 'a#b#c', C: 'q#1' });
  });

  it('reads a # after whitespace as the start of a comment, as dotenv does', () => {
    expect(parseEnvText('A=abc #123\nB=x\t# note\nC= #only a comment\n')).toEqual({ A: 'abc', B: 'x', C: '' });
  });

  it('keeps everything inside quotes: #, spaces, the other quotes', () => {
    const text = [`A="pa#ss word"`, `B='pa #ss'`, 'C=`it\'s "#1"`', `D="it's #2" # a comment`, `E=' spaced '`].join('\n');
    expect(parseEnvText(text)).toEqual({ A: 'pa#ss word', B: 'pa #ss', C: `it's "#1"`, D: `it's #2`, E: ' spaced ' });
  });

  it('skips comment lines and reads CRLF files', () => {
    expect(parseEnvText('# a comment\r\n#SYNC_DBS_X=1\r\nA=1\r\n')).toEqual({ A: '1' });
  });

  it('reads every file without a # inside an unquoted value exactly as dotenv does', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9 _.:/@!%&*()+=?-]{0,12}$/);
    const value = fc.oneof(
      word.map((text) => text.trim()),
      word.map((text) => `"${text}#${text}"`),
      word.map((text) => `'${text} # ${text}'`),
      word.map((text) => `\`${text}#\``),
      word.map((text) => `${text.trim() === '' ? 'x' : text.trim()} # comment`),
    );
    const line = fc.oneof(
      fc.tuple(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.constantFrom('=', ' = ', '= '), value, fc.boolean()).map(
        ([name, equals, text, exported]) => `${exported ? 'export ' : ''}${name}${equals}${text}`,
      ),
      word.map((text) => `# ${text}`),
      fc.constant(''),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), (lines, newline) => {
        const text = lines.join(newline);
        expect(parseEnvText(text)).toEqual(dotenvParse(text));
      }),
    );
  });
});
