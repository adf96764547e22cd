import { describe, expect, it } from 'vitest';
import { NEW_USER_PASSWORD_LENGTH, newUserPassword } from '../../src/execute/new-user-password.js';

// Letters and digits without the look-alikes 0/O, 1/l/I.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

describe('newUserPassword', () => {
  const draws = Array.from({ length: 1_000 }, () => newUserPassword());

  it('is at least 20 characters long (the declared length)', () => {
    expect(NEW_USER_PASSWORD_LENGTH).toBeGreaterThanOrEqual(20);
    for (const password of draws) expect(password).toHaveLength(NEW_USER_PASSWORD_LENGTH);
  });

  it('uses only the unambiguous alphabet, and all of it', () => {
    const seen = new Set(draws.join(''));
    for (const char of seen) expect(ALPHABET, `unexpected character ${JSON.stringify(char)}`).toContain(char);
    for (const lookAlike of '0O1lI') expect(seen.has(lookAlike)).toBe(false);
    // 24,000 draws from 57 characters: every one of them turns up.
    expect(seen.size).toBe(ALPHABET.length);
  });

  it('gives 1,000 distinct passwords in 1,000 draws', () => {
    expect(new Set(draws).size).toBe(1_000);
  });

  it('is accepted by the server (6 characters at least), and has no whitespace to be trimmed away', () => {
    for (const password of draws) {
      expect(password.length).toBeGreaterThanOrEqual(6);
      expect(password.trim()).toBe(password);
    }
  });
});
