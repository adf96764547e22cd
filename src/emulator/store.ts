import { licenseEndDate, type CalendarDate } from '../domain/calendar-date.js';
import type { LicenseType } from '../domain/license-type.js';
import { precomputeRowEncoding } from './flask-json.js';
import { hashPassword } from './password-hash.js';
import { DATASET_FORMAT, type AdminUser, type Dataset, type DeviceRow, type UserRow } from './dataset/dataset-file.js';
import type { Role } from './tokens.js';

export type LicenseStatus = DeviceRow['status'];

/** The customer fields an upsert writes; `null` where the request gave none. */
export interface LicenseContent {
  readonly owner_name: string | null;
  readonly cpf: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly license_type: LicenseType;
}

export interface Account {
  readonly role: Role;
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
}

export interface Telemetry {
  readonly last_seen_at: string;
  readonly last_seen_ip: string | null;
  readonly last_hostname: string | null;
  readonly last_version: string | null;
}

// Rows are frozen and replaced on every change (the listing encoder caches by
// identity). Keys are created in alphabetical order, as Flask sorts them.
function deviceRow(row: DeviceRow): Readonly<DeviceRow> {
  const frozen = Object.freeze({
    address: row.address,
    cpf: row.cpf,
    created_by: row.created_by,
    custom_interval: row.custom_interval,
    device_id: row.device_id,
    email: row.email,
    end_date: row.end_date,
    features: row.features,
    id: row.id,
    last_hostname: row.last_hostname,
    last_seen_at: row.last_seen_at,
    last_seen_ip: row.last_seen_ip,
    last_version: row.last_version,
    license_type: row.license_type,
    owner_name: row.owner_name,
    start_date: row.start_date,
    status: row.status,
  });
  precomputeRowEncoding(frozen);
  return frozen;
}

type PublicUser = Omit<UserRow, 'password_hash'>;

function publicUser(row: UserRow): Readonly<PublicUser> {
  return Object.freeze({ created_at: row.created_at, email: row.email, id: row.id, role: row.role, username: row.username });
}

/** The two account tables and the `devices` table of one license server, in memory. */
export class EmulatorStore {
  private readonly adminUsers = new Map<string, AdminUser>();
  private readonly users = new Map<string, { row: UserRow; listed: Readonly<PublicUser> }>();
  // Map order is insertion order, which is id order: listing newest first is a reverse walk.
  private readonly devices = new Map<string, Readonly<DeviceRow>>();
  private nextUserId = 1;
  private nextDeviceId = 1;

  /** A fresh server: only the seeded administrator `admin` / `admin123`, who must change the password. */
  static fresh(): EmulatorStore {
    const store = new EmulatorStore();
    store.adminUsers.set('admin', { username: 'admin', password_hash: hashPassword('admin123'), must_change_password: true });
    return store;
  }

  static fromDataset(dataset: Dataset): EmulatorStore {
    const store = new EmulatorStore();
    for (const admin of dataset.admin_users) store.adminUsers.set(admin.username, { ...admin });
    for (const user of [...dataset.users].sort((a, b) => a.id - b.id)) {
      store.users.set(user.username, { row: { ...user }, listed: publicUser(user) });
      store.nextUserId = Math.max(store.nextUserId, user.id + 1);
    }
    for (const device of [...dataset.devices].sort((a, b) => a.id - b.id)) {
      store.devices.set(device.device_id, deviceRow(device));
      store.nextDeviceId = Math.max(store.nextDeviceId, device.id + 1);
    }
    return store;
  }

  toDataset(): Dataset {
    return {
      format: DATASET_FORMAT,
      admin_users: [...this.adminUsers.values()].map((admin) => ({ ...admin })),
      users: [...this.users.values()].map(({ row }) => ({ ...row })),
      devices: [...this.devices.values()].map((device) => ({ ...device })),
    };
  }

  counts(): { adminUsers: number; users: number; devices: number } {
    return { adminUsers: this.adminUsers.size, users: this.users.size, devices: this.devices.size };
  }

  /** Panel administrators are checked first, as the real server does. */
  findAccount(username: string): Account | undefined {
    const admin = this.adminUsers.get(username);
    if (admin) return { role: 'admin', passwordHash: admin.password_hash, mustChangePassword: admin.must_change_password };
    const user = this.users.get(username);
    if (user) return { role: user.row.role, passwordHash: user.row.password_hash, mustChangePassword: false };
    return undefined;
  }

  usernameTaken(username: string): boolean {
    return this.adminUsers.has(username) || this.users.has(username);
  }

  listUsers(): Readonly<PublicUser>[] {
    return [...this.users.values()].map((user) => user.listed).reverse();
  }

  createUser(fields: { username: string; password: string; email: string | null; role: Role }, createdAt: string): UserRow {
    const row: UserRow = {
      id: this.nextUserId++,
      username: fields.username,
      email: fields.email,
      role: fields.role,
      created_at: createdAt,
      password_hash: hashPassword(fields.password),
    };
    this.users.set(row.username, { row, listed: publicUser(row) });
    return row;
  }

  /** Newest first; with `createdBy`, only that reseller's licenses. */
  listDevices(createdBy?: string): Readonly<DeviceRow>[] {
    const all = [...this.devices.values()].reverse();
    return createdBy === undefined ? all : all.filter((device) => device.created_by === createdBy);
  }

  getDevice(deviceId: string): Readonly<DeviceRow> | undefined {
    return this.devices.get(deviceId);
  }

  /**
   * `POST /admin/devices/create`: inserts, or overwrites an existing license,
   * forcing it active and re-dating it from `today` either way.
   */
  upsertDevice(deviceId: string, content: LicenseContent, createdBy: string, today: CalendarDate): Readonly<DeviceRow> {
    const existing = this.devices.get(deviceId);
    const dates = { start_date: today, end_date: licenseEndDate(content.license_type, today) };
    const row = existing
      ? deviceRow({ ...existing, ...content, ...dates, status: 'active', created_by: createdBy })
      : deviceRow({
          id: this.nextDeviceId++,
          device_id: deviceId,
          ...content,
          ...dates,
          status: 'active',
          custom_interval: 60,
          features: 'core',
          last_seen_at: null,
          last_seen_ip: null,
          last_hostname: null,
          last_version: null,
          created_by: createdBy,
        });
    this.devices.set(deviceId, row);
    return row;
  }

  private replaceDevice(deviceId: string, change: Partial<DeviceRow>): Readonly<DeviceRow> | undefined {
    const existing = this.devices.get(deviceId);
    if (!existing) return undefined;
    const row = deviceRow({ ...existing, ...change });
    this.devices.set(deviceId, row);
    return row;
  }

  setStatus(deviceId: string, status: LicenseStatus): Readonly<DeviceRow> | undefined {
    return this.replaceDevice(deviceId, { status });
  }

  setCreatedBy(deviceId: string, createdBy: string): Readonly<DeviceRow> | undefined {
    return this.replaceDevice(deviceId, { created_by: createdBy });
  }

  recordTelemetry(deviceId: string, telemetry: Telemetry): Readonly<DeviceRow> | undefined {
    return this.replaceDevice(deviceId, telemetry);
  }

  deleteDevice(deviceId: string): boolean {
    return this.devices.delete(deviceId);
  }
}
