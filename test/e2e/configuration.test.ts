import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { closedPort, deviceIds, withAdminPassword } from './support/e2e-helpers.js';

// Where settings come from, through the real process: flags, then the
// environment, then a .env file (the working directory's, or --env-file), then
// a JSON config file. Each source on its own runs a sync; each layer beats
// the ones below it.

const pair = useSyncPair();

const PRIMARY_PASSWORD = 'prim-cfg-pass-31';
const BACKUP_PASSWORD = 'back-cfg-pass-47';

/** The pair's environment without any server setting: only state dir, retry and wake settings remain. */
const NO_SERVER_ENV = {
  SYNC_DBS_PRIMARY_URL: undefined,
  SYNC_DBS_PRIMARY_USER: undefined,
  SYNC_DBS_PRIMARY_PASSWORD: undefined,
  SYNC_DBS_BACKUP_URL: undefined,
  SYNC_DBS_BACKUP_USER: undefined,
  SYNC_DBS_BACKUP_PASSWORD: undefined,
};

async function loadPair(p: ReturnType<typeof pair>): Promise<void> {
  await p.load(
    withAdminPassword(datasetOf({ licenses: [allowedLicense('cfg-1'), allowedLicense('cfg-2', { status: 'blocked' })] }), PRIMARY_PASSWORD),
    withAdminPassword(datasetOf({}), BACKUP_PASSWORD),
  );
}

async function expectSynced(p: ReturnType<typeof pair>): Promise<void> {
  expect((await deviceIds(p.backup)).sort()).toEqual(['cfg-1', 'cfg-2']);
}

/** .env text for these variables. */
function dotenv(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
}

/** Every server setting, as SYNC_DBS_* variables. */
function serverVars(p: ReturnType<typeof pair>): Record<string, string> {
  return {
    SYNC_DBS_PRIMARY_URL: p.primary.url,
    SYNC_DBS_PRIMARY_USER: 'admin',
    SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD,
    SYNC_DBS_BACKUP_URL: p.backup.url,
    SYNC_DBS_BACKUP_USER: 'admin',
    SYNC_DBS_BACKUP_PASSWORD: BACKUP_PASSWORD,
  };
}

