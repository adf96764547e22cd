import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/api-error.js';
import { LicenseApiClient } from '../../src/api/license-api-client.js';
import { CompensationError, operationApplier } from '../../src/execute/apply-operation.js';
import { PasswordFile } from '../../src/execute/password-file.js';
import type { UpsertBody } from '../../src/domain/upsert-body.js';
import type { CreateLicense, Operation } from '../../src/plan/operation.js';
import { licenseKey, userKey } from '../../src/plan/operation.js';
import { ONE_WAY } from '../../src/plan/reasons.js';
import type { Decision } from '../../src/domain/decision.js';
import { thenBlockText } from '../../src/report/wording/operation-reason-words.js';
import { useEmulator } from '../support/emulator-fixture.js';
import { findLicense, getLicense, listUsers as rawListUsers } from '../support/license-api-helpers.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { seedForFailures } from '../e2e/support/e2e-helpers.js';
import { recordingLog, requestsByRoute, resetEmulator, type RecordingLog } from '../api/support/client-harness.js';

const handle = useEmulator();

let stateDir = '';
let client: LicenseApiClient | undefined;
let passwords: PasswordFile;
let log: RecordingLog;

/** A logged-in backup client (statistics reset after its login) and an applier around it. */
async function applierWith(attempts: number) {
  log = recordingLog();
  client = new LicenseApiClient({
    account: { name: 'backup', url: handle().url, username: 'admin', password: 'admin123' },
    timeoutMs: 5_000,
    // Patience with 429s: one pause of the longest Retry-After honoured (10 x 20 ms).
    retry: { attempts, minDelayMs: 5, maxDelayMs: 20, rateLimitPatienceMs: 300 },
    ca: null,
    maxSockets: 8,
    log,
  });
  await client.login();
  await handle().control.resetStats();
  return operationApplier({ server: client, passwords, log, thenBlockText });
}

beforeEach(async () => {
  await resetEmulator(handle());
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-apply-'));
  passwords = new PasswordFile(path.join(stateDir, 'state'));
});

afterEach(async () => {
  client?.close();
  client = undefined;
  await rm(stateDir, { recursive: true, force: true });
});

const adminToken = () => handle().login();

function body(deviceId: string, overrides: Partial<UpsertBody> = {}): UpsertBody {
  return { device_id: deviceId, license_type: 'anual', owner_name: 'Ana', cpf: null, email: null, address: 'Rua B, 2, Centro', created_by: 'admin', ...overrides };
}

/** A creation; `denied`: the primary's denial, which blocks the license right after. */
function createLicense(deviceId: string, denied: Decision | null): CreateLicense {
  const thenBlock = denied === null ? null : { code: 'source-denies' as const, sides: ONE_WAY, decision: denied };
  return { server: 'backup', kind: 'create-license', key: licenseKey(deviceId), reason: { code: 'missing', sides: ONE_WAY }, body: body(deviceId), thenBlock };
}

