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

const encodedRows = new WeakMap<object, string>();

/**
 * Encodes a listing `{"items": [...]}`. Stored rows are immutable objects, so each
 * row's encoding is cached until the row is replaced: listing 100,000 licenses
 * costs a string join, not a re-serialisation.
 */
export function encodeListing(items: readonly object[]): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as object;
    let encoded = encodedRows.get(item);
    if (encoded === undefined) {
      encoded = encodePythonJson(item);
      if (Object.isFrozen(item)) encodedRows.set(item, encoded);
    }
    parts[i] = encoded;
  }
  return `{"items":[${parts.join(',')}]}\n`;
}
