import type { CalendarDate } from '../domain/calendar-date.js';
import type { LicenseStatus } from '../domain/decision.js';
import type { LicenseType } from '../domain/license-type.js';

// Records as the sync sees them: validated and normalised (strings stripped as the server's Python strips them,
// empty string read as null, a license's null created_by read as "admin").

export const USER_ROLES = ['admin', 'user'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserRecord {
  readonly username: string;
  readonly email: string | null;
  readonly role: UserRole;
}

/** The fields the upsert writes from its body: what replication copies. */
export const LICENSE_CONTENT_FIELDS = ['owner_name', 'cpf', 'email', 'address', 'license_type'] as const;
export type LicenseContentField = (typeof LICENSE_CONTENT_FIELDS)[number];

export interface LicenseContent {
  readonly owner_name: string | null;
  readonly cpf: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly license_type: LicenseType;
}

export interface LicenseRecord extends LicenseContent {
  readonly device_id: string;
  readonly status: LicenseStatus;
  readonly start_date: CalendarDate | null;
  readonly end_date: CalendarDate | null;
  readonly custom_interval: number | null;
  readonly features: string | null;
  readonly last_seen_at: string | null;
  readonly last_seen_ip: string | null;
  readonly last_hostname: string | null;
  readonly last_version: string | null;
  readonly created_by: string;
}

export const TELEMETRY_FIELDS = ['last_seen_at', 'last_seen_ip', 'last_hostname', 'last_version'] as const;

export type RecordKind = 'user' | 'license';

/** A listed record the sync could not use. Its key, when known, is left alone on every server. */
export interface RejectedRecord {
  readonly kind: RecordKind;
  /** The username or device_id, when the record has a readable one. */
  readonly key: string | null;
  /** Position in the listing (0-based), to find it in the server's answer. */
  readonly index: number;
  readonly reason: string;
}

/** One server's users and licenses, as read at one moment. */
export interface Snapshot {
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly licenses: ReadonlyMap<string, LicenseRecord>;
  readonly rejected: readonly RejectedRecord[];
}
