import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { JsonConflict, JsonOperation, JsonReport } from '../../../src/report/json-report.js';
import type { CliOptions } from '../../support/cli-process.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { createUserOk, deactivate, deleteLicense, getLicense, updateCreatedBy, upsertOk } from '../../support/license-api-helpers.js';
import type { ServerGroup } from '../../support/server-group.js';
import type { JsonRun } from './e2e-helpers.js';
import { allowMap, contentOf } from './report.js';

// Helpers for the end-to-end tests of several backups and two-way runs: run
// the CLI against a server group, change a server the way a reseller does
// (through its API, as admin), compare two servers license by license, and
// read what a run left in the state database.

export type { JsonConflict, JsonOperation, JsonReport };

/** Runs the CLI against the group with `--json` and parses its report. */
export async function runGroupJson(group: ServerGroup, args: readonly string[] = [], options: CliOptions = {}): Promise<JsonRun> {
  const run = await group.cli(['--json', ...args], options);
  return { run, report: run.json<JsonReport>(), exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
}

/** The replicable content a test edits: anything left out keeps the license's current value. */
export type LicenseEdit = Partial<Pick<DeviceRow, 'owner_name' | 'cpf' | 'email' | 'address' | 'license_type' | 'created_by'>>;

/** A server's panel, logged in as admin: the calls a reseller or an administrator makes by hand. */
export interface AdminPanel {
  /** Registers a new license (an upsert: active, dated from today). */
  create(deviceId: string, fields?: LicenseEdit): Promise<void>;
  /** Edits a license the way the panel does: an upsert of its current content with `changes` (re-dates and re-activates it). */
  edit(deviceId: string, changes: LicenseEdit): Promise<void>;
  block(deviceId: string): Promise<void>;
  activate(deviceId: string): Promise<void>;
  /** Gives the license to another reseller (update-created-by). */
  reown(deviceId: string, createdBy: string): Promise<void>;
  remove(deviceId: string): Promise<void>;
  createReseller(username: string, options?: { readonly email?: string | null; readonly role?: 'admin' | 'user' }): Promise<void>;
}

/** Logs into the server as the panel administrator `admin` (with `password`, admin123 unless given). */
export async function adminPanel(server: EmulatorHandle, password?: string): Promise<AdminPanel> {
  const token = await server.login('admin', password);
  const upsertBody = (deviceId: string, row: LicenseEdit & Pick<DeviceRow, 'license_type'>) => ({
    device_id: deviceId,
    owner_name: row.owner_name ?? null,
    cpf: row.cpf ?? null,
    email: row.email ?? null,
    address: row.address ?? null,
    license_type: row.license_type,
    created_by: row.created_by ?? 'admin',
  });
  const ok = async (what: string, answer: Promise<{ status: number; text: string }>) => {
    const res = await answer;
    expect(res.status, `${what} on ${server.url}: ${res.text}`).toBe(200);
  };
  return {
    create: (deviceId, fields = {}) =>
      upsertOk(
        server,
        token,
        upsertBody(deviceId, {
          owner_name: `Owner of ${deviceId}`,
          cpf: '52998224725',
          email: `${deviceId.toLowerCase()}@example.com`,
          address: 'Rua B, 2, Boa Vista, Recife',
          license_type: 'anual',
          ...fields,
        }),
      ),
    edit: async (deviceId, changes) => {
      const current = await getLicense(server, token, deviceId);
      await upsertOk(server, token, upsertBody(deviceId, { ...contentOf(current), created_by: current.created_by ?? 'admin', ...changes }));
    },
    block: (deviceId) => ok(`block ${deviceId}`, deactivate(server, token, deviceId, { action: 'block' })),
    activate: (deviceId) => ok(`activate ${deviceId}`, deactivate(server, token, deviceId, { action: 'activate' })),
    reown: (deviceId, createdBy) => ok(`re-own ${deviceId}`, updateCreatedBy(server, token, { device_id: deviceId, created_by: createdBy })),
    remove: (deviceId) => ok(`delete ${deviceId}`, deleteLicense(server, token, deviceId)),
    createReseller: (username, options = {}) =>
      createUserOk(server, token, { username, password: `pw-${username}-123`, email: options.email ?? `${username}@revenda.com.br`, role: options.role ?? 'user' }),
  };
}

/** What a license's status means to a client: `open` (active) or `held` (blocked or pending; both deny). */
export function statusClass(status: DeviceRow['status']): 'open' | 'held' {
  return status === 'active' ? 'open' : 'held';
}

/** The license rows of a server by device_id. */
export async function licensesOn(server: EmulatorHandle): Promise<Map<string, DeviceRow>> {
  return new Map((await server.control.state()).devices.map((row) => [row.device_id, row]));
}

/**
 * Where two servers disagree on what a sync replicates, license by license
 * over the union of their device_ids: presence, content, created_by and
 * status class. Empty when they hold the same work.
 */
export async function sideDifferences(a: EmulatorHandle, b: EmulatorHandle, names: readonly [string, string] = ['primary', 'peer']): Promise<string[]> {
  const [rowsA, rowsB] = await Promise.all([licensesOn(a), licensesOn(b)]);
  const differences: string[] = [];
  for (const deviceId of [...new Set([...rowsA.keys(), ...rowsB.keys()])].sort()) {
    const rowA = rowsA.get(deviceId);
    const rowB = rowsB.get(deviceId);
    if (rowA === undefined || rowB === undefined) {
      differences.push(`${deviceId}: only on ${rowA === undefined ? names[1] : names[0]}`);
      continue;
    }
    if (JSON.stringify(contentOf(rowA)) !== JSON.stringify(contentOf(rowB))) {
      differences.push(`${deviceId}: content ${JSON.stringify(contentOf(rowA))} on ${names[0]}, ${JSON.stringify(contentOf(rowB))} on ${names[1]}`);
    }
    if ((rowA.created_by ?? 'admin') !== (rowB.created_by ?? 'admin')) differences.push(`${deviceId}: created_by ${rowA.created_by} on ${names[0]}, ${rowB.created_by} on ${names[1]}`);
    if (statusClass(rowA.status) !== statusClass(rowB.status)) differences.push(`${deviceId}: ${rowA.status} on ${names[0]}, ${rowB.status} on ${names[1]}`);
  }
  return differences;
}

/** The usernames of the resellers a server holds, sorted. */
export async function usernamesOn(server: EmulatorHandle): Promise<string[]> {
  return (await server.control.state()).users.map((user) => user.username).sort();
}

/** Device_ids on which `/verify` answers differently on the two servers (asked for the union of both servers' device_ids and `extra`). */
export async function verifyDisagreements(a: EmulatorHandle, b: EmulatorHandle, extra: readonly string[] = []): Promise<{ ids: string[]; onA: Map<string, boolean>; differences: string[] }> {
  const [rowsA, rowsB] = await Promise.all([licensesOn(a), licensesOn(b)]);
  const ids = [...new Set([...rowsA.keys(), ...rowsB.keys(), ...extra])].sort();
  const [onA, onB] = await Promise.all([allowMap(a, ids), allowMap(b, ids)]);
  const differences = ids.filter((id) => onA.get(id) !== onB.get(id)).map((id) => `${id}: allow=${String(onA.get(id))} on one, allow=${String(onB.get(id))} on the other`);
  return { ids, onA, differences };
}

/** The planned operations of a report as `server kind key` strings, sorted. */
export function operationsByServer(operations: readonly { readonly server: string; readonly kind: string; readonly key: string }[]): string[] {
  return operations.map((operation) => `${operation.server} ${operation.kind} ${operation.key}`).sort();
}

/** The plan's conflicts as `kind key resolution` strings, sorted. */
export function conflictLines(report: JsonReport): string[] {
  return (report.plan?.conflicts ?? []).map((conflict) => `${conflict.kind} ${conflict.key} ${conflict.resolution}`).sort();
}

export function stateDbPath(stateDir: string): string {
  return path.join(stateDir, 'state.db');
}

function withStateDb<T>(stateDir: string, read: (db: Database.Database) => T, options: { readonly readonly?: boolean } = {}): T {
  const file = stateDbPath(stateDir);
  if (!existsSync(file)) throw new Error(`no state database in ${stateDir}`);
  const db = new Database(file, { readonly: options.readonly ?? true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The text report the state database keeps for a run (recorded whatever the output format). */
export function storedReportText(stateDir: string, runId: number): string {
  const row = withStateDb(stateDir, (db) => db.prepare<[number], { report_text: string | null }>('SELECT report_text FROM runs WHERE id = ?').get(runId));
  if (row?.report_text == null) throw new Error(`run #${runId} has no stored text report`);
  return row.report_text;
}

export interface StoredBase {
  readonly primary_url: string;
  readonly peer_url: string;
  readonly recorded_at: string;
  readonly run_id: number | null;
  readonly mode: string;
  readonly primary_licenses: number;
  readonly peer_licenses: number;
}

/** The pair bases the state database holds (none when it does not exist yet). */
export function storedBases(stateDir: string): StoredBase[] {
  if (!existsSync(stateDbPath(stateDir))) return [];
  return withStateDb(stateDir, (db) =>
    db
      .prepare<[], StoredBase>('SELECT primary_url, peer_url, recorded_at, run_id, mode, primary_licenses, peer_licenses FROM pair_bases ORDER BY primary_url, peer_url')
      .all(),
  );
}

/** How many runs the state database records (0 when it does not exist yet). */
export function recordedRuns(stateDir: string): number {
  if (!existsSync(stateDbPath(stateDir))) return 0;
  return withStateDb(stateDir, (db) => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM runs').get()?.n ?? 0);
}

/** Runs `change` on the state database, writable (for tests that corrupt it). */
export function editStateDb(stateDir: string, change: (db: Database.Database) => void): void {
  withStateDb(stateDir, change, { readonly: false });
}

/** The lines of a text report that show a write and its direction (`← primary`, `→ <name>`). */
export function directionLines(text: string): { toPrimary: string[]; toPeer: (name: string) => string[] } {
  const lines = text.split('\n');
  return {
    toPrimary: lines.filter((line) => /^\s*[+~!^-] ← primary /.test(line)),
    toPeer: (name) => lines.filter((line) => line.match(/^\s*[+~!^-] → (\S+) /)?.[1] === name),
  };
}
