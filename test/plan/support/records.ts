import type { Operation } from '../../../src/plan/operation.js';
import { addDays, addMonths, type CalendarDate } from '../../../src/domain/calendar-date.js';
import type { LicenseRecord, RejectedRecord, Snapshot, UserRecord } from '../../../src/snapshot/records.js';

/** The fixed day every example plans on. Other dates are written relative to it. */
export const TODAY: CalendarDate = '2025-06-15';

export function daysFromToday(days: number, today: CalendarDate = TODAY): CalendarDate {
  return addDays(today, days);
}

/** A normalised license that the primary allows today: active, anual, running until a year from its start. */
export function aLicense(overrides: Partial<LicenseRecord> = {}): LicenseRecord {
  const start = daysFromToday(-30);
  return {
    device_id: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
    owner_name: 'Ana Souza',
    cpf: '123.456.789-09',
    email: 'ana@example.com',
    address: 'Rua das Flores, 10, Centro',
    license_type: 'anual',
    status: 'active',
    start_date: start,
    end_date: addMonths(start, 12),
    custom_interval: 60,
    features: 'core',
    last_seen_at: null,
    last_seen_ip: null,
    last_hostname: null,
    last_version: null,
    created_by: 'admin',
    ...overrides,
  };
}

export function aUser(overrides: Partial<UserRecord> = {}): UserRecord {
  return { username: 'maria', email: 'maria@example.com', role: 'user', ...overrides };
}

export function aRejected(overrides: Partial<RejectedRecord> & Pick<RejectedRecord, 'kind'>): RejectedRecord {
  return { key: null, index: 0, reason: 'status: required', ...overrides };
}

export interface SnapshotParts {
  readonly users?: readonly UserRecord[];
  readonly licenses?: readonly LicenseRecord[];
  readonly rejected?: readonly RejectedRecord[];
}

export function snapshotOf(parts: SnapshotParts = {}): Snapshot {
  return {
    users: new Map((parts.users ?? []).map((user) => [user.username, user])),
    licenses: new Map((parts.licenses ?? []).map((license) => [license.device_id, license])),
    rejected: [...(parts.rejected ?? [])],
  };
}

/** A license row as `GET /admin/devices` lists it (not normalised, with its local row id). */
export function aLicenseRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { device_id, ...fields } = aLicense();
  return {
    id: 7,
    device_id,
    ...fields,
    last_seen_at: '2025-06-14 10:00:00',
    last_seen_ip: '200.1.2.3',
    last_hostname: 'CAIXA-01',
    last_version: '2.4.1',
    ...overrides,
  };
}

/** A user row as `GET /admin/users` lists it. */
export function aUserRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 3, username: 'maria', email: 'maria@example.com', role: 'user', created_at: '2025-01-02 03:04:05', ...overrides };
}

/** The license or user an operation is about: its device_id or username. */
export function subjectOf(operation: Operation): string {
  switch (operation.kind) {
    case 'create-user':
      return operation.username;
    case 'create-license':
    case 'update-license':
      return operation.body.device_id;
    default:
      return operation.deviceId;
  }
}
