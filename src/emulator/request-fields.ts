import { stripLikeServer } from '../domain/server-strip.js';

/**
 * The server reads string fields as `(data.get(name) or "").strip()`: missing,
 * null, empty and Python-falsy values (false, 0, [], {}) all become null, and any
 * other type makes Flask crash with a 500.
 */
export class FieldTypeError extends Error {
  override name = 'FieldTypeError';
}

function pythonFalsy(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

export function textField(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (pythonFalsy(value)) return null;
  if (typeof value !== 'string') throw new FieldTypeError(`${name} has type ${typeof value}`);
  const trimmed = stripLikeServer(value);
  return trimmed === '' ? null : trimmed;
}
