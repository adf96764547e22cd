import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadLocalSettings, loadSyncConfig, type ConfigSources, type PasswordPrompt } from '../../src/config/load-config.js';
import type { SyncConfig } from '../../src/config/sync-config.js';
import { makeTempConfigDirs, problemsOf } from './support/config-test-kit.js';

let root = '';
let cwd = '';
beforeEach(async () => {
  const dirs = await makeTempConfigDirs();
  ({ root, cwd } = dirs);
  return dirs.remove;
});

/** The primary and backup 1, with passwords. */
const SERVERS_ENV: Readonly<Record<string, string | undefined>> = {
  SYNC_DBS_PRIMARY_URL: 'https://primary.example.com',
  SYNC_DBS_PRIMARY_USER: 'admin',
  SYNC_DBS_PRIMARY_PASSWORD: 'primary-secret',
  SYNC_DBS_BACKUP_URL: 'https://backup.example.com',
  SYNC_DBS_BACKUP_USER: 'admin',
  SYNC_DBS_BACKUP_PASSWORD: 'backup-secret',
};

/** Backup 2, with a password. */
const BACKUP_2_ENV: Readonly<Record<string, string>> = {
  SYNC_DBS_BACKUP_2_URL: 'https://render.example.com',
  SYNC_DBS_BACKUP_2_USER: 'sync',
  SYNC_DBS_BACKUP_2_PASSWORD: 'render-secret',
};

const PRIMARY_ONLY_ENV: Readonly<Record<string, string | undefined>> = {
  SYNC_DBS_PRIMARY_URL: 'https://primary.example.com',
  SYNC_DBS_PRIMARY_USER: 'admin',
  SYNC_DBS_PRIMARY_PASSWORD: 'primary-secret',
};

function sources(overrides: Partial<ConfigSources> = {}): ConfigSources {
  return { flags: {}, env: SERVERS_ENV, cwd, platform: 'linux', homedir: path.join(root, 'home'), prompt: null, ...overrides };
}

const withEnv = (env: Record<string, string | undefined>, flags: Record<string, unknown> = {}) =>
  loadSyncConfig(sources({ env: { ...SERVERS_ENV, ...env }, flags }));

async function writeJson(name: string, data: unknown): Promise<string> {
  const file = path.join(root, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(data));
  return file;
}

async function writeEnvFile(file: string, vars: Record<string, string>): Promise<string> {
  await writeFile(file, Object.entries(vars).map(([name, value]) => `${name}=${value}\n`).join(''));
  return file;
}

const summary = (config: SyncConfig) => config.backups.map(({ name, url, username }) => [name, url, username]);

