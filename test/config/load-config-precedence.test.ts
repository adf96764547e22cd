import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSyncConfig, type ConfigSources } from '../../src/config/load-config.js';
import { makeTempConfigDirs, problemsOf } from './support/config-test-kit.js';

let root = '';
let cwd = '';
beforeEach(async () => {
  const dirs = await makeTempConfigDirs();
  ({ root, cwd } = dirs);
  return dirs.remove;
});

/** Everything a valid configuration needs, from the environment. */
const SERVERS_ENV = {
  SYNC_DBS_PRIMARY_URL: 'https://primary.example.com',
  SYNC_DBS_PRIMARY_USER: 'admin',
  SYNC_DBS_PRIMARY_PASSWORD: 'primary-secret',
  SYNC_DBS_BACKUP_URL: 'https://backup.example.com',
  SYNC_DBS_BACKUP_USER: 'admin',
  SYNC_DBS_BACKUP_PASSWORD: 'backup-secret',
};

function sources(overrides: Partial<ConfigSources> = {}): ConfigSources {
  return { flags: {}, env: SERVERS_ENV, cwd, platform: 'linux', homedir: path.join(root, 'home'), prompt: null, ...overrides };
}

async function writeJson(name: string, data: unknown): Promise<string> {
  const file = path.join(root, name);
  await writeFile(file, JSON.stringify(data));
  return file;
}

async function writeEnvFile(file: string, vars: Record<string, string>): Promise<string> {
  await writeFile(file, Object.entries(vars).map(([name, value]) => `${name}=${value}\n`).join(''));
  return file;
}

describe('defaults', () => {
  it('applies every default when only the servers are configured', async () => {
    const config = await loadSyncConfig(sources());
    expect(config).toEqual({
      primary: { name: 'primary', url: 'https://primary.example.com', username: 'admin', password: 'primary-secret' },
      backups: [{ name: 'backup', url: 'https://backup.example.com', username: 'admin', password: 'backup-secret' }],
      mode: 'two-way',
      conflict: 'primary',
      concurrency: null,
      maxConcurrency: 64,
      timeoutMs: 30_000,
      wakeTimeoutMs: 120_000,
      retries: 6,
      retryDelayMs: 1_000,
      retryMaxDelayMs: 32_000,
      maxAnswerMb: 128,
      delete: false,
      maxDelete: 0,
      newUsers: 'create',
      minPrimaryRatio: 0.5,
      stateDir: path.join(root, 'home', '.local', 'state', 'sync-dbs'),
      ca: null,
      allowInsecureHttp: false,
      maxShrink: 0.1,
      expectEveryMs: 3_600_000,
      every: null,
      logRetentionDays: 14,
      historyRetentionDays: 90,
      language: null,
      notify: { webhookUrl: null, format: 'auto', on: ['failure', 'recovery'], pingUrl: null },
      serve: { healthIntervalMs: 60_000, healthTimeoutMs: 10_000, downAfter: 3, upAfter: 3, host: '127.0.0.1', port: 8750, dashboardToken: null },
    });
  });
});

