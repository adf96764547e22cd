import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadSyncConfig, type ConfigSources, type PasswordPrompt } from '../../src/config/load-config.js';
import { makeTempConfigDirs, problemsOf } from './support/config-test-kit.js';

let root = '';
let cwd = '';
beforeEach(async () => {
  const dirs = await makeTempConfigDirs();
  ({ root, cwd } = dirs);
  return dirs.remove;
});

/** Servers without passwords. */
const SERVERS_ENV: Readonly<Record<string, string>> = {
  SYNC_DBS_PRIMARY_URL: 'https://primary.example.com',
  SYNC_DBS_PRIMARY_USER: 'alice',
  SYNC_DBS_BACKUP_URL: 'https://backup.example.com/api',
  SYNC_DBS_BACKUP_USER: 'bob',
  SYNC_DBS_BACKUP_PASSWORD: 'backup-secret',
};

function sources(overrides: Partial<ConfigSources> = {}): ConfigSources {
  return { flags: {}, env: SERVERS_ENV, cwd, platform: 'linux', homedir: path.join(root, 'home'), prompt: null, ...overrides };
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const target = path.join(root, name);
  await writeFile(target, content);
  return target;
}

const primaryPassword = async (overrides: Partial<ConfigSources>) => (await loadSyncConfig(sources(overrides))).primary.password;

describe('password sources', () => {
  it('reads a password from the environment, a .env file or a JSON config', async () => {
    expect(await primaryPassword({ env: { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD: 'from-env' } })).toBe('from-env');
    await writeFile(path.join(cwd, '.env'), 'SYNC_DBS_PRIMARY_PASSWORD="from dotenv #1"\n');
    expect(await primaryPassword({})).toBe('from dotenv #1');
    const config = await file('sync.json', JSON.stringify({ 'primary-password': 'from-json' }));
    expect(await primaryPassword({ flags: { config }, env: { ...SERVERS_ENV, SYNC_DBS_ENV_FILE: await file('empty.env', '') } })).toBe('from-json');
  });

  it('reads a password file from every layer, resolving relative paths like the other paths', async () => {
    await file('pw-flag', 'from-flag-file\n');
    await file('pw-env', 'from-env-file\n');
    await mkdir(path.join(root, 'conf'));
    await writeFile(path.join(root, 'conf', 'pw-json'), 'from-json-file\n');
    const config = await file('conf/sync.json', JSON.stringify({ 'primary-password-file': 'pw-json' }));
    expect(await primaryPassword({ flags: { config } })).toBe('from-json-file');
    expect(await primaryPassword({ flags: { config }, env: { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD_FILE: path.join(root, 'pw-env') } })).toBe(
      'from-env-file',
    );
    expect(await primaryPassword({ flags: { config, 'primary-password-file': '../pw-flag' } })).toBe('from-flag-file');
  });

  it('treats a password and a password file as one source: the highest layer giving either wins', async () => {
    const passwordFile = await file('pw', 'file-password\n');
    await writeFile(path.join(cwd, '.env'), 'SYNC_DBS_PRIMARY_PASSWORD=dotenv-password\n');
    const config = await file('sync.json', JSON.stringify({ 'primary-password-file': passwordFile }));
    // .env password beats the JSON password file.
    expect(await primaryPassword({ flags: { config } })).toBe('dotenv-password');
    // An environment password file beats the .env password.
    expect(await primaryPassword({ flags: { config }, env: { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD_FILE: passwordFile } })).toBe('file-password');
    // The password-file flag beats an environment password.
    expect(
      await primaryPassword({ flags: { 'primary-password-file': passwordFile }, env: { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD: 'env-password' } }),
    ).toBe('file-password');
  });

  it('rejects a layer giving both a password and a password file', async () => {
    expect(
      await problemsOf(loadSyncConfig(sources({ env: { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD: 'x', SYNC_DBS_PRIMARY_PASSWORD_FILE: 'y' } }))),
    ).toEqual(['SYNC_DBS_PRIMARY_PASSWORD and SYNC_DBS_PRIMARY_PASSWORD_FILE (environment): give either a password or a password file, not both']);
    const config = await file('sync.json', JSON.stringify({ 'backup-password': 'x', 'backup-password-file': 'y' }));
    const env = { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD: 'p', SYNC_DBS_BACKUP_PASSWORD: undefined };
    expect(await problemsOf(loadSyncConfig(sources({ flags: { config }, env })))).toEqual([
      `backup-password and backup-password-file (config file ${config}): give either a password or a password file, not both`,
    ]);
  });

  it('refuses passwords given as flags, for both servers', async () => {
    const env = { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD: 'p' };
    expect(await problemsOf(loadSyncConfig(sources({ env, flags: { 'primary-password': 'p', 'backup-password': 'b' } })))).toEqual([
      '--primary-password (flag): passwords are not accepted on the command line (they show in process lists); use SYNC_DBS_PRIMARY_PASSWORD, SYNC_DBS_PRIMARY_PASSWORD_FILE or the prompt',
      '--backup-password (flag): passwords are not accepted on the command line (they show in process lists); use SYNC_DBS_BACKUP_PASSWORD, SYNC_DBS_BACKUP_PASSWORD_FILE or the prompt',
    ]);
  });

  it('rejects an empty password and a password of the wrong type', async () => {
    expect(await problemsOf(loadSyncConfig(sources({ env: { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD: '' } })))).toEqual([
      'SYNC_DBS_PRIMARY_PASSWORD (environment): must not be empty',
    ]);
    const config = await file('sync.json', JSON.stringify({ 'primary-password': 1234 }));
    expect(await problemsOf(loadSyncConfig(sources({ flags: { config } })))).toEqual([`primary-password (config file ${config}): must be a string`]);
  });
});

