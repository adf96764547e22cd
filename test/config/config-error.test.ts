import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';

describe('ConfigError', () => {
  it('lists every problem in its message, one per line', () => {
    const error = new ConfigError(['problem 1', 'problem 2']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toBe('invalid configuration:\n  - problem 1\n  - problem 2');
    expect(error.problems).toEqual(['problem 1', 'problem 2']);
  });

  it('keeps its own frozen copy of the problems', () => {
    const problems = ['a'];
    const error = new ConfigError(problems);
    problems.push('b');
    expect(error.problems).toEqual(['a']);
    expect(Object.isFrozen(error.problems)).toBe(true);
  });
});
