import type { z } from 'zod';
import type { LicenseRecord, RecordKind, RejectedRecord, Snapshot, UserRecord } from './records.js';
import { licenseRecordSchema, userRecordSchema } from './record-schemas.js';

/**
 * Validates listed records one by one. A record that fails is rejected with the
 * reason, and so is every record sharing a key with another one (the server's
 * keys are unique, so a repeated key means the listing cannot be trusted there).
 */
export function buildSnapshot(userItems: readonly unknown[], licenseItems: readonly unknown[]): Snapshot {
  const rejected: RejectedRecord[] = [];
  const users = readRecords('user', userItems, userRecordSchema, 'username', rejected, (row): UserRecord => ({
    username: row.username,
    email: row.email,
    role: row.role,
  }));
  const licenses = readRecords('license', licenseItems, licenseRecordSchema, 'device_id', rejected, (row): LicenseRecord => {
    const { id: _localId, ...record } = row;
    return record;
  });
  return { users, licenses, rejected };
}

function readRecords<S extends z.ZodType, R>(
  kind: RecordKind,
  items: readonly unknown[],
  schema: S,
  keyField: string,
  rejected: RejectedRecord[],
  toRecord: (row: z.output<S>) => R,
): Map<string, R> {
  const results = items.map((item) => schema.safeParse(item));
  const keys = results.map((result, index) =>
    result.success ? ((result.data as Record<string, unknown>)[keyField] as string) : rawKey(items[index], keyField),
  );
  // A key counts as repeated whether its other copies are readable or not.
  const copies = new Map<string, number>();
  for (const key of keys) if (key !== null) copies.set(key, (copies.get(key) ?? 0) + 1);

  const records = new Map<string, R>();
  results.forEach((result, index) => {
    const key = keys[index] ?? null;
    if (!result.success) {
      rejected.push({ kind, key, index, reason: describeIssues(result.error) });
    } else if (key !== null && (copies.get(key) ?? 0) > 1) {
      rejected.push({ kind, key, index, reason: `${keyField} listed more than once` });
    } else if (key !== null) {
      records.set(key, toRecord(result.data));
    }
  });
  return records;
}

/** The key of a record that failed validation, when one can still be read from it. */
function rawKey(item: unknown, keyField: string): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const value = (item as Record<string, unknown>)[keyField];
  // A key of the wrong type (a number where the contract has a string) says
  // nothing about which record this is: treat it as unknown, the safe side.
  if (typeof value !== 'string') return null;
  return value.trim() || null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
