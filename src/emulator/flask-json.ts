// Flask's default JSON provider answers with sorted keys, compact separators,
// every non-ASCII character \u-escaped (Python's ensure_ascii) and a trailing newline.

const NOT_PRINTABLE_ASCII = /[\u007f-\uffff]/g;

function escapeNonAscii(json: string): string {
  return json.replace(NOT_PRINTABLE_ASCII, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** One value encoded as Python's `json.dumps(value, ensure_ascii=True, sort_keys=True)` compact form. */
export function encodePythonJson(value: unknown): string {
  return escapeNonAscii(JSON.stringify(sortKeysDeep(value)));
}

/** A whole response body, as Flask's `jsonify` writes it. */
export function encodeFlaskBody(value: unknown): string {
  return `${encodePythonJson(value)}\n`;
}

const encodedRows = new WeakMap<object, Buffer>();

function encodeItem(item: object): Buffer {
  const cached = encodedRows.get(item);
  if (cached) return cached;
  if (!Object.isFrozen(item)) return Buffer.from(encodePythonJson(item), 'latin1');
  const encoded = Buffer.from(escapeNonAscii(JSON.stringify(item)), 'latin1');
  encodedRows.set(item, encoded);
  return encoded;
}

/**
 * Encodes a stored row now, so that listings never pay for it. Stored rows are
 * frozen, flat and built with sorted keys: they need no re-sorting, and their
 * encoding stays valid until the row is replaced.
 */
export function precomputeRowEncoding(row: object): void {
  encodeItem(row);
}

const LISTING_OPEN = Buffer.from('{"items":[');
const LISTING_CLOSE = Buffer.from(']}\n');
const COMMA = 0x2c;

/**
 * Encodes a listing `{"items": [...]}` as one buffer copy of the rows' cached
 * encodings: listing 100,000 licenses costs a memcpy, not a re-serialisation.
 * Other items (damaged copies made by fault injection) are encoded on the spot.
 */
export function encodeListing(items: readonly object[]): Buffer {
  const parts = items.map(encodeItem);
  const size = parts.reduce((total, part) => total + part.length, LISTING_OPEN.length + LISTING_CLOSE.length + Math.max(0, parts.length - 1));
  const body = Buffer.allocUnsafe(size);
  let offset = LISTING_OPEN.copy(body, 0);
  parts.forEach((part, index) => {
    if (index > 0) body[offset++] = COMMA;
    offset += part.copy(body, offset);
  });
  LISTING_CLOSE.copy(body, offset);
  return body;
}