async function passwordLines(): Promise<string[][]> {
  const text = await readFile(passwords.path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, the operation succeeded');
}

const DEVICE = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe('create-license', () => {
  it('without thenBlock: one upsert, the license is active, no note', async () => {
    const apply = await applierWith(3);

    expect(await apply(createLicense(DEVICE, null))).toBeNull();

    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/devices/create': 1 });
    expect((await getLicense(handle(), await adminToken(), DEVICE)).status).toBe('active');
  });

  it('with thenBlock: upserted then blocked, with a note saying why', async () => {
    const apply = await applierWith(3);

    const note = await apply(createLicense(DEVICE, 'deny:blocked'));

    expect(note).toBe('blocked right after creation: the primary denies it (blocked)');
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/devices/create': 1, 'POST /admin/devices/:device_id/deactivate': 1 });
    expect((await getLicense(handle(), await adminToken(), DEVICE)).status).toBe('blocked');
  });

  it('when the block fails, deletes the new license again and throws a CompensationError', async () => {
    const apply = await applierWith(1);
    // Seed 2, rate 0.5, writes only: the upsert passes, the block fails, the delete passes.
    await handle().control.setFaults({ seed: 2, failures: { rate: 0.5, kinds: ['503'], scope: 'writes' } });

    const error = await rejection(apply(createLicense(DEVICE, 'deny:expired')));

    const stats = await handle().control.stats();
    expect(stats.faults).toEqual({ 'failure-503': 1 });
    expect(stats.requests).toEqual({ 'POST /admin/devices/create': 1, 'POST /admin/devices/:device_id/deactivate': 1, 'DELETE /admin/devices/:device_id/delete': 1 });
    expect(error).toBeInstanceOf(CompensationError);
    const compensation = error as CompensationError;
    expect(compensation.deviceId).toBe(DEVICE);
    expect(compensation.blockError).toBeInstanceOf(ApiError);
    expect((compensation.blockError as ApiError).status).toBe(503);
    expect(compensation.deleteError).toBeNull();
    expect(compensation.message).toBe('created, but the block failed (HTTP 503 (HTML page)); the new license was deleted again');
    await handle().control.setFaults({});
    expect(await findLicense(handle(), await adminToken(), DEVICE)).toBeUndefined();
    expect(log.lines.some((line) => line.startsWith('warn ') && line.includes(DEVICE))).toBe(true);
  });

  it('when the block and the removal both fail, says that the backup may allow the license', async () => {
    const apply = await applierWith(1);
    // Seed 4, rate 0.5, writes only: the upsert passes, the block and the delete fail.
    await handle().control.setFaults({ seed: 4, failures: { rate: 0.5, kinds: ['500'], scope: 'writes' } });

    const error = await rejection(apply(createLicense(DEVICE, 'deny:blocked')));

    expect((await handle().control.stats()).faults).toEqual({ 'failure-500': 2 });
    expect(error).toBeInstanceOf(CompensationError);
    const compensation = error as CompensationError;
    expect(compensation.deleteError).toBeInstanceOf(ApiError);
    expect(compensation.message).toMatch(/neither the block \(HTTP 500.*\) nor the removal \(HTTP 500.*\) worked: backup may allow this license$/);
    await handle().control.setFaults({});
    expect((await getLicense(handle(), await adminToken(), DEVICE)).status).toBe('active');
  });

  it('a refused upsert is thrown as is, with no block or delete attempted', async () => {
    const apply = await applierWith(2);
    handle().emulator.intercept((request) => (request.route === 'POST /admin/devices/create' ? { status: 400, body: '{"error": "Tipo de licença inválido."}' } : undefined));
    try {
      const error = await rejection(apply(createLicense(DEVICE, 'deny:blocked')));

      expect(error).toBeInstanceOf(ApiError);
      expect(error).not.toBeInstanceOf(CompensationError);
      expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/devices/create': 1 });
    } finally {
      handle().emulator.intercept(null);
    }
  });

  it('an upsert whose every answer was lost, but which created the license, is still blocked (and counts as done)', async () => {
    const apply = await applierWith(2);
    // Writes only, every failure after the handler: both create attempts are applied and their answers lost; the block passes.
    await handle().control.setFaults({ seed: seedForFailures(0.5, ['fail', 'fail', 'pass']), failures: { rate: 0.5, kinds: ['502'], scope: 'writes', afterHandlerShare: 1 } });

    const note = await apply(createLicense(DEVICE, 'deny:blocked'));

    expect(note).toMatch(/^created by an attempt whose answer was lost \(HTTP 502.*\), then blocked: the primary denies it \(blocked\)$/);
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/devices/create': 2, 'POST /admin/devices/:device_id/deactivate': 1 });
    await handle().control.setFaults({});
    expect((await getLicense(handle(), await adminToken(), DEVICE)).status).toBe('blocked');
  });

  it('an upsert whose every attempt failed before the server acted: the block finds nothing (404) and the failure is thrown as is', async () => {
    const apply = await applierWith(2);
    await handle().control.setFaults({ seed: seedForFailures(0.5, ['fail', 'fail', 'pass']), failures: { rate: 0.5, kinds: ['502'], scope: 'writes', afterHandlerShare: 0 } });

    const error = await rejection(apply(createLicense(DEVICE, 'deny:blocked')));

    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(CompensationError);
    expect((error as ApiError).status).toBe(502);
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/devices/create': 2, 'POST /admin/devices/:device_id/deactivate': 1 });
    await handle().control.setFaults({});
    expect(await findLicense(handle(), await adminToken(), DEVICE)).toBeUndefined();
  });

  it('an upsert that may have been applied and cannot be blocked is deleted; if that fails too, says the backup may allow it', async () => {
    const apply = await applierWith(1);
    await handle().control.setFaults({ failures: { rate: 1, kinds: ['500'], scope: 'writes', afterHandlerShare: 1 } });

    const error = await rejection(apply(createLicense(DEVICE, 'deny:blocked')));

    expect(error).toBeInstanceOf(CompensationError);
    expect((error as CompensationError).message).toMatch(/backup may allow this license$/);
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/devices/create': 1, 'POST /admin/devices/:device_id/deactivate': 1, 'DELETE /admin/devices/:device_id/delete': 1 });
  });
});

describe('license updates', () => {
  beforeEach(async () => {
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense(DEVICE, { owner_name: 'Antigo', created_by: 'admin' })] }));
  });

  it('update-license upserts the new content', async () => {
    const apply = await applierWith(3);
    const operation: Operation = { server: 'backup', kind: 'update-license', key: licenseKey(DEVICE), reason: { code: 'backup-only' }, body: body(DEVICE, { owner_name: 'Novo Dono' }) };

    expect(await apply(operation)).toBeNull();

    expect((await getLicense(handle(), await adminToken(), DEVICE)).owner_name).toBe('Novo Dono');
  });

  it('update-created-by, block and activate each make their one call', async () => {
    const apply = await applierWith(3);
    const key = licenseKey(DEVICE);

    expect(await apply({ server: 'backup', kind: 'update-created-by', key, reason: { code: 'backup-only' }, deviceId: DEVICE, createdBy: 'revenda9' })).toBeNull();
    expect(await apply({ server: 'backup', kind: 'block', key, reason: { code: 'backup-only' }, deviceId: DEVICE })).toBeNull();
    const blocked = await getLicense(handle(), await adminToken(), DEVICE);
    expect(await apply({ server: 'backup', kind: 'activate', key, reason: { code: 'backup-only' }, deviceId: DEVICE })).toBeNull();
    const activated = await getLicense(handle(), await adminToken(), DEVICE);

    expect(blocked).toMatchObject({ created_by: 'revenda9', status: 'blocked' });
    expect(activated.status).toBe('active');
    expect(await requestsByRoute(handle())).toMatchObject({ 'POST /admin/devices/update-created-by': 1, 'POST /admin/devices/:device_id/deactivate': 2 });
  });
});