describe('precedence: flags, environment, .env file, JSON config', () => {
  // Each case gives the setting in the named layer and every layer below it, with distinct values.
  async function layered(top: 'config' | 'env-file' | 'env' | 'flag', setting: { flag: string; env: string }, values: readonly [string, string, string, string]) {
    const [fromConfig, fromEnvFile, fromEnv, fromFlag] = values;
    const configFile = await writeJson('sync.json', { [setting.flag]: fromConfig });
    const layers = ['config', 'env-file', 'env', 'flag'];
    const depth = layers.indexOf(top);
    if (depth >= 1) await writeEnvFile(path.join(cwd, '.env'), { [setting.env]: fromEnvFile });
    const env: Record<string, string> = { ...SERVERS_ENV, SYNC_DBS_CONFIG: configFile };
    delete env[setting.env];
    if (depth >= 2) env[setting.env] = fromEnv;
    const flags = depth >= 3 ? { [setting.flag]: fromFlag } : {};
    return loadSyncConfig(sources({ env, flags }));
  }

  const urls = ['https://json.example', 'https://dotenv.example', 'https://env.example', 'https://flag.example'] as const;
  it.each([
    ['config', 'https://json.example'],
    ['env-file', 'https://dotenv.example'],
    ['env', 'https://env.example'],
    ['flag', 'https://flag.example'],
  ] as const)('takes the primary URL from the highest layer giving it (%s)', async (top, expected) => {
    const config = await layered(top, { flag: 'primary-url', env: 'SYNC_DBS_PRIMARY_URL' }, urls);
    expect(config.primary.url).toBe(expected);
  });

  it.each([
    ['config', 2],
    ['env-file', 3],
    ['env', 4],
    ['flag', 5],
  ] as const)('takes the concurrency from the highest layer giving it (%s)', async (top, expected) => {
    const config = await layered(top, { flag: 'concurrency', env: 'SYNC_DBS_CONCURRENCY' }, ['2', '3', '4', '5']);
    expect(config.concurrency).toBe(expected);
  });

  it.each([
    ['config', 16],
    ['env-file', 32],
    ['env', 64],
    ['flag', 256],
  ] as const)('takes --max-answer-mb from the highest layer giving it (%s)', async (top, expected) => {
    const config = await layered(top, { flag: 'max-answer-mb', env: 'SYNC_DBS_MAX_ANSWER_MB' }, ['16', '32', '64', '256']);
    expect(config.maxAnswerMb).toBe(expected);
  });

  it('resolves each setting on its own: a lower layer still supplies what the higher ones omit', async () => {
    const configFile = await writeJson('sync.json', { 'max-delete': 7, retries: 3, 'primary-user': 'json-user' });
    await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_RETRIES: '4', SYNC_DBS_BACKUP_USER: 'dotenv-user' });
    const config = await loadSyncConfig(sources({ env: { ...SERVERS_ENV, SYNC_DBS_CONFIG: configFile, SYNC_DBS_PRIMARY_USER: undefined, SYNC_DBS_BACKUP_USER: undefined }, flags: { timeout: '5' } }));
    expect(config.maxDelete).toBe(7);
    expect(config.retries).toBe(4);
    expect(config.timeoutMs).toBe(5_000);
    expect(config.primary.username).toBe('json-user');
    expect(config.backups[0]?.username).toBe('dotenv-user');
  });

  it('takes a typed JSON value and the same value as a string', async () => {
    const typed = await writeJson('typed.json', { concurrency: 3, delete: true, 'min-primary-ratio': 0.25 });
    const strings = await writeJson('strings.json', { concurrency: '3', delete: 'yes', 'min-primary-ratio': '0.25' });
    for (const file of [typed, strings]) {
      const config = await loadSyncConfig(sources({ flags: { config: file } }));
      expect([config.concurrency, config.delete, config.minPrimaryRatio]).toEqual([3, true, 0.25]);
    }
  });

  it('ignores flags that are undefined (not given) and flags that are not configuration', async () => {
    const config = await loadSyncConfig(sources({ flags: { concurrency: undefined, 'dry-run': true, verbose: 2, _: ['sync'] } }));
    expect(config.concurrency).toBeNull();
  });
});

