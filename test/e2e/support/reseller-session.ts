import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { PASSWORD_FILE_NAME } from '../../../src/execute/password-file.js';
import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { deactivate, listLicenses, upsert } from '../../support/license-api-helpers.js';
import type { LicenseEdit } from './two-way-helpers.js';

// A reseller at work on one server, logged in with its own account (role
// `user`): what a reseller does during a failover, when the only server that
// answers is a backup and the password that works there is the one the sync
// generated for it (the new users' password file).

export interface ResellerSession {
  readonly username: string;
  /** Sells a license: an upsert with the reseller's own token, no created_by (the server sets it to the reseller). */
  sell(deviceId: string, fields?: Omit<LicenseEdit, 'created_by'>): Promise<void>;
  /** Blocks one of its licenses (a clone showed up), with the reseller's own token. */
  block(deviceId: string): Promise<void>;
  /** The licenses this reseller sees (only its own, as the API lists them to a `user` token). */
  licenses(): Promise<DeviceRow[]>;
}

/** Logs into `server` as reseller `username`; fails the test when the login is refused or the account is not a plain reseller. */
export async function resellerSession(server: EmulatorHandle, username: string, password: string): Promise<ResellerSession> {
  const res = await server.request({ method: 'POST', path: '/admin/login', body: { username, password } });
  const answer = res.json as { token?: unknown; role?: unknown } | undefined;
  expect(res.status, `reseller ${username} logs into ${server.url}: ${res.text}`).toBe(200);
  expect(answer?.role, `${username} on ${server.url} is a reseller (role user)`).toBe('user');
  const token = answer?.token;
  if (typeof token !== 'string') throw new Error(`login of ${username} on ${server.url} gave no token: ${res.text}`);
  return {
    username,
    sell: async (deviceId, fields = {}) => {
      const body = {
        device_id: deviceId,
        owner_name: `Customer of ${deviceId}`,
        cpf: '52998224725',
        email: `${deviceId.toLowerCase()}@cliente.example.com`,
        address: 'Rua C, 3, Derby, Recife',
        license_type: 'anual',
        ...fields,
      };
      const sold = await upsert(server, token, body);
      expect(sold.status, `${username} sells ${deviceId} on ${server.url}: ${sold.text}`).toBe(201);
    },
    block: async (deviceId) => {
      const blocked = await deactivate(server, token, deviceId, { action: 'block' });
      expect(blocked.status, `${username} blocks ${deviceId} on ${server.url}: ${blocked.text}`).toBe(200);
    },
    licenses: () => listLicenses(server, token),
  };
}

/**
 * The password the sync generated for `username` on the backup named
 * `server`, read from the new users' password file in the state directory
 * (the last one recorded and used). Fails when there is none.
 */
export async function generatedPassword(stateDir: string, server: string, username: string): Promise<string> {
  const file = path.join(stateDir, PASSWORD_FILE_NAME);
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new Error(`no new users' password file at ${file}: ${String(error)}`);
  });
  const lines = text.split('\n').map((line) => line.split('\t'));
  let found: string | undefined;
  for (const [, onServer, user, password] of lines) {
    if (onServer !== server || user !== username || password === undefined) continue;
    found = password.startsWith('(not created') ? undefined : password;
  }
  if (found === undefined) {
    const recorded = lines.filter((fields) => fields.length >= 3).map(([, onServer, user]) => `${onServer}/${user}`);
    throw new Error(`no generated password for ${username} on ${server} in ${file}; recorded: ${recorded.join(', ') || 'none'}`);
  }
  return found;
}
