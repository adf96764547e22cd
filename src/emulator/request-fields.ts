/**
 * The server reads string fields as `(data.get(name) or "").strip()`: missing,
 * null and empty all become null, and any other type makes Flask crash with a 500.
 */
export class FieldTypeError extends Error {
  override name = 'FieldTypeError';
}

export function textField(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null || value === '' || value === false || value === 0) return null;
  if (typeof value !== 'string') throw new FieldTypeError(`${name} has type ${typeof value}`);
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
