import { LICENSE_CONTENT_FIELDS, TELEMETRY_FIELDS, type LicenseContentField, type LicenseRecord } from '../snapshot/records.js';

/** The content fields (what the upsert writes) whose values differ. */
export function contentDifferences(primary: LicenseRecord, backup: LicenseRecord): LicenseContentField[] {
  return LICENSE_CONTENT_FIELDS.filter((field) => primary[field] !== backup[field]);
}

export function datesDiffer(primary: LicenseRecord, backup: LicenseRecord): boolean {
  return primary.start_date !== backup.start_date || primary.end_date !== backup.end_date;
}

export function telemetryDiffers(primary: LicenseRecord, backup: LicenseRecord): boolean {
  return TELEMETRY_FIELDS.some((field) => primary[field] !== backup[field]);
}
