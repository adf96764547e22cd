import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import { allowedLicense, daysFromToday } from '../../support/sync-pair.js';

// device_ids that look like paths, queries, fragments, escapes or another
// script, each put through every kind of write a sync sends: those that carry
// the device_id in the URL path (block, activate, delete) and those that carry
// it in the body (create, upsert, re-own).

// A device_id holding `/` is not among them: the server decodes %2F before
// routing, so no path reaches it and the sync never creates one (see
// test/e2e/unusual-keys.test.ts).
export const PATH_LIKE_IDS: readonly string[] = [
  'q?x=1',
  'h#frag',
  '%41',
  '%2e%2e',
  '100%',
  '..%2F..%2Fadmin%2Fusers',
  'with space inside',
  "it's",
  'say "hi"',
  'back\\slash',
  'ação-çñ',
  '许可证-中文',
  'lic-🔑-emoji',
  // The same word twice: decomposed (e + combining acute) and precomposed. Two licenses, never merged.
  'cafe\u0301',
  'caf\u00e9',
  'a+b',
  'a&b=c',
];

/** Exactly `.` and `..`: a URL would lose them as dot segments; such records are skipped and left alone. */
export const DOT_SEGMENT_IDS = ['.', '..'] as const;

export const ROLES = ['block', 'activate', 'delete', 'create-blocked', 'pending', 'expired', 'reown', 'upsert', 'create', 'same'] as const;
export type Role = (typeof ROLES)[number];

/** The write requests each role needs on the backup, in order. */
export const WRITES_OF: Readonly<Record<Role, readonly ('create' | 'block' | 'activate' | 'delete' | 'reown')[]>> = {
  block: ['block'],
  activate: ['activate'],
  delete: ['delete'],
  'create-blocked': ['create', 'block'],
  pending: ['block'],
  expired: ['block'],
  reown: ['reown'],
  upsert: ['create'],
  create: ['create'],
  same: [],
};

export interface PathCase {
  readonly deviceId: string;
  readonly role: Role;
  /** On the primary (absent for a backup-only license). */
  readonly primary: Omit<DeviceRow, 'id'> | null;
  /** On the backup (absent for a license it misses). */
  readonly backup: Omit<DeviceRow, 'id'> | null;
}

function rowsFor(deviceId: string, role: Role): Pick<PathCase, 'primary' | 'backup'> {
  const license = (overrides: Partial<DeviceRow> = {}) => allowedLicense(deviceId, overrides);
  switch (role) {
    case 'block':
      return { primary: license({ status: 'blocked' }), backup: license() };
    case 'activate':
      return { primary: license(), backup: license({ status: 'blocked' }) };
    case 'delete':
      return { primary: null, backup: license() };
    case 'create-blocked':
      return { primary: license({ status: 'blocked' }), backup: null };
    case 'pending':
      return { primary: license({ status: 'pending' }), backup: license() };
    case 'expired':
      return { primary: license({ end_date: daysFromToday(-3) }), backup: license() };
    case 'reown':
      return { primary: license({ created_by: `revenda ${deviceId}` }), backup: license() };
    case 'upsert':
      return { primary: license({ owner_name: `Novo dono de ${deviceId}` }), backup: license() };
    case 'create':
      return { primary: license(), backup: null };
    case 'same':
      return { primary: license(), backup: license() };
  }
}

/**
 * Every id in every role. The id itself takes one role (rotating over the ids),
 * the other roles take `role:id`, which keeps its characters.
 */
export function pathCases(): PathCase[] {
  return PATH_LIKE_IDS.flatMap((fragment, index) => {
    const exactRole = ROLES[index % ROLES.length] as Role;
    return ROLES.map((role) => {
      const deviceId = role === exactRole ? fragment : `${role}:${fragment}`;
      return { deviceId, role, ...rowsFor(deviceId, role) };
    });
  });
}