describe('where the .env and JSON config files are', () => {
  it('reads .env from the working directory when present, and does without it otherwise', async () => {
    expect((await loadSyncConfig(sources())).retries).toBe(6);
    await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_RETRIES: '2' });
    expect((await loadSyncConfig(sources())).retries).toBe(2);
  });

  it('reads the .env file named by --env-file, relative to the working directory, instead of ./.env', async () => {
    await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_RETRIES: '2' });
    await writeEnvFile(path.join(cwd, 'other.env'), { SYNC_DBS_RETRIES: '3' });
    expect((await loadSyncConfig(sources({ flags: { 'env-file': 'other.env' } }))).retries).toBe(3);
  });

  it('reads the .env file named by SYNC_DBS_ENV_FILE, and --env-file wins over it', async () => {
    const fromEnv = await writeEnvFile(path.join(root, 'env.env'), { SYNC_DBS_RETRIES: '3' });
    const fromFlag = await writeEnvFile(path.join(root, 'flag.env'), { SYNC_DBS_RETRIES: '4' });
    const env = { ...SERVERS_ENV, SYNC_DBS_ENV_FILE: fromEnv };
    expect((await loadSyncConfig(sources({ env }))).retries).toBe(3);
    expect((await loadSyncConfig(sources({ env, flags: { 'env-file': fromFlag } }))).retries).toBe(4);
  });

  it('requires a named .env file to exist', async () => {
    const missing = path.join(root, 'missing.env');
    expect(await problemsOf(loadSyncConfig(sources({ flags: { 'env-file': missing } })))).toEqual([
      `--env-file (flag): cannot read ${missing}: file not found`,
    ]);
    expect(await problemsOf(loadSyncConfig(sources({ env: { ...SERVERS_ENV, SYNC_DBS_ENV_FILE: missing } })))).toEqual([
      `SYNC_DBS_ENV_FILE (environment): cannot read ${missing}: file not found`,
    ]);
  });

  it('finds the JSON config through --config, SYNC_DBS_CONFIG or the .env file, in that order', async () => {
    const a = await writeJson('a.json', { retries: 2 });
    const b = await writeJson('b.json', { retries: 3 });
    await writeJson('c.json', { retries: 4 });
    await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_CONFIG: '../c.json' });
    expect((await loadSyncConfig(sources())).retries).toBe(4);
    expect((await loadSyncConfig(sources({ env: { ...SERVERS_ENV, SYNC_DBS_CONFIG: b } }))).retries).toBe(3);
    expect((await loadSyncConfig(sources({ env: { ...SERVERS_ENV, SYNC_DBS_CONFIG: b }, flags: { config: a } }))).retries).toBe(2);
  });

  it('reports a JSON config file that cannot be read', async () => {
    const missing = path.join(root, 'nope.json');
    expect(await problemsOf(loadSyncConfig(sources({ flags: { config: missing } })))).toEqual([
      `--config (flag): cannot read ${missing}: file not found`,
    ]);
  });

  it('resolves relative paths in a file against that file\'s folder, and flags against the working directory', async () => {
    await mkdir(path.join(root, 'conf'));
    const configFile = path.join(root, 'conf', 'sync.json');
    await writeFile(configFile, JSON.stringify({ 'state-dir': 'state' }));
    const fromFile = await loadSyncConfig(sources({ flags: { config: configFile } }));
    expect(fromFile.stateDir).toBe(path.join(root, 'conf', 'state'));
    const fromFlag = await loadSyncConfig(sources({ flags: { config: configFile, 'state-dir': 'here' } }));
    expect(fromFlag.stateDir).toBe(path.join(cwd, 'here'));
  });

  it('reads a .env file and a JSON config written by Windows tools (BOM, UTF-16LE, CRLF)', async () => {
    await writeFile(path.join(cwd, '.env'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('SYNC_DBS_RETRIES=3\r\n', 'utf16le')]));
    const configFile = path.join(root, 'bom.json');
    await writeFile(configFile, '\ufeff{"max-delete": 9}\r\n');
    const config = await loadSyncConfig(sources({ flags: { config: configFile } }));
    expect([config.retries, config.maxDelete]).toEqual([3, 9]);
  });

  it('never changes process.env', async () => {
    const before = { ...process.env };
    await writeEnvFile(path.join(cwd, '.env'), { SYNC_DBS_RETRIES: '2', OTHER_VARIABLE_FROM_DOTENV: 'x' });
    await loadSyncConfig(sources());
    expect(process.env).toEqual(before);
  });
});
