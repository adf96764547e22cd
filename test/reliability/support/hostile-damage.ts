import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { clientListing } from './hostile-observer.js';

// Which records a damaged listing (the emulator's `bad-records` or
// `duplicate-ids` mode) spoiled, found independently of the sync: the listing
// as a client receives it, compared row by row (by row id) with the stored data.

export interface DamagedRecord {
  /** Position in the listing. */
  readonly index: number;
  /** The record's true key (from the stored row with the same id). */
  readonly key: string;
  /** Whether the listed record still carries a readable key (a string): otherwise the sync cannot know which record it is. */
  readonly keyReadable: boolean;
}

const LISTED_USER_FIELDS = ['id', 'username', 'email', 'role', 'created_at'] as const;

function sameRecord(listed: Readonly<Record<string, unknown>>, stored: Readonly<Record<string, unknown>>, fields: readonly string[]): boolean {
  return fields.every((field) => Object.hasOwn(listed, field) && JSON.stringify(listed[field]) === JSON.stringify(stored[field]));
}

/** The records of the server's current (damaged) listing that differ from what it stores, or repeat a key. */
export async function damagedRecords(server: EmulatorHandle, endpoint: 'devices' | 'users'): Promise<DamagedRecord[]> {
  const { items } = await clientListing(server, endpoint);
  const state = await server.control.state();
  const keyField = endpoint === 'devices' ? 'device_id' : 'username';
  const stored = new Map<number, Record<string, unknown>>(
    (endpoint === 'devices' ? state.devices : state.users).map((row) => [row.id, row as unknown as Record<string, unknown>]),
  );
  const fields = endpoint === 'devices' ? Object.keys(state.devices[0] ?? {}) : LISTED_USER_FIELDS;
  const copies = new Map<unknown, number>();
  for (const item of items) copies.set(item[keyField], (copies.get(item[keyField]) ?? 0) + 1);

  const damaged: DamagedRecord[] = [];
  items.forEach((item, index) => {
    const row = stored.get(Number(item.id));
    if (row === undefined) throw new Error(`listed row ${String(item.id)} is not stored`);
    const repeated = (copies.get(item[keyField]) ?? 0) > 1;
    if (repeated || !sameRecord(item, row, fields)) {
      damaged.push({ index, key: String(row[keyField]), keyReadable: typeof item[keyField] === 'string' });
    }
  });
  return damaged;
}
