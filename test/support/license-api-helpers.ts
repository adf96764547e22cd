// Helpers for the emulator's contract tests (test/emulator/contract/): thin
// wrappers over raw HTTP calls to the license API, plus builders for datasets
// loaded through the control endpoint. They assert only the shape they rely on.
import { expect } from 'vitest';
import type { Dataset, DeviceRow, UserRow } from '../../src/emulator/dataset/dataset-file.js';
import { hashPassword } from '../../src/emulator/password-hash.js';
import { EmulatorStore } from '../../src/emulator/store.js';
import type { EmulatorHandle } from './emulator-fixture.js';
import type { RawResponse } from './raw-http.js';

/** A license as `GET /admin/devices` lists it. */
export type License = DeviceRow;

/** A reseller as `GET /admin/users` lists it. */
export type ListedUser = Omit<UserRow, 'password_hash'>;

/** The fields of a license, per the contract's table. */
export const LICENSE_FIELDS = [
  'id',
  'device_id',
  'owner_name',
  'cpf',
  'email',
  'address',
  'license_type',
  'status',
  'start_date',
  'end_date',
  'custom_interval',
  'features',
  'last_seen_at',
  'last_seen_ip',
  'last_hostname',
  'last_version',
  'created_by',
] as const;

export const USER_FIELDS = ['id', 'username', 'email', 'role', 'created_at'] as const;

let counter = 0;

/** A device_id (or username) no other test in the run uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** The path of a per-license call, the device_id percent-encoded as a client must. */
export function licensePath(deviceId: string, action: 'deactivate' | 'delete'): string {
  return `/admin/devices/${encodeURIComponent(deviceId)}/${action}`;
}

function itemsOf<T>(res: RawResponse, what: string): T[] {
  expect(res.status, `${what}: ${res.text}`).toBe(200);
  const body = res.json as { items?: unknown } | undefined;
  expect(Array.isArray(body?.items), `${what} answers {"items": [...]}`).toBe(true);
  return (body as { items: T[] }).items;
}

export async function listLicenses(h: EmulatorHandle, token: string): Promise<License[]> {
  return itemsOf<License>(await h.request({ path: '/admin/devices', token }), 'GET /admin/devices');
}

export async function listUsers(h: EmulatorHandle, token: string): Promise<ListedUser[]> {
  return itemsOf<ListedUser>(await h.request({ path: '/admin/users', token }), 'GET /admin/users');
}

/** The listed license with this device_id, or undefined. */
export async function findLicense(h: EmulatorHandle, token: string, deviceId: string): Promise<License | undefined> {
  return (await listLicenses(h, token)).find((license) => license.device_id === deviceId);
}

/** Like `findLicense`, but fails the test when the license is not listed. */
export async function getLicense(h: EmulatorHandle, token: string, deviceId: string): Promise<License> {
  const license = await findLicense(h, token, deviceId);
  if (!license) throw new Error(`license ${JSON.stringify(deviceId)} is not listed`);
  return license;
}

export function upsert(h: EmulatorHandle, token: string, body: Record<string, unknown>): Promise<RawResponse> {
  return h.request({ method: 'POST', path: '/admin/devices/create', token, body });
}

/** Upserts and fails the test unless the answer is a 201. */
export async function upsertOk(h: EmulatorHandle, token: string, body: Record<string, unknown>): Promise<void> {
  const res = await upsert(h, token, body);
  expect(res.status, `upsert ${JSON.stringify(body)}: ${res.text}`).toBe(201);
}

export function createUser(h: EmulatorHandle, token: string, body: Record<string, unknown>): Promise<RawResponse> {
  return h.request({ method: 'POST', path: '/admin/users/create', token, body });
}

/** Creates a reseller and fails the test unless the answer is a 201. */
export async function createUserOk(h: EmulatorHandle, token: string, body: Record<string, unknown>): Promise<void> {
  const res = await createUser(h, token, body);
  expect(res.status, `create user ${JSON.stringify(body)}: ${res.text}`).toBe(201);
}

export function deactivate(h: EmulatorHandle, token: string, deviceId: string, body?: Record<string, unknown>): Promise<RawResponse> {
  return h.request({ method: 'POST', path: licensePath(deviceId, 'deactivate'), token, ...(body === undefined ? {} : { body }) });
}

export function deleteLicense(h: EmulatorHandle, token: string, deviceId: string): Promise<RawResponse> {
  return h.request({ method: 'DELETE', path: licensePath(deviceId, 'delete'), token });
}

export function updateCreatedBy(h: EmulatorHandle, token: string, body: Record<string, unknown>): Promise<RawResponse> {
  return h.request({ method: 'POST', path: '/admin/devices/update-created-by', token, body });
}

export function verify(h: EmulatorHandle, deviceId: string, version = '1.0.0'): Promise<RawResponse> {
  const query = new URLSearchParams({ id: deviceId, version, ts: '20250131120000' });
  return h.request({ path: `/verify?${query.toString()}` });
}

/** A copy of a row without the named fields, to compare everything else. */
export function without<T extends object, K extends keyof T>(row: T, ...fields: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...row };
  for (const field of fields) delete copy[field];
  return copy as Omit<T, K>;
}

/** A fresh server's data: the seeded administrator only. */
export function freshDataset(): Dataset {
  return EmulatorStore.fresh().toDataset();
}

/** A license row for a dataset; every field can be overridden. */
export function datasetLicense(overrides: Partial<DeviceRow> & Pick<DeviceRow, 'id' | 'device_id'>): DeviceRow {
  return {
    owner_name: null,
    cpf: null,
    email: null,
    address: null,
    license_type: 'anual',
    status: 'active',
    start_date: '2024-06-01',
    end_date: '2025-06-01',
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

/** A reseller row for a dataset, with `password` hashed. */
export function datasetUser(fields: { id: number; username: string; password: string; role: UserRow['role']; email?: string | null }): UserRow {
  return {
    id: fields.id,
    username: fields.username,
    email: fields.email ?? null,
    role: fields.role,
    created_at: '2024-01-01 00:00:00',
    password_hash: hashPassword(fields.password),
  };
}
