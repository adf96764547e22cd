import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../src/i18n/i18n.js';
import { CompensationError, operationApplier } from '../../src/execute/apply-operation.js';
import { PasswordFile } from '../../src/execute/password-file.js';
import type { UpsertBody } from '../../src/domain/upsert-body.js';
import { licenseKey, userKey, type CreateLicense, type Operation } from '../../src/plan/operation.js';
import { ONE_WAY } from '../../src/plan/reasons.js';
import { recordingLog, type RecordingLog } from '../notify/support/recording-log.js';
import { InMemoryServer } from '../run/support/in-memory-server.js';
import { TODAY } from '../run/support/run-harness.js';

// The executor's notes, warnings and errors in Brazilian Portuguese.

let stateDir = '';
let backup: InMemoryServer;
let log: RecordingLog;
let passwords: PasswordFile;

beforeEach(async () => {
  setLanguage('pt-BR');
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-pt-notes-'));
  passwords = new PasswordFile(stateDir);
  backup = new InMemoryServer('backup', TODAY);
  log = recordingLog();
});

afterEach(async () => {
  setLanguage('en');
  await rm(stateDir, { recursive: true, force: true });
});

const apply = (operation: Operation) => operationApplier({ server: backup, passwords, log, thenBlockText: () => 'o primário a nega' })(operation);

function body(deviceId: string): UpsertBody {
  return { device_id: deviceId, license_type: 'anual', owner_name: 'Ana', cpf: null, email: null, address: 'Rua B, 2, Centro', created_by: 'admin' };
}

const deniedCreation = (deviceId: string): CreateLicense => ({
  server: 'backup',
  kind: 'create-license',
  key: licenseKey(deviceId),
  reason: { code: 'missing', sides: ONE_WAY },
  body: body(deviceId),
  thenBlock: { code: 'source-denies', sides: ONE_WAY, decision: 'deny:blocked' },
});

describe('the executor in Brazilian Portuguese', () => {
  it('notes a license blocked right after its creation', async () => {
    await expect(apply(deniedCreation('D1'))).resolves.toBe('bloqueada logo após a criação: o primário a nega');
  });

  it('notes a deletion of a license already gone', async () => {
    const deletion: Operation = { server: 'backup', kind: 'delete-license', key: licenseKey('GONE'), reason: { code: 'missing', sides: ONE_WAY }, deviceId: 'GONE' } as Operation;
    await expect(apply(deletion)).resolves.toBe('já não existia');
  });

  it('warns and explains in Portuguese when the block fails and the license is deleted again', async () => {
    backup.failWrite({ call: 'block', status: 500, reason: 'HTTP 500' });
    const error = await apply(deniedCreation('D2')).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CompensationError);
    expect((error as Error).message).toBe('criada, mas o bloqueio falhou (HTTP 500); a nova licença foi excluída de novo');
    expect(log.warnings()).toEqual(['warn backup: não foi possível bloquear a nova licença D2; excluindo-a de novo para que ela não deixe um cliente entrar']);
  });

  it('marks an unused password in Portuguese in the password file', async () => {
    backup.failWrite({ call: 'create-user', status: 400, reason: 'HTTP 400' });
    const creation: Operation = { server: 'backup', kind: 'create-user', key: userKey('ana'), reason: { code: 'missing', sides: ONE_WAY }, username: 'ana', email: null, role: 'user' } as Operation;
    await expect(apply(creation)).rejects.toThrow();
    const text = await readFile(passwords.path, 'utf8');
    expect(text).toContain('(não criado: HTTP 400; ignore a senha acima)');
  });
});
