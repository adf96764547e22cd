import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { allowedLicense } from '../../support/sync-pair.js';

// Listings no real server sends, served by an interceptor in the primary's (or
// backup's) place: rows built here, bodies written byte for byte.

/** A license as `GET /admin/devices` lists it: allowed today, with this row id; override any field. */
export function listedLicense(id: number, deviceId: string, overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { id, ...allowedLicense(deviceId), ...overrides };
}

/** A reseller as `GET /admin/users` lists it; override any field. */
export function listedUser(id: number, username: string, overrides: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { id, username, email: `${username}@revenda.example`, role: 'user', created_at: '2024-01-01 00:00:00', ...overrides };
}

/** The dataset row of a listed license (to load the same license into a server's state). */
export function asDeviceRow(listed: Readonly<Record<string, unknown>>): Omit<DeviceRow, 'id'> {
  const { id: _id, ...row } = listed;
  return row as Omit<DeviceRow, 'id'>;
}

/** The dataset entry (for `datasetOf`) of a listed reseller, with a password of its own. */
export function asUserSpec(listed: Readonly<Record<string, unknown>>): { username: string; password: string; role: 'user'; email: string | null } {
  return { username: String(listed.username), password: 'senha-segura', role: 'user', email: typeof listed.email === 'string' ? listed.email : null };
}

/** `{"items": [...]}` with each record written as given (a string is inserted verbatim). */
export function listingBody(records: readonly (Readonly<Record<string, unknown>> | string)[]): string {
  return `{"items": [${records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join(', ')}]}`;
}

/** The JSON text of `record` with one more member (repeated or not) written right after its opening brace. */
export function withMemberFirst(record: Readonly<Record<string, unknown>>, name: string, value: unknown): string {
  return `{${JSON.stringify(name)}: ${JSON.stringify(value)}, ${JSON.stringify(record).slice(1)}`;
}

export interface ServedListings {
  /** The body answered (status 200, JSON) for `GET /admin/devices`; the server's own when absent. */
  readonly devices?: string;
  readonly users?: string;
}

/** Makes `server` answer its listings with these bodies, every time, until `server.emulator.intercept(null)`. */
export function serveListings(server: EmulatorHandle, served: ServedListings): void {
  server.emulator.intercept((request) => {
    if (request.route === 'GET /admin/devices' && served.devices !== undefined) return { status: 200, body: served.devices };
    if (request.route === 'GET /admin/users' && served.users !== undefined) return { status: 200, body: served.users };
    return undefined;
  });
}
