import type { z } from 'zod';
import { t } from '../i18n/i18n.js';
import { isCalendarDate } from '../domain/calendar-date.js';
import { checkKey, type KeyField } from './record-key.js';
import type { LicenseRecord, UserRecord } from './records.js';
import { issueText } from './issue-text.js';
import { licenseRowSchema, userRowSchema, type LicenseRow } from './record-schemas.js';
import { quotedName, RecordWithRepeatedFields, timesText } from './repeated-fields.js';
import { stripLikeServer } from '../domain/server-strip.js';

/** A listed record read into its normalised form, or why it could not be. */
export type ReadResult<R> = { readonly ok: true; readonly key: string; readonly record: R } | { readonly ok: false; readonly key: string | null; readonly reason: string };

/** Stripped as Python strips, and the empty string read as null, as the server stores strings. */
function text(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = stripLikeServer(value);
  return trimmed === '' ? null : trimmed;
}

export function readUser(item: unknown): ReadResult<UserRecord> {
  if (item instanceof RecordWithRepeatedFields) return repeatedFields(item, 'username');
  const parsed = userRowSchema.safeParse(item, { error: issueText });
  if (!parsed.success) return { ok: false, key: rawKey(item, 'username'), reason: describeIssues(parsed.error) };
  const key = checkKey('username', parsed.data.username);
  if (!key.ok) return key;
  return { ok: true, key: key.key, record: { username: key.key, email: text(parsed.data.email), role: parsed.data.role } };
}

export function readLicense(item: unknown): ReadResult<LicenseRecord> {
  if (item instanceof RecordWithRepeatedFields) return repeatedFields(item, 'device_id');
  const parsed = licenseRowSchema.safeParse(item, { error: issueText });
  if (!parsed.success) return { ok: false, key: rawKey(item, 'device_id'), reason: describeIssues(parsed.error) };
  const row = parsed.data;
  const key = checkKey('device_id', row.device_id);
  if (!key.ok) return key;
  const deviceId = key.key;
  const badDate = badDateField(row);
  if (badDate !== null) return { ok: false, key: deviceId, reason: t('snapshot:field.notADate', { field: badDate }) };
  return {
    ok: true,
    key: deviceId,
    record: {
      device_id: deviceId,
      owner_name: text(row.owner_name),
      cpf: text(row.cpf),
      email: text(row.email),
      address: text(row.address),
      license_type: row.license_type,
      status: row.status,
      start_date: row.start_date,
      end_date: row.end_date,
      custom_interval: row.custom_interval,
      features: text(row.features),
      last_seen_at: text(row.last_seen_at),
      last_seen_ip: text(row.last_seen_ip),
      last_hostname: text(row.last_hostname),
      last_version: text(row.last_version),
      created_by: text(row.created_by) ?? 'admin',
    },
  };
}

/** JSON.parse kept one copy of a repeated field silently: the record cannot be believed, and is keyed only by a key that is not repeated. */
function repeatedFields(item: RecordWithRepeatedFields, keyField: KeyField): ReadResult<never> {
  const keyRepeated = item.repeated.some((field) => field.name === keyField);
  const reason = item.repeated.map((field) => t('snapshot:field.repeated', { name: quotedName(field.name), times: timesText(field.count) })).join('; ');
  return { ok: false, key: keyRepeated ? null : rawKey(item.value, keyField), reason };
}

function badDateField(row: LicenseRow): 'start_date' | 'end_date' | null {
  if (row.start_date !== null && !isCalendarDate(row.start_date)) return 'start_date';
  if (row.end_date !== null && !isCalendarDate(row.end_date)) return 'end_date';
  return null;
}

/** The key of a record that failed validation, when one can still be read from it. */
function rawKey(item: unknown, keyField: KeyField): string | null {
  if (typeof item !== 'object' || item === null || !Object.hasOwn(item, keyField)) return null;
  const value = (item as Record<string, unknown>)[keyField];
  // A key of the wrong type (a number where the contract has a string) says
  // nothing about which record this is: treat it as unknown, the safe side.
  if (typeof value !== 'string') return null;
  return checkKey(keyField, value).key;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
