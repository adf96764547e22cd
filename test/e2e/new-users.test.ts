import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASSWORD_FILE_NAME } from '../../src/execute/password-file.js';
import { allowedLicense, datasetOf, useSyncPair, type SyncPair } from '../support/sync-pair.js';
import { plannedKinds, requireLicense } from './support/report.js';
import { runJson } from './support/e2e-helpers.js';

// `--new-users skip`: resellers missing on the backup are left uncreated and
// reported as skipped; everything else (licenses, owners included) still syncs.

const pair = useSyncPair();

async function loadPair(p: SyncPair) {
  await p.load(
    datasetOf({
      users: [
        { username: 'ana', password: 'ana-pass-1', role: 'user', email: 'ana@revenda.com.br' },
        { username: 'bruno', password: 'bruno-pass-1', role: 'admin', email: null },
        { username: 'carla', password: 'carla-pass-1', role: 'user', email: 'carla@revenda.com.br' },
      ],
      licenses: [allowedLicense('dev-1', { created_by: 'ana' }), allowedLicense('dev-2', { created_by: 'bruno', status: 'blocked' }), allowedLicense('dev-3')],
    }),
    datasetOf({
      users: [{ username: 'carla', password: 'carla-pass-2', role: 'user', email: 'carla@revenda.com.br' }],
      licenses: [allowedLicense('dev-3', { status: 'blocked' })],
    }),
  );
}

describe('--new-users skip', () => {
  it.each([
    ['the flag', ['--new-users', 'skip'], {}],
    ['SYNC_DBS_NEW_USERS', [], { SYNC_DBS_NEW_USERS: 'skip' }],
  ])('leaves missing users uncreated and reported as skipped, and still syncs licenses (%s)', async (_how, args, env) => {
    const p = pair();
    await loadPair(p);

    const run = await p.cli([...args, '--json'], { env });
    const report = run.json<Awaited<ReturnType<typeof runJson>>['report']>();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.outcome).toBe('in-sync');
    expect(plannedKinds(report)).not.toContain('create-user');
    expect(report.skipped.byReason['new-users-skip']).toEqual({ count: 2, keys: expect.arrayContaining(['user:ana', 'user:bruno']) });
    expect(report.skipped.byReason['new-users-skip']?.keys).toHaveLength(2);
    expect(report.newUserPasswordsFile).toBeNull();
    expect(existsSync(path.join(p.stateDir, PASSWORD_FILE_NAME))).toBe(false);

    const state = await p.backup.control.state();
    expect(state.users.map((user) => user.username)).toEqual(['carla']);
    expect(await p.backup.control.stats().then((stats) => stats.requests['POST /admin/users/create'])).toBeUndefined();

    // Licenses synced as usual, owners included.
    expect(await requireLicense(p.backup, 'dev-1')).toMatchObject({ status: 'active', created_by: 'ana' });
    expect(await requireLicense(p.backup, 'dev-2')).toMatchObject({ status: 'blocked', created_by: 'bruno' });
    expect((await requireLicense(p.backup, 'dev-3')).status).toBe('active');
    expect(report.applied.summary).toMatchObject({ done: 3, failed: 0 });
  });
});