async function workDir(p: ReturnType<typeof pair>, name = 'work'): Promise<string> {
  const dir = path.join(p.stateDir, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('each source on its own', () => {
  it('reads a .env file in the working directory', async () => {
    const p = pair();
    await loadPair(p);
    const cwd = await workDir(p);
    await writeFile(path.join(cwd, '.env'), `# sync-dbs settings\n${dotenv(serverVars(p))}\n`);
    const run = await p.cli([], { cwd, env: NO_SERVER_ENV });
    expect(run.exitCode, run.stderr).toBe(0);
    await expectSynced(p);

    // Control: from another directory the same command has no configuration.
    const elsewhere = await workDir(p, 'elsewhere');
    const without = await p.cli([], { cwd: elsewhere, env: NO_SERVER_ENV });
    expect(without.exitCode).toBe(2);
    expect(without.stderr).toMatch(/--primary-url \(not given\)/);
  });

  it('reads --env-file, a relative path resolved against the working directory, instead of ./.env', async () => {
    const p = pair();
    await loadPair(p);
    const cwd = await workDir(p);
    await mkdir(path.join(cwd, 'conf'));
    await writeFile(path.join(cwd, 'conf', 'sync.env'), dotenv(serverVars(p)));
    // A ./.env that would fail: --env-file replaces it rather than adding to it.
    await writeFile(path.join(cwd, '.env'), dotenv({ ...serverVars(p), SYNC_DBS_PRIMARY_PASSWORD: 'wrong-from-dot-env' }));
    const run = await p.cli(['--env-file', 'conf/sync.env'], { cwd, env: NO_SERVER_ENV });
    expect(run.exitCode, run.stderr).toBe(0);
    await expectSynced(p);
  });

  it('reads a JSON --config file (passwords allowed there), and SYNC_DBS_CONFIG naming one', async () => {
    const p = pair();
    await loadPair(p);
    const cwd = await workDir(p);
    const config = {
      'primary-url': p.primary.url,
      'primary-user': 'admin',
      'primary-password': PRIMARY_PASSWORD,
      'backup-url': p.backup.url,
      'backup-user': 'admin',
      'backup-password': BACKUP_PASSWORD,
      concurrency: 2,
      'retry-delay': 0.01,
    };
    await writeFile(path.join(cwd, 'sync.json'), JSON.stringify(config, null, 2));
    const run = await p.cli(['--config', 'sync.json'], { cwd, env: NO_SERVER_ENV });
    expect(run.exitCode, run.stderr).toBe(0);
    await expectSynced(p);

    await loadPair(p);
    const viaEnv = await p.cli([], { cwd, env: { ...NO_SERVER_ENV, SYNC_DBS_CONFIG: path.join(cwd, 'sync.json') } });
    expect(viaEnv.exitCode, viaEnv.stderr).toBe(0);
    await expectSynced(p);
  });

  it('reads passwords from files: environment, flag and config file (relative to the config file), CRLF line end accepted', async () => {
    const p = pair();
    await loadPair(p);
    const cwd = await workDir(p);
    const secrets = await workDir(p, 'secrets');
    await writeFile(path.join(secrets, 'primary.txt'), `${PRIMARY_PASSWORD}\n`);
    await writeFile(path.join(secrets, 'backup.txt'), `${BACKUP_PASSWORD}\r\n`);
    const withoutPasswords = { ...serverVars(p), SYNC_DBS_PRIMARY_PASSWORD: undefined, SYNC_DBS_BACKUP_PASSWORD: undefined };

    const fromEnv = await p.cli([], {
      cwd,
      env: { ...withoutPasswords, SYNC_DBS_PRIMARY_PASSWORD_FILE: path.join(secrets, 'primary.txt'), SYNC_DBS_BACKUP_PASSWORD_FILE: path.join(secrets, 'backup.txt') },
    });
    expect(fromEnv.exitCode, fromEnv.stderr).toBe(0);
    await expectSynced(p);

    await loadPair(p);
    const fromFlags = await p.cli(['--primary-password-file', '../secrets/primary.txt', '--backup-password-file', '../secrets/backup.txt'], { cwd, env: withoutPasswords });
    expect(fromFlags.exitCode, fromFlags.stderr).toBe(0);
    await expectSynced(p);

    await loadPair(p);
    await writeFile(path.join(secrets, 'sync.json'), JSON.stringify({ 'primary-password-file': 'primary.txt', 'backup-password-file': 'backup.txt' }));
    const fromConfig = await p.cli(['--config', path.join(secrets, 'sync.json')], { cwd, env: withoutPasswords });
    expect(fromConfig.exitCode, fromConfig.stderr).toBe(0);
    await expectSynced(p);
  });
});

describe('precedence', () => {
  it('the environment beats .env: a wrong password in .env is overridden', async () => {
    const p = pair();
    await loadPair(p);
    const cwd = await workDir(p);
    await writeFile(path.join(cwd, '.env'), dotenv({ ...serverVars(p), SYNC_DBS_BACKUP_PASSWORD: 'wrong-in-dot-env' }));
    const env = { ...NO_SERVER_ENV, SYNC_DBS_BACKUP_PASSWORD: BACKUP_PASSWORD };
    const run = await p.cli([], { cwd, env });
    expect(run.exitCode, run.stderr).toBe(0);
    await expectSynced(p);

    // Control: without the environment's password, .env's wrong one is used and the login is refused.
    const control = await p.cli(['--json'], { cwd, env: NO_SERVER_ENV });
    expect(control.exitCode).toBe(3);
    expect(control.json<{ failures: { server: string; endpoint: string }[] }>().failures).toEqual([
      expect.objectContaining({ server: 'backup', endpoint: 'POST /admin/login' }),
    ]);
  });

  it('.env beats the config file: a dead URL in the config file is overridden', async () => {
    const p = pair();
    await loadPair(p);
    const cwd = await workDir(p);
    const dead = `http://127.0.0.1:${await closedPort()}`;
    await writeFile(path.join(cwd, 'sync.json'), JSON.stringify({ 'primary-url': dead, 'primary-user': 'admin', 'primary-password': PRIMARY_PASSWORD }));
    await writeFile(path.join(cwd, '.env'), dotenv({ SYNC_DBS_PRIMARY_URL: p.primary.url }));
    const env = { ...serverVars(p), SYNC_DBS_PRIMARY_URL: undefined, SYNC_DBS_PRIMARY_USER: undefined, SYNC_DBS_PRIMARY_PASSWORD: undefined };
    const run = await p.cli(['--config', 'sync.json', '--wake-timeout', '0'], { cwd, env });
    expect(run.exitCode, run.stderr).toBe(0);
    await expectSynced(p);

    // Control: with another (empty) .env file, the config file's dead URL is used.
    await writeFile(path.join(cwd, 'empty.env'), '# nothing\n');
    const control = await p.cli(['--config', 'sync.json', '--env-file', 'empty.env', '--wake-timeout', '0'], { cwd, env });
    expect(control.exitCode).toBe(3);
  });

  it('flags beat the environment: --concurrency over an invalid SYNC_DBS_CONCURRENCY, --primary-url over a dead one', async () => {
    const p = pair();
    await loadPair(p);
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const env = { SYNC_DBS_CONCURRENCY: 'lots', SYNC_DBS_PRIMARY_URL: dead, SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD, SYNC_DBS_BACKUP_PASSWORD: BACKUP_PASSWORD };
    const run = await p.cli(['--concurrency', '2', '--primary-url', p.primary.url], { env });
    expect(run.exitCode, run.stderr).toBe(0);
    await expectSynced(p);

    // Controls: without each flag, the environment's value is the one read.
    const noConcurrencyFlag = await p.cli(['--primary-url', p.primary.url], { env });
    expect(noConcurrencyFlag.exitCode).toBe(2);
    expect(noConcurrencyFlag.stderr).toMatch(/SYNC_DBS_CONCURRENCY \(environment\): must be an integer from 1 to 64, got "lots"/);
    const noUrlFlag = await p.cli(['--concurrency', '2', '--wake-timeout', '0', '--json'], { env });
    expect(noUrlFlag.exitCode).toBe(3);
    expect(noUrlFlag.json<{ servers: { name: string; url: string }[] }>().servers[0]).toMatchObject({ name: 'primary', url: dead });
  });

  it('a password file given by a higher layer beats a password given by a lower one', async () => {
    const p = pair();
    await loadPair(p);
    const file = path.join(p.stateDir, 'backup-password.txt');
    await writeFile(file, `${BACKUP_PASSWORD}\n`);
    const run = await p.cli(['--backup-password-file', file], { env: { SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD, SYNC_DBS_BACKUP_PASSWORD: 'wrong-in-env' } });
    expect(run.exitCode, run.stderr).toBe(0);
    await expectSynced(p);

    // Both in one layer is ambiguous: refused, naming both.
    const both = await p.cli([], { env: { SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD, SYNC_DBS_BACKUP_PASSWORD: BACKUP_PASSWORD, SYNC_DBS_BACKUP_PASSWORD_FILE: file } });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/SYNC_DBS_BACKUP_PASSWORD and SYNC_DBS_BACKUP_PASSWORD_FILE/);
  });
});
