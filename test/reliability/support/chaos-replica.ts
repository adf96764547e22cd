import type { Dataset, DeviceRow, UserRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { ObservedDecision } from './verify-sampler.js';

// Does the backup hold what the primary holds, on the data a sync can write?
// Compared on the servers' own dumps and on what `/verify` answers, with the
// normalisation of the replication rules, independently of the sync's code.

export interface ReplicaDifference {
  readonly subject: 'user' | 'license';
  readonly key: string;
  /** A field name, `missing` (only on the primary), `backup-only`, or `decision`. */
  readonly what: string;
  readonly detail?: string;
}

export const describeDifference = ({ subject, key, what, detail }: ReplicaDifference): string => `${subject} ${key}: ${what}${detail ? ` (${detail})` : ''}`;

const LICENSE_CONTENT = ['owner_name', 'cpf', 'email', 'address', 'license_type'] as const;

/** Trimmed, and empty as null: how the server stores what it is sent. */
function text(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function licenseFields(row: DeviceRow): Record<string, string | null> {
  const fields: Record<string, string | null> = Object.fromEntries(LICENSE_CONTENT.map((field) => [field, text(row[field])]));
  // A license without an owner is the administrator's.
  fields.created_by = text(row.created_by) ?? 'admin';
  return fields;
}

function userFields(row: UserRow): Record<string, string | null> {
  return { email: text(row.email), role: row.role };
}

function compareKeyed<T>(
  subject: ReplicaDifference['subject'],
  primary: ReadonlyMap<string, T>,
  backup: ReadonlyMap<string, T>,
  fields: (row: T) => Record<string, string | null>,
): ReplicaDifference[] {
  const differences: ReplicaDifference[] = [];
  for (const [key, wanted] of primary) {
    const held = backup.get(key);
    if (held === undefined) {
      differences.push({ subject, key, what: 'missing' });
      continue;
    }
    const [a, b] = [fields(wanted), fields(held)];
    for (const field of Object.keys(a)) {
      if (a[field] !== b[field]) differences.push({ subject, key, what: field, detail: `${JSON.stringify(b[field])} on the backup, ${JSON.stringify(a[field])} on the primary` });
    }
  }
  for (const key of backup.keys()) if (!primary.has(key)) differences.push({ subject, key, what: 'backup-only' });
  return differences;
}

/** Users by username (email, role) and licenses by device_id (content and owner). */
export function contentDifferences(primary: Dataset, backup: Dataset): ReplicaDifference[] {
  const users = (data: Dataset) => new Map(data.users.map((user) => [user.username, user]));
  const licenses = (data: Dataset) => new Map(data.devices.map((row) => [row.device_id, row]));
  return [...compareKeyed('user', users(primary), users(backup), userFields), ...compareKeyed('license', licenses(primary), licenses(backup), licenseFields)];
}

/**
 * The backup gives the primary's answer: the same allow, and a block where the
 * primary blocks. A primary's `expired` or `pending` may read `blocked` on the
 * backup: the API cannot write dates or `pending`, so blocking is how a
 * backup denies what it cannot copy.
 */
export function sameAnswer(primary: ObservedDecision, backup: ObservedDecision): boolean {
  return primary === backup || ((primary === 'deny:expired' || primary === 'deny:pending') && backup === 'deny:blocked');
}

/** Licenses the primary holds whose `/verify` answer differs on the backup. */
export function decisionDifferences(primary: ReadonlyMap<string, ObservedDecision>, backup: ReadonlyMap<string, ObservedDecision>): ReplicaDifference[] {
  const differences: ReplicaDifference[] = [];
  for (const [key, wanted] of primary) {
    if (wanted === 'unknown') continue;
    const held = backup.get(key) ?? 'unknown';
    if (!sameAnswer(wanted, held)) differences.push({ subject: 'license', key, what: 'decision', detail: `${held} on the backup, ${wanted} on the primary` });
  }
  return differences;
}

/**
 * What no write can repair, so what a correct sync leaves as drift: a user's
 * email and role, and the content of a license the primary denies (an upsert
 * would re-open it). A user only on the backup is not among them: the default
 * round trip gathers it into the primary (users need no base: each side gets
 * the ones it lacks), as a one-way run would not.
 */
export function unrepairable(difference: ReplicaDifference, deniedByPrimary: ReadonlySet<string>): boolean {
  if (difference.subject === 'user') return difference.what === 'email' || difference.what === 'role';
  return (LICENSE_CONTENT as readonly string[]).includes(difference.what) && deniedByPrimary.has(difference.key);
}

/** Keys held more than once in a dump. */
export function duplicateKeys(data: Dataset): string[] {
  const repeated = (keys: readonly string[]) => {
    const seen = new Set<string>();
    return keys.filter((key) => seen.size === seen.add(key).size);
  };
  return [...repeated(data.users.map((user) => `user ${user.username}`)), ...repeated(data.devices.map((row) => `license ${row.device_id}`))];
}
