import { describe, expect, it } from 'vitest';
import { capLines, fullListHint, withRemainder } from '../../src/report/capped-list.js';

describe('capLines', () => {
  it('keeps a list that fits', () => {
    expect(capLines(['a', 'b'], 2)).toEqual(['a', 'b']);
  });

  it('cuts a longer list and says how many were left out, pointing to --json', () => {
    expect(capLines(['a', 'b', 'c', 'd'], 2)).toEqual(['a', 'b', `… and 2 more (${fullListHint()})`]);
    expect(fullListHint()).toBe('use --json for the full list');
  });

  it('cuts at the limit exactly: one line over is one line left out', () => {
    expect(capLines(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
    expect(capLines(['a', 'b', 'c', 'd'], 3)).toEqual(['a', 'b', 'c', `… and 1 more (${fullListHint()})`]);
  });

  it('leaves the hint out when given null', () => {
    expect(capLines(['a', 'b', 'c'], 1, null)).toEqual(['a', '… and 2 more']);
  });

  it('shows only the count when nothing may be shown', () => {
    expect(capLines(['a', 'b'], 0, null)).toEqual(['… and 2 more']);
  });
});

describe('withRemainder', () => {
  it('adds the count of what was not kept', () => {
    expect(withRemainder(['a', 'b'], 7)).toEqual(['a', 'b', '… and 5 more']);
  });

  it('adds nothing when everything was kept', () => {
    expect(withRemainder(['a', 'b'], 2)).toEqual(['a', 'b']);
  });
});