describe('numbered backups', () => {
  it('reads backup-2 to backup-9 from every layer, named backup-N by default', async () => {
    await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_BACKUP_3_URL: 'https://three.example.com', SYNC_DBS_BACKUP_3_USER: 'u3', SYNC_DBS_BACKUP_3_PASSWORD: 'p3' });
    const config = await writeJson('sync.json', { 'backup-4-url': 'https://four.example.com', 'backup-4-user': 'u4', 'backup-4-password': 'p4' });
    const loaded = await loadSyncConfig(
      sources({
        env: { ...SERVERS_ENV, ...BACKUP_2_ENV, SYNC_DBS_CONFIG: config, SYNC_DBS_BACKUP_9_PASSWORD: 'p9' },
        flags: { 'backup-9-url': 'https://nine.example.com', 'backup-9-user': 'u9' },
      }),
    );
    expect(summary(loaded)).toEqual([
      ['backup', 'https://backup.example.com', 'admin'],
      ['backup-2', 'https://render.example.com', 'sync'],
      ['backup-3', 'https://three.example.com', 'u3'],
      ['backup-4', 'https://four.example.com', 'u4'],
      ['backup-9', 'https://nine.example.com', 'u9'],
    ]);
    expect(loaded.backups.map((backup) => backup.password)).toEqual(['backup-secret', 'render-secret', 'p3', 'p4', 'p9']);
  });

  it.each([
    ['config', 'https://json.example'],
    ['env-file', 'https://dotenv.example'],
    ['env', 'https://env.example'],
    ['flag', 'https://flag.example'],
  ] as const)('takes a backup-N setting from the highest layer giving it (%s)', async (top, expected) => {
    const layers = ['config', 'env-file', 'env', 'flag'];
    const depth = layers.indexOf(top);
    const configFile = await writeJson('sync.json', { 'backup-3-url': 'https://json.example' });
    if (depth >= 1) await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_BACKUP_3_URL: 'https://dotenv.example' });
    const env: Record<string, string | undefined> = { ...SERVERS_ENV, SYNC_DBS_CONFIG: configFile, SYNC_DBS_BACKUP_3_USER: 'u', SYNC_DBS_BACKUP_3_PASSWORD: 'p' };
    if (depth >= 2) env.SYNC_DBS_BACKUP_3_URL = 'https://env.example';
    const flags = depth >= 3 ? { 'backup-3-url': 'https://flag.example' } : {};
    const config = await loadSyncConfig(sources({ env, flags }));
    expect(config.backups.map((backup) => backup.url)).toEqual(['https://backup.example.com', expected]);
  });

  it('allows gaps: backup and backup-3, or backup-2 alone', async () => {
    const gap = await withEnv({ SYNC_DBS_BACKUP_3_URL: 'https://three.example.com', SYNC_DBS_BACKUP_3_USER: 'u', SYNC_DBS_BACKUP_3_PASSWORD: 'p' });
    expect(gap.backups.map((backup) => backup.name)).toEqual(['backup', 'backup-3']);
    const alone = await loadSyncConfig(sources({ env: { ...PRIMARY_ONLY_ENV, ...BACKUP_2_ENV } }));
    expect(summary(alone)).toEqual([['backup-2', 'https://render.example.com', 'sync']]);
  });

  it('counts a backup as configured when any of its settings is given, and then requires its URL and user', async () => {
    expect(await problemsOf(withEnv({ SYNC_DBS_BACKUP_2_NAME: 'render' }))).toEqual([
      '--backup-2-url (not given): required; set --backup-2-url, SYNC_DBS_BACKUP_2_URL or "backup-2-url" in the config file',
      '--backup-2-user (not given): required; set --backup-2-user, SYNC_DBS_BACKUP_2_USER or "backup-2-user" in the config file',
      'render password (not given): set SYNC_DBS_BACKUP_2_PASSWORD or SYNC_DBS_BACKUP_2_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
    expect(await problemsOf(withEnv({}, { 'backup-5-user': 'five' }))).toEqual([
      '--backup-5-url (not given): required; set --backup-5-url, SYNC_DBS_BACKUP_5_URL or "backup-5-url" in the config file',
      'backup-5 password (not given): set SYNC_DBS_BACKUP_5_PASSWORD or SYNC_DBS_BACKUP_5_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
  });

  it('requires at least one backup, with the messages for backup 1', async () => {
    expect(await problemsOf(loadSyncConfig(sources({ env: PRIMARY_ONLY_ENV })))).toEqual([
      '--backup-url (not given): required; set --backup-url, SYNC_DBS_BACKUP_URL or "backup-url" in the config file',
      '--backup-user (not given): required; set --backup-user, SYNC_DBS_BACKUP_USER or "backup-user" in the config file',
      'backup password (not given): set SYNC_DBS_BACKUP_PASSWORD or SYNC_DBS_BACKUP_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
  });

  it('refuses backup-N passwords as flags and a layer giving both password forms', async () => {
    expect(await problemsOf(withEnv(BACKUP_2_ENV, { 'backup-2-password': 'x' }))).toEqual([
      '--backup-2-password (flag): passwords are not accepted on the command line (they show in process lists); use SYNC_DBS_BACKUP_2_PASSWORD, SYNC_DBS_BACKUP_2_PASSWORD_FILE or the prompt',
    ]);
    expect(await problemsOf(withEnv({ ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_PASSWORD_FILE: 'pw' }))).toEqual([
      'SYNC_DBS_BACKUP_2_PASSWORD and SYNC_DBS_BACKUP_2_PASSWORD_FILE (environment): give either a password or a password file, not both',
    ]);
  });

  it('reads a backup-N password file, relative to the config file\'s folder', async () => {
    await mkdir(path.join(root, 'conf'));
    await writeFile(path.join(root, 'conf', 'b2.pw'), 'from-file\n');
    const config = await writeJson('conf/sync.json', { 'backup-2-url': 'https://render.example.com', 'backup-2-user': 'sync', 'backup-2-password-file': 'b2.pw' });
    const loaded = await loadSyncConfig(sources({ flags: { config } }));
    expect(loaded.backups[1]?.password).toBe('from-file');
  });

  it('rejects unknown backup numbers, suggesting a close name', async () => {
    expect(await problemsOf(withEnv({ SYNC_DBS_BACKUP_10_URL: 'https://ten.example.com', SYNC_DBS_BACKUP2_URL: 'https://x.example.com' }))).toEqual([
      'SYNC_DBS_BACKUP_10_URL (environment): unknown setting; did you mean SYNC_DBS_BACKUP_2_URL?',
      'SYNC_DBS_BACKUP2_URL (environment): unknown setting; did you mean SYNC_DBS_BACKUP_URL?',
    ]);
  });
});

describe('the backups list in a config file', () => {
  const LIST = [
    { name: 'koyeb', url: 'https://koyeb.example.com', user: 'k', password: 'koyeb-secret' },
    { name: 'render', url: 'https://render.example.com', user: 'r', 'password-file': 'render.pw' },
  ];

  async function listConfig(list: unknown, extra: Record<string, unknown> = {}): Promise<string> {
    await mkdir(path.join(root, 'conf'), { recursive: true });
    await writeFile(path.join(root, 'conf', 'render.pw'), 'render-from-file\n');
    return writeJson('conf/sync.json', { backups: list, ...extra });
  }

  it('gives backup i+1 from entry i, with password files relative to the config file\'s folder', async () => {
    const config = await listConfig(LIST);
    const loaded = await loadSyncConfig(sources({ env: { ...PRIMARY_ONLY_ENV, SYNC_DBS_CONFIG: config } }));
    expect(loaded.backups).toEqual([
      { name: 'koyeb', url: 'https://koyeb.example.com', username: 'k', password: 'koyeb-secret' },
      { name: 'render', url: 'https://render.example.com', username: 'r', password: 'render-from-file' },
    ]);
  });

  it('lets the environment, .env and flags override single fields, as if the numbered keys had been written', async () => {
    const config = await listConfig(LIST);
    await writeFile(path.join(root, 'override.pw'), 'override-secret\n');
    await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_BACKUP_NAME: 'fly' });
    const loaded = await loadSyncConfig(
      sources({
        env: { ...PRIMARY_ONLY_ENV, SYNC_DBS_CONFIG: config, SYNC_DBS_BACKUP_2_PASSWORD_FILE: path.join(root, 'override.pw'), SYNC_DBS_BACKUP_URL: 'https://fly.example.com' },
        flags: { 'backup-2-user': 'flag-user' },
      }),
    );
    expect(loaded.backups).toEqual([
      { name: 'fly', url: 'https://fly.example.com', username: 'k', password: 'koyeb-secret' },
      { name: 'render', url: 'https://render.example.com', username: 'flag-user', password: 'override-secret' },
    ]);
  });

  it('allows gaps in the list through empty entries, and the environment can add more backups', async () => {
    const config = await listConfig([{}, LIST[1]]);
    const loaded = await loadSyncConfig(
      sources({ env: { ...PRIMARY_ONLY_ENV, SYNC_DBS_CONFIG: config, SYNC_DBS_BACKUP_3_URL: 'https://three.example.com', SYNC_DBS_BACKUP_3_USER: 'u', SYNC_DBS_BACKUP_3_PASSWORD: 'p' } }),
    );
    expect(loaded.backups.map((backup) => backup.name)).toEqual(['render', 'backup-3']);
  });

  it('names the entry in problems, and points missing fields at it', async () => {
    const config = await listConfig([{ name: 'koyeb', url: 'https://koyeb.example.com', password: 'x' }, { ...LIST[1], pasword: 'hunter2', 'password-file': 7 }]);
    expect(await problemsOf(loadSyncConfig(sources({ env: { ...PRIMARY_ONLY_ENV, SYNC_DBS_CONFIG: config } })))).toEqual([
      `backups[1].pasword (config file ${config}): unknown setting; did you mean password?`,
      '--backup-user (not given): required; set --backup-user, SYNC_DBS_BACKUP_USER or "user" in backups[0] of the config file',
      `backups[1].password-file (config file ${config}): must be the path of a file holding the password`,
    ]);
  });

  it('refuses a list that is not a list, entries that are not objects, and more than 9 entries', async () => {
    const notList = await listConfig({ url: 'https://koyeb.example.com' });
    expect(await problemsOf(loadSyncConfig(sources({ flags: { config: notList } })))).toEqual([
      `backups (config file ${notList}): must be a list of backups, like [{"name": "render", "url": "https://...", "user": "sync", "password-file": "render.pw"}]`,
    ]);
    const badEntry = await listConfig([LIST[0], 'https://render.example.com']);
    expect(await problemsOf(loadSyncConfig(sources({ env: PRIMARY_ONLY_ENV, flags: { config: badEntry } })))).toEqual([
      `backups[1] (config file ${badEntry}): must be an object like {"name": "render", "url": "https://...", "user": "sync", "password-file": "render.pw"}`,
    ]);
    const entries = Array.from({ length: 10 }, (_, index) => ({ url: `https://b${index}.example.com`, user: 'u', password: 'p' }));
    const tooMany = await listConfig(entries);
    const problems = await problemsOf(loadSyncConfig(sources({ env: PRIMARY_ONLY_ENV, flags: { config: tooMany } })));
    expect(problems).toEqual([`backups (config file ${tooMany}): at most 9 backups, got 10`]);
  });

  it('refuses a config file giving both the list and backup-* keys', async () => {
    const config = await listConfig(LIST, { 'backup-url': 'https://other.example.com', 'backup-2-name': 'x', backup: 'koyeb' });
    expect(await problemsOf(loadSyncConfig(sources({ env: { ...PRIMARY_ONLY_ENV, SYNC_DBS_CONFIG: config } })))).toEqual([
      `backups and backup-url, backup-2-name (config file ${config}): give the backups either as the "backups" list or as backup-* keys, not both`,
    ]);
  });

  it('does not trouble the local settings (status, history, report)', async () => {
    const config = await listConfig(LIST, { 'state-dir': 'state' });
    const settings = await loadLocalSettings({
      flags: { config },
      env: { SYNC_DBS_BACKUP_3_URL: 'https://three.example.com', SYNC_DBS_BACKUP_4_NAME: 'x', SYNC_DBS_BACKUP: 'nope', SYNC_DBS_MODE: 'two-way' },
      cwd,
      platform: 'linux',
      homedir: path.join(root, 'home'),
    });
    expect(settings.stateDir).toBe(path.join(root, 'conf', 'state'));
  });
});

describe('backup names', () => {
  it('defaults to backup and backup-N, and takes a custom name from any layer', async () => {
    expect((await withEnv(BACKUP_2_ENV)).backups.map((backup) => backup.name)).toEqual(['backup', 'backup-2']);
    const config = await writeJson('sync.json', { 'backup-name': 'koyeb' });
    const loaded = await withEnv({ ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_NAME: 'Render.eu_1', SYNC_DBS_CONFIG: config });
    expect(loaded.backups.map((backup) => backup.name)).toEqual(['koyeb', 'Render.eu_1']);
    expect((await withEnv(BACKUP_2_ENV, { 'backup-name': 'fly' })).backups[0]?.name).toBe('fly');
  });

  it.each([
    ['render eu', 'got "render eu"'],
    ['.hidden', 'got ".hidden"'],
    ['-x', 'got "-x"'],
    ['a'.repeat(33), `got "${'a'.repeat(33)}"`],
    ['café', 'got "café"'],
  ])('rejects the name %j', async (name, got) => {
    expect(await problemsOf(withEnv({}, { 'backup-name': name }))).toEqual([
      `--backup-name (flag): must be 1 to 32 letters, digits, dots, underscores or dashes, starting with a letter or digit, ${got}`,
    ]);
  });

  it('accepts a name of 32 characters and rejects an empty one', async () => {
    expect((await withEnv({}, { 'backup-name': `b${'x'.repeat(31)}` })).backups[0]?.name).toHaveLength(32);
    expect(await problemsOf(withEnv({ SYNC_DBS_BACKUP_NAME: ' ' }))).toEqual(['SYNC_DBS_BACKUP_NAME (environment): must not be empty']);
  });

  it('refuses "primary" as a backup name, in any case', async () => {
    expect(await problemsOf(withEnv({ SYNC_DBS_BACKUP_NAME: 'Primary' }))).toEqual([
      'SYNC_DBS_BACKUP_NAME (environment): "primary" is the name of the primary server; give the backup another name',
    ]);
  });

  it('requires unique names, ignoring case, default names included', async () => {
    expect(await problemsOf(withEnv({ ...BACKUP_2_ENV, SYNC_DBS_BACKUP_NAME: 'render', SYNC_DBS_BACKUP_2_NAME: 'render' }))).toEqual([
      'SYNC_DBS_BACKUP_2_NAME (environment): must differ from SYNC_DBS_BACKUP_NAME (environment) (both are "render")',
    ]);
    expect(await problemsOf(withEnv({ ...BACKUP_2_ENV, SYNC_DBS_BACKUP_NAME: 'Render', SYNC_DBS_BACKUP_2_NAME: 'render' }))).toEqual([
      'SYNC_DBS_BACKUP_2_NAME (environment): must differ from SYNC_DBS_BACKUP_NAME (environment) ("Render" and "render" differ only in case)',
    ]);
    expect(await problemsOf(withEnv(BACKUP_2_ENV, { 'backup-name': 'BACKUP-2' }))).toEqual([
      '--backup-2-name (default): must differ from --backup-name (flag) ("BACKUP-2" and "backup-2" differ only in case)',
    ]);
  });
});

describe('server URLs', () => {
  it('must all differ, naming both settings', async () => {
    expect(
      await problemsOf(
        withEnv({ ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_URL: 'https://PRIMARY.example.com/' }, { 'backup-3-url': 'https://backup.example.com', 'backup-3-user': 'u' }),
      ),
    ).toEqual([
      'SYNC_DBS_BACKUP_2_URL (environment): must name another server than SYNC_DBS_PRIMARY_URL (environment) (both are https://primary.example.com)',
      '--backup-3-url (flag): must name another server than SYNC_DBS_BACKUP_URL (environment) (both are https://backup.example.com)',
      'backup-3 password (not given): set SYNC_DBS_BACKUP_3_PASSWORD or SYNC_DBS_BACKUP_3_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
  });
});

describe('--backup: the backups this run takes', () => {
  const THREE = { ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_NAME: 'render', SYNC_DBS_BACKUP_3_URL: 'https://fly.example.com', SYNC_DBS_BACKUP_3_USER: 'u', SYNC_DBS_BACKUP_3_PASSWORD: 'p', SYNC_DBS_BACKUP_3_NAME: 'fly' };

  it('takes every configured backup by default', async () => {
    expect((await withEnv(THREE)).backups.map((backup) => backup.name)).toEqual(['backup', 'render', 'fly']);
  });

  it('takes the named backups in configuration order, ignoring case, spaces and repeats', async () => {
    expect((await withEnv(THREE, { backup: 'fly, Backup,fly' })).backups.map((backup) => backup.name)).toEqual(['backup', 'fly']);
    expect((await withEnv({ ...THREE, SYNC_DBS_BACKUP: 'render' })).backups.map((backup) => backup.name)).toEqual(['render']);
    const config = await writeJson('sync.json', { backup: ['fly', 'render'] });
    expect((await withEnv({ ...THREE, SYNC_DBS_CONFIG: config })).backups.map((backup) => backup.name)).toEqual(['render', 'fly']);
  });

  it('reports unknown names, listing the configured ones', async () => {
    expect(await problemsOf(withEnv(THREE, { backup: 'render,koyeb' }))).toEqual([
      '--backup (flag): no backup is named "koyeb" (configured: backup, render, fly)',
    ]);
    expect(await problemsOf(withEnv({ ...THREE, SYNC_DBS_BACKUP: 'a,b' }))).toEqual([
      'SYNC_DBS_BACKUP (environment): no backups are named "a", "b" (configured: backup, render, fly)',
    ]);
  });

  it('rejects an empty list or an empty name', async () => {
    expect(await problemsOf(withEnv(THREE, { backup: 'render,,fly' }))).toEqual([
      '--backup (flag): must be a comma-separated list of backup names, got "render,,fly"',
    ]);
  });

  it('needs no password for a backup it does not take, and does not ask for one', async () => {
    const env = { ...THREE, SYNC_DBS_BACKUP_PASSWORD: undefined, SYNC_DBS_BACKUP_3_PASSWORD_FILE: path.join(root, 'missing.pw'), SYNC_DBS_BACKUP_3_PASSWORD: undefined };
    const loaded = await withEnv(env, { backup: 'render' });
    expect(summary(loaded)).toEqual([['render', 'https://render.example.com', 'sync']]);
    const prompt = vi.fn<PasswordPrompt>(async () => 'typed');
    await loadSyncConfig(sources({ env: { ...SERVERS_ENV, ...env }, flags: { backup: 'render' }, prompt }));
    expect(prompt).not.toHaveBeenCalled();
  });

  it('still checks the other settings of a backup it does not take', async () => {
    expect(await problemsOf(withEnv({ ...THREE, SYNC_DBS_BACKUP_3_URL: 'ftp://fly.example.com', SYNC_DBS_BACKUP_3_PASSWORD: undefined }, { backup: 'render' }))).toEqual([
      'SYNC_DBS_BACKUP_3_URL (environment): must use http or https, got "ftp"',
    ]);
  });
});

describe('--mode and --conflict', () => {
  it('default to two-way (the round trip) and primary', async () => {
    const config = await withEnv({});
    expect([config.mode, config.conflict]).toEqual(['two-way', 'primary']);
  });

  it('take their choices from any layer', async () => {
    const config = await writeJson('sync.json', { conflict: 'none' });
    const loaded = await withEnv({ SYNC_DBS_MODE: 'one-way', SYNC_DBS_CONFIG: config });
    expect([loaded.mode, loaded.conflict]).toEqual(['one-way', 'none']);
    const fromFlags = await withEnv({ SYNC_DBS_MODE: 'one-way', SYNC_DBS_CONFIG: config }, { mode: 'two-way', conflict: 'peer' });
    expect([fromFlags.mode, fromFlags.conflict]).toEqual(['two-way', 'peer']);
  });

  it('reject other values', async () => {
    expect(await problemsOf(withEnv({ SYNC_DBS_MODE: 'both-ways' }, { conflict: 'newest' }))).toEqual([
      'SYNC_DBS_MODE (environment): must be one of one-way, two-way, got "both-ways"',
      '--conflict (flag): must be one of primary, peer, none, got "newest"',
    ]);
  });

  it('accept --conflict in one-way mode and ignore it', async () => {
    const config = await withEnv(BACKUP_2_ENV, { mode: 'one-way', conflict: 'peer' });
    expect([config.mode, config.conflict, config.backups.length]).toEqual(['one-way', 'peer', 2]);
  });

  it('take every configured backup in two-way, in configured order', async () => {
    const env = { ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_NAME: 'render', SYNC_DBS_BACKUP_3_URL: 'https://fly.example.com', SYNC_DBS_BACKUP_3_USER: 'f', SYNC_DBS_BACKUP_3_PASSWORD: 'fly-secret' };
    const byDefault = await withEnv(env);
    expect([byDefault.mode, byDefault.backups.map((backup) => backup.name)]).toEqual(['two-way', ['backup', 'render', 'backup-3']]);
    const asked = await withEnv({ ...env, SYNC_DBS_MODE: 'two-way' });
    expect([asked.mode, asked.backups.map((backup) => backup.name)]).toEqual(['two-way', ['backup', 'render', 'backup-3']]);
  });

  it('let --backup narrow two-way to the backups named', async () => {
    const env = { ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_NAME: 'render' };
    const peer = await withEnv(env, { mode: 'two-way', backup: 'render' });
    expect([peer.mode, summary(peer)]).toEqual(['two-way', [['render', 'https://render.example.com', 'sync']]]);
    const both = await withEnv(env, { backup: 'render,backup' });
    expect([both.mode, both.backups.map((backup) => backup.name)]).toEqual(['two-way', ['backup', 'render']]);
    expect((await withEnv({}, { mode: 'two-way' })).backups.map((backup) => backup.name)).toEqual(['backup']);
  });
});

describe('the password prompt with several backups', () => {
  it('asks once per server it takes that has no password, in order: primary, backup, backup-2...', async () => {
    const answers = ['one', 'two', 'three'];
    const prompt = vi.fn<PasswordPrompt>(async () => answers.shift() ?? '');
    const env = {
      ...SERVERS_ENV,
      ...BACKUP_2_ENV,
      SYNC_DBS_PRIMARY_PASSWORD: undefined,
      SYNC_DBS_BACKUP_PASSWORD: undefined,
      SYNC_DBS_BACKUP_2_PASSWORD: undefined,
      SYNC_DBS_BACKUP_2_NAME: 'render',
      SYNC_DBS_BACKUP_3_URL: 'https://fly.example.com',
      SYNC_DBS_BACKUP_3_USER: 'f',
    };
    const config = await loadSyncConfig(sources({ env, flags: { backup: 'backup,render' }, prompt }));
    expect(prompt.mock.calls).toEqual([
      ['Password for admin at https://primary.example.com: '],
      ['Password for admin at https://backup.example.com: '],
      ['Password for sync at https://render.example.com: '],
    ]);
    expect([config.primary.password, ...config.backups.map((backup) => backup.password)]).toEqual(['one', 'two', 'three']);
  });

  it('without a terminal, names the variables of each server it takes that has no password', async () => {
    const env = { ...BACKUP_2_ENV, SYNC_DBS_BACKUP_PASSWORD: undefined, SYNC_DBS_BACKUP_2_PASSWORD: undefined, SYNC_DBS_BACKUP_2_NAME: 'render' };
    expect(await problemsOf(withEnv(env))).toEqual([
      'backup password (not given): set SYNC_DBS_BACKUP_PASSWORD or SYNC_DBS_BACKUP_PASSWORD_FILE, or run in a terminal to be asked for it',
      'render password (not given): set SYNC_DBS_BACKUP_2_PASSWORD or SYNC_DBS_BACKUP_2_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
    expect(await problemsOf(withEnv(env, { backup: 'render' }))).toEqual([
      'render password (not given): set SYNC_DBS_BACKUP_2_PASSWORD or SYNC_DBS_BACKUP_2_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
  });
});

describe('secrets of backups never appear in problems', () => {
  const SECRET = 'Sup3r-S3cret-Value';

  it('are not echoed, even where the secret is the invalid value', async () => {
    const listFile = await writeJson('list.json', {
      backups: [
        { url: 'https://koyeb.example.com', user: 'k', password: SECRET, 'password-file': SECRET },
        { url: 'https://render.example.com', user: 'r', password: 12345, pasword: SECRET, passwrd: SECRET },
        { url: 'https://fly.example.com', user: 'f', 'password-file': SECRET },
        SECRET,
      ],
    });
    const attempts = [
      // A password pasted where the file path belongs, from a flag, the environment and a .env file.
      sources({ env: { ...SERVERS_ENV, ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_PASSWORD: undefined }, flags: { 'backup-2-password-file': SECRET } }),
      sources({ env: { ...SERVERS_ENV, ...BACKUP_2_ENV, SYNC_DBS_BACKUP_2_PASSWORD: undefined, SYNC_DBS_BACKUP_2_PASSWORD_FILE: SECRET } }),
      sources({ flags: { 'backup-4-password': SECRET, 'backup-4-url': 'https://four.example.com', 'backup-4-user': 'u' } }),
      sources({ env: { ...SERVERS_ENV, SYNC_DBS_BACKUP_2_PASWORD: SECRET, SYNC_DBS_BACKUP_2_PASSWORD: SECRET } }),
      sources({ env: PRIMARY_ONLY_ENV, flags: { config: listFile } }),
      sources({ env: { ...PRIMARY_ONLY_ENV, ...BACKUP_2_ENV }, flags: { 'backup-2-url': `https://admin:${SECRET}@render.example.com` } }),
    ];
    const texts: string[] = [];
    for (const attempt of attempts) {
      const error = await loadSyncConfig(attempt).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      texts.push((error as ConfigError).message);
    }
    const text = texts.join('\n');
    // The attempts did fail for the reasons planted above.
    expect(text).toContain('--backup-2-password-file (flag): cannot read the password file');
    expect(text).toContain('SYNC_DBS_BACKUP_2_PASSWORD_FILE (environment): cannot read the password file');
    expect(text).toContain('--backup-4-password (flag): passwords are not accepted on the command line');
    expect(text).toContain('SYNC_DBS_BACKUP_2_PASWORD (environment): unknown setting');
    expect(text).toContain('backups[0].password and backups[0].password-file (config file');
    expect(text).toContain('backups[1].password (config file');
    expect(text).toContain('backups[1].pasword (config file');
    expect(text).toContain('backups[2].password-file (config file');
    expect(text).toContain('backups[3] (config file');
    expect(text).toContain('must not contain a user name or password');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('Sup3r');
  });
});
