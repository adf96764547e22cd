import { setTimeout as sleep } from 'node:timers/promises';
import type { DeviceRow } from '../../../src/emulator/dataset/dataset-file.js';
import { contentOf } from '../../e2e/support/report.js';
import type { LicenseEdit } from '../../e2e/support/two-way-helpers.js';
import type { EmulatorHandle } from '../../support/emulator-fixture.js';
import { licensePath } from '../../support/license-api-helpers.js';
import type { RawRequest, RawResponse } from '../../support/raw-http.js';
import { ADMIN } from '../../support/sync-pair.js';

// A reseller's panel on a bad day: the same calls as the admin panel of the
// two-way tests, made through the server's faults (5xx pages, resets, a
// sleeping server, 429s, revoked tokens) the way a person does: try again
// until it works. A write whose answer was lost may have been done: the
// retry then meets its effect (a deletion's 404, a user's "already exists"),
// which counts as done.

export interface PatientPanel {
  /** Registers a new license for `createdBy` (an upsert: active, dated from today). */
  sell(deviceId: string, createdBy: string): Promise<void>;
  /** Edits a license the way the panel does: an upsert of its current content with `changes`. */
  edit(deviceId: string, changes: LicenseEdit): Promise<void>;
  block(deviceId: string): Promise<void>;
  activate(deviceId: string): Promise<void>;
  remove(deviceId: string): Promise<void>;
  createReseller(username: string): Promise<void>;
  /** Answers that were faults and had to be tried again. */
  readonly retries: () => number;
}

const GIVE_UP_MS = 120_000;

export function patientPanel(server: EmulatorHandle): PatientPanel {
  let token: string | null = null;
  let retries = 0;

  /** Sends until an answer `done` accepts; `afterLoss` says whether an earlier attempt may have reached the handler. */
  const send = async (what: string, request: RawRequest, done: (res: RawResponse, afterLoss: boolean) => boolean): Promise<RawResponse> => {
    const deadline = Date.now() + GIVE_UP_MS;
    let afterLoss = false;
    let last = '';
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      if (attempt > 1) retries++;
      const wait = Math.min(1000, 50 * 2 ** Math.min(attempt - 1, 5));
      const authenticated = request.path !== '/admin/login';
      if (authenticated && token === null) token = await login();
      let res: RawResponse;
      try {
        res = await server.request({ ...request, ...(authenticated && token !== null ? { token } : {}), timeoutMs: 10_000 });
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
        afterLoss = afterLoss || request.method !== undefined;
        await sleep(wait);
        continue;
      }
      if (done(res, afterLoss)) return res;
      last = `${res.status} ${res.text.slice(0, 120)}`;
      if (res.status === 401 && authenticated) token = null;
      else if (res.status === 429) await sleep(1000 * Number(res.headers['retry-after'] ?? 1));
      else if (res.status >= 500) {
        afterLoss = afterLoss || request.method !== undefined;
        await sleep(wait);
      } else throw new Error(`${what} on ${server.url}: ${last}`);
    }
    throw new Error(`${what} on ${server.url}: gave up after ${GIVE_UP_MS / 1000} s; last answer: ${last}`);
  };
  const ok =
    (...statuses: number[]) =>
    (res: RawResponse) =>
      statuses.includes(res.status);

  const login = async (): Promise<string> => {
    const res = await send('log in', { method: 'POST', path: '/admin/login', body: ADMIN }, ok(200));
    const answer = res.json as { token?: unknown } | undefined;
    if (typeof answer?.token !== 'string') throw new Error(`log in on ${server.url}: no token in ${res.text.slice(0, 120)}`);
    return answer.token;
  };
  const listed = async (deviceId: string): Promise<DeviceRow> => {
    const res = await send('list licenses', { path: '/admin/devices' }, ok(200));
    const row = ((res.json as { items?: DeviceRow[] } | undefined)?.items ?? []).find((item) => item.device_id === deviceId);
    if (row === undefined) throw new Error(`${deviceId} is not listed on ${server.url}`);
    return row;
  };
  const upsert = async (deviceId: string, fields: LicenseEdit & Pick<DeviceRow, 'license_type'>) => {
    const body = {
      device_id: deviceId,
      owner_name: fields.owner_name ?? null,
      cpf: fields.cpf ?? null,
      email: fields.email ?? null,
      address: fields.address ?? null,
      license_type: fields.license_type,
      created_by: fields.created_by ?? 'admin',
    };
    await send(`upsert ${deviceId}`, { method: 'POST', path: '/admin/devices/create', body }, ok(201));
  };
  const status = (deviceId: string, action: 'block' | 'activate') =>
    send(`${action} ${deviceId}`, { method: 'POST', path: licensePath(deviceId, 'deactivate'), body: { action } }, ok(200)).then(() => undefined);

  return {
    sell: (deviceId, createdBy) =>
      upsert(deviceId, {
        owner_name: `Cliente ${deviceId}`,
        cpf: '52998224725',
        email: `${deviceId.toLowerCase()}@cliente.example.com`,
        address: 'Rua da Falha, 3, Recife',
        license_type: 'anual',
        created_by: createdBy,
      }),
    edit: async (deviceId, changes) => {
      const current = await listed(deviceId);
      await upsert(deviceId, { ...contentOf(current), created_by: current.created_by ?? 'admin', ...changes });
    },
    block: (deviceId) => status(deviceId, 'block'),
    activate: (deviceId) => status(deviceId, 'activate'),
    remove: async (deviceId) => {
      await send(`delete ${deviceId}`, { method: 'DELETE', path: licensePath(deviceId, 'delete') }, (res, afterLoss) => res.status === 200 || (afterLoss && res.status === 404));
    },
    createReseller: async (username) => {
      const body = { username, password: `pw-${username}-123`, email: `${username}@revenda.com.br`, role: 'user' };
      await send(`create user ${username}`, { method: 'POST', path: '/admin/users/create', body }, (res, afterLoss) => res.status === 201 || (afterLoss && res.status === 400 && res.text.includes('já existe')));
    },
    retries: () => retries,
  };
}
