import { expect } from 'vitest';
import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { WriteEntry } from '../../../src/emulator/write-log.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';

// What the hostile-input tests look at on the servers, without disturbing the
// run under test: observer requests (never faulted, intercepted or counted),
// the write log and the stored rows.

const OBSERVER_HEADER = 'x-emulator-secret';

function observer(server: EmulatorHandle): Record<string, string> {
  return { [OBSERVER_HEADER]: server.emulator.controlSecret };
}

/** What `/verify` tells a client about this license on this server (true: allow), asked as an observer. */
export async function observedAllow(server: EmulatorHandle, deviceId: string): Promise<boolean> {
  const res = await server.request({ path: `/verify?id=${encodeURIComponent(deviceId)}&version=1.0.0`, headers: observer(server) });
  const allow = (res.json as { allow?: unknown } | undefined)?.allow;
  if (typeof allow !== 'boolean') throw new Error(`/verify ${JSON.stringify(deviceId)}: no allow in ${res.status} ${res.text.slice(0, 200)}`);
  return allow;
}

/** The ids among `deviceIds` on which the backup's `/verify` answers otherwise than the primary's. */
export async function allowMismatches(primary: EmulatorHandle, backup: EmulatorHandle, deviceIds: Iterable<string>): Promise<string[]> {
  const mismatches: string[] = [];
  for (const id of deviceIds) {
    const [onPrimary, onBackup] = await Promise.all([observedAllow(primary, id), observedAllow(backup, id)]);
    if (onPrimary !== onBackup) mismatches.push(`${JSON.stringify(id)}: primary allow=${onPrimary}, backup allow=${onBackup}`);
  }
  return mismatches;
}

/** A listing exactly as a client receives it (faults, damage and interceptor included), with a fresh admin login. */
export async function clientListing(server: EmulatorHandle, endpoint: 'devices' | 'users'): Promise<{ text: string; items: Record<string, unknown>[] }> {
  const token = await server.login();
  const res = await server.request({ path: `/admin/${endpoint}`, token });
  expect(res.status).toBe(200);
  const items = (res.json as { items?: unknown } | undefined)?.items;
  return { text: res.text, items: Array.isArray(items) ? (items as Record<string, unknown>[]) : [] };
}

/** The size in bytes of a server's healthy license listing, read as an observer. */
export async function listingBytes(server: EmulatorHandle, endpoint: 'devices' | 'users'): Promise<number> {
  const login = await server.request({ method: 'POST', path: '/admin/login', body: { username: 'admin', password: 'admin123' }, headers: observer(server) });
  const token = (login.json as { token: string }).token;
  const res = await server.request({ path: `/admin/${endpoint}`, token, headers: observer(server), timeoutMs: 120_000 });
  expect(res.status).toBe(200);
  return Buffer.byteLength(res.text);
}

/** The writes the server handled since its statistics were last reset. */
export function writeLog(server: EmulatorHandle): readonly WriteEntry[] {
  return server.emulator.writes().writes;
}

/** The writes that named one of `keys` (device_id or username). */
export function writesTo(server: EmulatorHandle, keys: Iterable<string>): string[] {
  const wanted = new Set(keys);
  return writeLog(server)
    .filter((entry) => entry.key !== null && wanted.has(entry.key))
    .map((entry) => `${entry.route} ${JSON.stringify(entry.key)} (${entry.effect})`);
}

/** The stored license rows by device_id. */
export async function licenseRows(server: EmulatorHandle): Promise<Map<string, DeviceRow>> {
  return new Map((await server.control.state()).devices.map((row) => [row.device_id, row]));
}

/** The stored usernames (resellers only). */
export async function usernames(server: EmulatorHandle): Promise<string[]> {
  return (await server.control.state()).users.map((user) => user.username).sort();
}

/** Routes the servers saw that the contract does not have (unknown paths, wrong methods). */
export async function strayRoutes(...servers: EmulatorHandle[]): Promise<string[]> {
  const stray: string[] = [];
  for (const server of servers) {
    for (const route of Object.keys((await server.control.stats()).requests)) if (/\((not found|method not allowed)\)/.test(route)) stray.push(route);
  }
  return stray;
}
