import { licenseEndDate, type CalendarDate } from '../../../src/domain/calendar-date.js';
import type { UpsertBody } from '../../../src/domain/upsert-body.js';
import type { Operation } from '../../../src/plan/operation.js';
import type { LicenseRecord, Snapshot, UserRecord } from '../../../src/snapshot/records.js';

/** A call the real server would refuse (404 on a missing license, 400 on an existing user). */
export class RefusedByServer extends Error {}

/**
 * A model of a backup server: applies each operation exactly as the contract
 * says the server would, and returns the listing it would then give.
 */
export function applyPlan(backup: Snapshot, operations: readonly Operation[], today: CalendarDate): Snapshot {
  const users = new Map<string, UserRecord>(backup.users);
  const licenses = new Map<string, LicenseRecord>(backup.licenses);

  const existing = (deviceId: string): LicenseRecord => {
    const license = licenses.get(deviceId);
    if (license === undefined) throw new RefusedByServer(`404: no license ${deviceId}`);
    return license;
  };
  const setStatus = (deviceId: string, status: LicenseRecord['status']): void => {
    licenses.set(deviceId, { ...existing(deviceId), status });
  };

  for (const operation of operations) {
    switch (operation.kind) {
      case 'create-user':
        if (users.has(operation.username)) throw new RefusedByServer(`400: user ${operation.username} already exists`);
        users.set(operation.username, { username: operation.username, email: operation.email, role: operation.role });
        break;
      case 'create-license':
        licenses.set(operation.body.device_id, upsert(licenses.get(operation.body.device_id), operation.body, today));
        if (operation.thenBlock !== null) setStatus(operation.body.device_id, 'blocked');
        break;
      case 'update-license':
        licenses.set(operation.body.device_id, upsert(licenses.get(operation.body.device_id), operation.body, today));
        break;
      case 'update-created-by':
        licenses.set(operation.deviceId, { ...existing(operation.deviceId), created_by: operation.createdBy });
        break;
      case 'block':
        setStatus(operation.deviceId, 'blocked');
        break;
      case 'activate':
        setStatus(operation.deviceId, 'active');
        break;
      case 'delete-license':
        existing(operation.deviceId);
        licenses.delete(operation.deviceId);
        break;
    }
  }
  // The plan never touches a rejected record: it is still listed, still unreadable.
  return { users, licenses, rejected: backup.rejected };
}

/**
 * `POST /admin/devices/create`: inserts a new license, or overwrites an existing
 * one (content and owner from the body, status forced to active, re-dated from
 * today; custom_interval, features and telemetry kept).
 */
function upsert(previous: LicenseRecord | undefined, body: UpsertBody, today: CalendarDate): LicenseRecord {
  const written = {
    device_id: body.device_id,
    owner_name: body.owner_name,
    cpf: body.cpf,
    email: body.email,
    address: body.address,
    license_type: body.license_type,
    created_by: body.created_by,
    status: 'active' as const,
    start_date: today,
    end_date: licenseEndDate(body.license_type, today),
  };
  if (previous !== undefined) return { ...previous, ...written };
  return {
    ...written,
    custom_interval: 60,
    features: 'core',
    last_seen_at: null,
    last_seen_ip: null,
    last_hostname: null,
    last_version: null,
  };
}