describe('delete-license', () => {
  it('deletes an existing license', async () => {
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense(DEVICE)] }));
    const apply = await applierWith(3);

    expect(await apply({ server: 'backup', kind: 'delete-license', key: licenseKey(DEVICE), reason: { code: 'backup-only' }, deviceId: DEVICE })).toBeNull();

    expect(await findLicense(handle(), await adminToken(), DEVICE)).toBeUndefined();
  });

  it("a 404 means the license is already gone: 'already absent', no error", async () => {
    const apply = await applierWith(3);

    expect(await apply({ server: 'backup', kind: 'delete-license', key: licenseKey(DEVICE), reason: { code: 'backup-only' }, deviceId: DEVICE })).toBe('already absent');
    expect(await requestsByRoute(handle())).toEqual({ 'DELETE /admin/devices/:device_id/delete': 1 });
  });

  it('any other failure is thrown', async () => {
    await resetEmulator(handle(), datasetOf({ licenses: [allowedLicense(DEVICE)] }));
    const apply = await applierWith(2);
    await handle().control.setFaults({ failures: { rate: 1, kinds: ['503'] } });

    const error = await rejection(apply({ server: 'backup', kind: 'delete-license', key: licenseKey(DEVICE), reason: { code: 'backup-only' }, deviceId: DEVICE }));

    expect(error).toMatchObject({ kind: 'http', status: 503 });
  });
});

