import { describe, expect, it } from 'vitest';
import { printable } from '../../src/report/printable.js';

describe('printable', () => {
  it('leaves ordinary text, accents and arrows alone', () => {
    expect(printable('São Paulo → Rua A, 1')).toBe('São Paulo → Rua A, 1');
  });

  it('shows line breaks and tabs as escapes, so one item stays on one line', () => {
    expect(printable('a\nb\r\nc\td')).toBe('a\\nb\\r\\nc\\td');
  });

  it('shows terminal control bytes as escapes', () => {
    expect(printable('\u001b[31mred\u0007')).toBe('\\u001b[31mred\\u0007');
    expect(printable('x\u009by\u2028z')).toBe('x\\u009by\\u2028z');
  });
});
