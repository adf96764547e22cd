import { expect } from 'vitest';
import type { Dataset, DeviceRow, UserRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { JsonOperation, JsonReport } from '../../../src/report/json-report.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { verifyAllow } from './e2e-helpers.js';

// Helpers for reading a JSON report and looking rows up in an emulator's state.

export type { JsonOperation, JsonReport };

/** The planned operations on one key (`license:<id>` or `user:<name>`). */
export function plannedFor(report: JsonReport, key: string): JsonOperation[] {
  expect(report.plan, `the run planned (verdict: ${report.verdict})`).not.toBeNull();
  return (report.plan?.operations ?? []).filter((operation) => operation.key === key);
}

/** The kinds of every planned operation, in plan order. */
export function plannedKinds(report: JsonReport): string[] {
  return (report.plan?.operations ?? []).map((operation) => operation.kind);
}

/** How many planned operations there are of each kind. */
export function countKinds(operations: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind } of operations) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** The license row with this device_id in the server's current state, or undefined. */
export async function stateLicense(server: EmulatorHandle, deviceId: string): Promise<DeviceRow | undefined> {
  return (await server.control.state()).devices.find((row) => row.device_id === deviceId);
}

/** Like `stateLicense`, failing when the row is absent. */
export async function requireLicense(server: EmulatorHandle, deviceId: string): Promise<DeviceRow> {
  const row = await stateLicense(server, deviceId);
  if (!row) throw new Error(`license ${deviceId} is not on ${server.url}`);
  return row;
}

export async function stateUser(server: EmulatorHandle, username: string): Promise<UserRow | undefined> {
  return (await server.control.state()).users.find((row) => row.username === username);
}

/** The replicable content of a license row: what an upsert writes. */
export function contentOf(row: DeviceRow): Pick<DeviceRow, 'owner_name' | 'cpf' | 'email' | 'address' | 'license_type'> {
  return { owner_name: row.owner_name, cpf: row.cpf, email: row.email, address: row.address, license_type: row.license_type };
}

/** Requests per route the server received since its statistics were reset. */
export async function requestsOf(server: EmulatorHandle): Promise<Record<string, number>> {
  return (await server.control.stats()).requests;
}

/** Rows of a dataset sorted by key, so that two states can be compared regardless of ids and order. */
export function sortedState(dataset: Dataset): { users: Omit<UserRow, 'id'>[]; devices: Omit<DeviceRow, 'id'>[] } {
  const users = dataset.users.map(({ id: _id, ...row }) => row).sort((a, b) => a.username.localeCompare(b.username));
  const devices = dataset.devices.map(({ id: _id, ...row }) => row).sort((a, b) => a.device_id.localeCompare(b.device_id));
  return { users, devices };
}

/** `/verify`'s allow value for each device_id, asked a few at a time. */
export async function allowMap(server: EmulatorHandle, deviceIds: readonly string[], parallel = 20): Promise<Map<string, boolean>> {
  const answers = new Map<string, boolean>();
  for (let start = 0; start < deviceIds.length; start += parallel) {
    const batch = deviceIds.slice(start, start + parallel);
    const allows = await Promise.all(batch.map((deviceId) => verifyAllow(server, deviceId)));
    batch.forEach((deviceId, index) => answers.set(deviceId, allows[index] as boolean));
  }
  return answers;
}

/** The device_ids whose allow value differs between two maps (a missing entry counts as a difference). */
export function disagreements(expected: ReadonlyMap<string, boolean>, actual: ReadonlyMap<string, boolean>): string[] {
  return [...expected].filter(([deviceId, allow]) => actual.get(deviceId) !== allow).map(([deviceId, allow]) => `${deviceId}: primary ${allow}, backup ${String(actual.get(deviceId))}`);
}