describe('create-user', () => {
  const createUser = (username: string): Operation => ({ server: 'backup', kind: 'create-user', key: userKey(username), reason: { code: 'backup-only' }, username, email: `${username}@example.com`, role: 'user' });

  it('creates the user with a fresh password recorded first in the password file', async () => {
    const apply = await applierWith(3);

    expect(await apply(createUser('revenda-nova'))).toBeNull();

    const lines = await passwordLines();
    expect(lines).toHaveLength(1);
    const [, server, username, password] = lines[0] ?? [];
    expect([server, username]).toEqual(['backup', 'revenda-nova']);
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    // The recorded password is the one the server stored.
    await expect(handle().login('revenda-nova', password)).resolves.toEqual(expect.any(String));
    expect((await rawListUsers(handle(), await adminToken())).map((user) => [user.username, user.email, user.role])).toEqual([
      ['revenda-nova', 'revenda-nova@example.com', 'user'],
    ]);
  });

  it('a plain rejection (user already there before) marks the recorded password as unused', async () => {
    await resetEmulator(handle(), datasetOf({ users: [{ username: 'ja-existe', password: 'ja-existe-senha', role: 'user' }] }));
    const apply = await applierWith(3);

    const error = await rejection(apply(createUser('ja-existe')));

    expect(error).toMatchObject({ kind: 'rejected', status: 400, mayHaveBeenApplied: false });
    const lines = await passwordLines();
    expect(lines.map((line) => line.slice(1, 3))).toEqual([
      ['backup', 'ja-existe'],
      ['backup', 'ja-existe'],
    ]);
    expect(lines[1]?.[3]).toBe('(not created: HTTP 400: Usuário já existe.; ignore the password above)');
    expect(await requestsByRoute(handle())).toEqual({ 'POST /admin/users/create': 1 });
  });

  it('a duplicate after an attempt whose answer was lost is recognised as created by that attempt', async () => {
    const apply = await applierWith(3);
    // Seed 7, rate 0.5, writes only, after the handler: the first attempt creates the user
    // and loses its answer, the second gets "user already exists".
    await handle().control.setFaults({ seed: 7, failures: { rate: 0.5, kinds: ['500'], scope: 'writes', afterHandlerShare: 1 } });

    const note = await apply(createUser('revenda-perdida'));

    const stats = await handle().control.stats();
    expect(stats.faults).toEqual({ 'failure-500-after-handler': 1 });
    expect(stats.requests).toMatchObject({ 'POST /admin/users/create': 2, 'GET /admin/users': 1 });
    expect(note).toBe('created by an earlier attempt whose answer was lost');
    const lines = await passwordLines();
    expect(lines).toHaveLength(1);
    await handle().control.setFaults({});
    await expect(handle().login('revenda-perdida', lines[0]?.[3])).resolves.toEqual(expect.any(String));
  });

  it('a user created by a lost attempt keeps its password usable even when the retries meet 429s', async () => {
    // A final 429 once cleared mayHaveBeenApplied (see the client test "keeps may
    // have been applied ... 429"), so the password of a user that does exist
    // was marked "not created ... ignore the password above".
    const apply = await applierWith(3);
    await handle().control.setFaults({
      rateLimit: { requests: 1, windowMs: 60_000 },
      failures: { rate: 1, kinds: ['500'], scope: 'writes', afterHandlerShare: 1 },
    });

    await rejection(apply(createUser('revenda-429')));

    await handle().control.setFaults({});
    const lines = await passwordLines();
    await expect(handle().login('revenda-429', lines[0]?.[3])).resolves.toEqual(expect.any(String));
    expect(lines.filter((line) => line[3]?.startsWith('(not created'))).toEqual([]);
  });
});
