import { describe, expect, it } from 'vitest';
import { parseBoolean, parseInteger, parseRatio, parseSecret, parseSeconds } from '../../src/config/setting-values.js';
import { closestName } from '../../src/config/suggest.js';
import { decodeText } from '../../src/config/text-file.js';

describe('strict number parsing', () => {
  it.each(['8', ' 8 ', '+8', '08'])('reads the integer %j', (text) => {
    expect(parseInteger(text, 1, 64)).toEqual({ ok: true, value: 8 });
  });

  it.each(['8x', '0x8', '8.0', '1e1', '', ' ', 'eight', 'Infinity'])('refuses %j as an integer', (text) => {
    expect(parseInteger(text, 0, 64).ok).toBe(false);
  });

  it('refuses integers beyond the safe range and non-finite numbers', () => {
    expect(parseInteger(2 ** 53, 0).ok).toBe(false);
    expect(parseInteger(Number.POSITIVE_INFINITY, 0).ok).toBe(false);
  });

  it('reads seconds as whole milliseconds', () => {
    expect(parseSeconds('1.5', { allowZero: false })).toEqual({ ok: true, value: 1500 });
    expect(parseSeconds(0.001, { allowZero: false })).toEqual({ ok: true, value: 1 });
    expect(parseSeconds('0', { allowZero: true })).toEqual({ ok: true, value: 0 });
    expect(parseSeconds('2147483', { allowZero: true })).toEqual({ ok: true, value: 2_147_483_000 });
    expect(parseSeconds('1.', { allowZero: true }).ok).toBe(false);
    expect(parseSeconds('NaN', { allowZero: true }).ok).toBe(false);
  });

  it('reads ratios from 0 to 1', () => {
    expect(parseRatio('0.75')).toEqual({ ok: true, value: 0.75 });
    expect(parseRatio(1.01).ok).toBe(false);
  });
});

describe('boolean parsing', () => {
  it('reads the usual spellings only', () => {
    expect(parseBoolean(' Yes ')).toEqual({ ok: true, value: true });
    expect(parseBoolean(false)).toEqual({ ok: true, value: false });
    expect(parseBoolean('on').ok).toBe(false);
    expect(parseBoolean(1).ok).toBe(false);
  });
});

describe('secret parsing', () => {
  it('never quotes the value', () => {
    expect(parseSecret(123456)).toEqual({ ok: false, problem: 'must be a string' });
    expect(parseSecret('')).toEqual({ ok: false, problem: 'must not be empty' });
    expect(parseSecret(' x ')).toEqual({ ok: true, value: ' x ' });
  });
});

describe('closestName', () => {
  it('suggests near misses only', () => {
    expect(closestName('SYNC_DBS_RETRYS', ['SYNC_DBS_RETRIES', 'SYNC_DBS_TIMEOUT'])).toBe('SYNC_DBS_RETRIES');
    expect(closestName('colour', ['concurrency', 'timeout'])).toBeNull();
  });
});

describe('decodeText', () => {
  it('honours UTF-8, UTF-16LE and UTF-16BE byte order marks', () => {
    expect(decodeText(Buffer.from('\ufeffabc', 'utf8'))).toBe('abc');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('abc', 'utf16le')]))).toBe('abc');
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('abc', 'utf16le').swap16()]))).toBe('abc');
    expect(decodeText(Buffer.from('plain'))).toBe('plain');
  });
});
