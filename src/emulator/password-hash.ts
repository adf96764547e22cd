import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Salted SHA-256: the emulator only has to keep passwords out of its dumps, not
// resist offline attacks, and datasets with thousands of users must load fast.

export function hashPassword(password: string, salt: string = randomBytes(8).toString('hex')): string {
  return `sha256$${salt}$${createHash('sha256').update(`${salt}$${password}`).digest('hex')}`;
}

export function passwordMatches(password: string, stored: string): boolean {
  const [scheme, salt] = stored.split('$');
  if (scheme !== 'sha256' || salt === undefined) return false;
  const expected = Buffer.from(stored);
  const actual = Buffer.from(hashPassword(password, salt));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