describe('password files', () => {
  it.each([
    ['one trailing LF', 'secret\n', 'secret'],
    ['one trailing CRLF', 'secret\r\n', 'secret'],
    ['no line end', 'secret', 'secret'],
    ['spaces kept', ' sec ret ', ' sec ret '],
  ])('strips only the line end (%s)', async (_name, content, expected) => {
    const passwordFile = await file('pw', content);
    expect(await primaryPassword({ flags: { 'primary-password-file': passwordFile } })).toBe(expected);
  });

  it('reads a password file written by Windows PowerShell 5 (UTF-16LE with BOM)', async () => {
    const passwordFile = await file('pw', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('pässword\r\n', 'utf16le')]));
    expect(await primaryPassword({ flags: { 'primary-password-file': passwordFile } })).toBe('pässword');
  });

  it.each([
    ['empty', '', 'the password file is empty'],
    ['only a line end', '\r\n', 'the password file is empty'],
    ['two lines', 'secret\n\n', 'the password file must hold the password on a single line'],
  ])('rejects a password file that is %s', async (_name, content, message) => {
    const passwordFile = await file('pw', content);
    expect(await problemsOf(loadSyncConfig(sources({ flags: { 'primary-password-file': passwordFile } })))).toEqual([
      `--primary-password-file (flag): ${message}`,
    ]);
  });

  it('reports an unreadable password file without quoting its path, but saying where relative paths are resolved', async () => {
    expect(await problemsOf(loadSyncConfig(sources({ flags: { 'primary-password-file': 'hunter2' } })))).toEqual([
      `--primary-password-file (flag): cannot read the password file (a relative path is resolved against ${cwd}): file not found`,
    ]);
    expect(await problemsOf(loadSyncConfig(sources({ flags: { 'primary-password-file': path.join(root, 'none') } })))).toEqual([
      '--primary-password-file (flag): cannot read the password file: file not found',
    ]);
  });
});

describe('the password prompt', () => {
  function fakePrompt(answers: readonly string[]) {
    const queue = [...answers];
    return vi.fn<PasswordPrompt>(async () => queue.shift() ?? '');
  }

  it('is not called when every password is configured', async () => {
    const prompt = fakePrompt([]);
    await loadSyncConfig(sources({ prompt, env: { ...SERVERS_ENV, SYNC_DBS_PRIMARY_PASSWORD: 'p' } }));
    expect(prompt).not.toHaveBeenCalled();
  });

  it('asks only for the missing password, naming the user and the URL', async () => {
    const prompt = fakePrompt(['typed-secret']);
    const config = await loadSyncConfig(sources({ prompt }));
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(prompt).toHaveBeenCalledWith('Password for alice at https://primary.example.com: ');
    expect(config.primary.password).toBe('typed-secret');
    expect(config.backups[0]?.password).toBe('backup-secret');
  });

  it('asks for each server in turn when both are missing', async () => {
    const prompt = fakePrompt(['one', 'two']);
    const config = await loadSyncConfig(sources({ prompt, env: { ...SERVERS_ENV, SYNC_DBS_BACKUP_PASSWORD: undefined } }));
    expect(prompt.mock.calls).toEqual([['Password for alice at https://primary.example.com: '], ['Password for bob at https://backup.example.com/api: ']]);
    expect([config.primary.password, config.backups[0]?.password]).toEqual(['one', 'two']);
  });

  it('is not called when something else is wrong, so the user fixes that first', async () => {
    const prompt = fakePrompt(['typed-secret']);
    expect(await problemsOf(loadSyncConfig(sources({ prompt, flags: { retries: '0' } })))).toEqual([
      '--retries (flag): must be an integer from 1 to 20, got "0"',
    ]);
    expect(prompt).not.toHaveBeenCalled();
  });

  it('without a terminal, a missing password is a problem naming both variables', async () => {
    expect(await problemsOf(loadSyncConfig(sources()))).toEqual([
      'primary password (not given): set SYNC_DBS_PRIMARY_PASSWORD or SYNC_DBS_PRIMARY_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
  });

  it('rejects an empty answer', async () => {
    expect(await problemsOf(loadSyncConfig(sources({ prompt: fakePrompt(['']) })))).toEqual(['primary password (prompt): must not be empty']);
  });

  it('passes on a cancelled prompt', async () => {
    const prompt = vi.fn<PasswordPrompt>(async () => {
      throw new Error('password entry cancelled');
    });
    await expect(loadSyncConfig(sources({ prompt }))).rejects.toThrow('password entry cancelled');
  });
});
