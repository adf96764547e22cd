import type { ListingEndpoint } from './api-types.js';
import { encodeListing } from './flask-json.js';
import type { MalformedListingMode } from './fault-settings.js';

export interface EncodedBody {
  readonly status: number;
  readonly contentType: string;
  readonly text: string | Buffer;
}

type Row = Record<string, unknown>;

// Damage that a schema must catch, one per damaged record, cycling through the list.
const DEVICE_DAMAGE: readonly ((row: Row) => Row)[] = [
  ({ status: _dropped, ...row }) => row,
  (row) => ({ ...row, id: String(row.id) }),
  (row) => ({ ...row, device_id: 12345 }),
  (row) => ({ ...row, license_type: 'semanal' }),
  (row) => ({ ...row, custom_interval: 'sixty' }),
  (row) => ({ ...row, end_date: '31/12/2030' }),
  (row) => ({ ...row, device_id: null }),
];

const USER_DAMAGE: readonly ((row: Row) => Row)[] = [
  ({ username: _dropped, ...row }) => row,
  (row) => ({ ...row, role: 7 }),
  (row) => ({ ...row, email: ['a@b.c'] }),
  (row) => ({ ...row, id: null }),
];

/** Three spread-out positions (first, middle, last) or fewer in a short listing. */
function victims(length: number): number[] {
  return [...new Set([0, Math.floor(length / 2), length - 1])].filter((index) => index >= 0 && index < length);
}

function withBadRecords(endpoint: ListingEndpoint, items: readonly object[]): object[] {
  const damage = endpoint === 'devices' ? DEVICE_DAMAGE : USER_DAMAGE;
  const copy = [...items];
  victims(copy.length).forEach((index, n) => {
    copy[index] = (damage[n % damage.length] as (row: Row) => Row)(copy[index] as Row);
  });
  return copy;
}

function withDuplicateKeys(endpoint: ListingEndpoint, items: readonly object[]): object[] {
  const copy = [...items];
  for (const index of victims(items.length).reverse()) {
    const row = items[index] as Row;
    // The twin disagrees with the original, so that "which one wins" matters.
    const twin = endpoint === 'devices' ? { ...row, status: row.status === 'blocked' ? 'active' : 'blocked' } : { ...row, role: row.role === 'admin' ? 'user' : 'admin' };
    copy.splice(Math.min(index + 2, copy.length), 0, twin);
  }
  return copy;
}

const HTML_200 =
  '<!DOCTYPE html><html><head><title>Loading…</title></head><body><p>Please wait while your application starts.</p></body></html>\n';

export function corruptListing(
  mode: MalformedListingMode,
  endpoint: ListingEndpoint,
  items: readonly object[],
  keepFraction: number,
): EncodedBody {
  const jsonBody = (rows: readonly object[]): EncodedBody => ({ status: 200, contentType: 'application/json', text: encodeListing(rows) });
  switch (mode) {
    case 'truncated': {
      const text = encodeListing(items);
      return { status: 200, contentType: 'application/json', text: text.subarray(0, Math.max(1, Math.floor(text.length / 2))) };
    }
    case 'html':
      return { status: 200, contentType: 'text/html; charset=utf-8', text: HTML_200 };
    case 'bad-records':
      return jsonBody(withBadRecords(endpoint, items));
    case 'duplicate-ids':
      return jsonBody(withDuplicateKeys(endpoint, items));
    case 'partial':
      return jsonBody(items.slice(0, Math.ceil(items.length * keepFraction)));
  }
}
