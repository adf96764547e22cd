import { randomInt } from 'node:crypto';

// No look-alike characters (0/O, 1/l/I), so that an operator can read it out.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
export const NEW_USER_PASSWORD_LENGTH = 24;

/** A fresh password from the OS's CSPRNG: 24 characters of 57, about 140 bits. */
export function newUserPassword(): string {
  let password = '';
  for (let i = 0; i < NEW_USER_PASSWORD_LENGTH; i += 1) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}
