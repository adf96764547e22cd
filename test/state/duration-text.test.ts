import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/state/duration-text.js';

const s = 1000;
const min = 60 * s;
const h = 60 * min;
const d = 24 * h;

describe('formatDuration', () => {
  it.each([
    [350, '350 ms'],
    [45 * s, '45 s'],
    [45 * s + 999, '45 s'],
    [3 * min + 5 * s, '3 min 5 s'],
    [3 * min, '3 min'],
    [h, '1 h'],
    [2 * h + 5 * min + 59 * s, '2 h 5 min'],
    [3 * d + 4 * h + 30 * min, '3 d 4 h'],
    [2 * d, '2 d'],
    [-5 * s, '0 ms'],
    [Number.NaN, '0 ms'],
  ])('%d ms reads "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
