import { t } from '../i18n/i18n.js';
import type { LicenseRecord, RecordKind, RejectedRecord, Snapshot, UserRecord } from './records.js';
import { readLicense, readUser, type ReadResult } from './read-record.js';

/**
 * Validates listed records one by one. A record that fails is rejected with the
 * reason, and so is every record sharing a key with another one (the server's
 * keys are unique, so a repeated key means the listing cannot be trusted there).
 */
export function buildSnapshot(userItems: readonly unknown[], licenseItems: readonly unknown[]): Snapshot {
  const rejected: RejectedRecord[] = [];
  const users = readRecords<UserRecord>('user', userItems.map(readUser), 'username', rejected);
  const licenses = readRecords<LicenseRecord>('license', licenseItems.map(readLicense), 'device_id', rejected);
  return { users, licenses, rejected };
}

function readRecords<R>(kind: RecordKind, results: readonly ReadResult<R>[], keyField: string, rejected: RejectedRecord[]): Map<string, R> {
  // A key counts as repeated whether its other copies are readable or not.
  const copies = new Map<string, number>();
  for (const { key } of results) if (key !== null) copies.set(key, (copies.get(key) ?? 0) + 1);

  const records = new Map<string, R>();
  results.forEach((result, index) => {
    if (!result.ok) {
      rejected.push({ kind, key: result.key, index, reason: result.reason });
    } else if ((copies.get(result.key) ?? 0) > 1) {
      rejected.push({ kind, key: result.key, index, reason: t('snapshot:key.listedTwice', { field: keyField }) });
    } else {
      records.set(result.key, result.record);
    }
  });
  return records;
}
