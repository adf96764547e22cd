import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadSyncConfig } from '../../src/config/load-config.js';
import { CONFIG_FLAGS, PASSWORD_KEYS, SERVER_FLAGS, SETTINGS, SOURCE_FLAGS, envNameFor } from '../../src/config/settings.js';
import type { SyncConfig } from '../../src/config/sync-config.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'sync-dbs-settings-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const SERVERS_ENV = {
  SYNC_DBS_PRIMARY_URL: 'https://primary.example.com',
  SYNC_DBS_PRIMARY_USER: 'admin',
  SYNC_DBS_PRIMARY_PASSWORD: 'p',
  SYNC_DBS_BACKUP_URL: 'https://backup.example.com',
  SYNC_DBS_BACKUP_USER: 'admin',
  SYNC_DBS_BACKUP_PASSWORD: 'b',
};

describe('the settings table', () => {
  it('lists the non-server settings with env names derived from the flags', () => {
    expect(SETTINGS.map((spec) => [spec.flag, spec.env])).toEqual([
      ['backup', 'SYNC_DBS_BACKUP'],
      ['mode', 'SYNC_DBS_MODE'],
      ['conflict', 'SYNC_DBS_CONFLICT'],
      ['concurrency', 'SYNC_DBS_CONCURRENCY'],
      ['max-concurrency', 'SYNC_DBS_MAX_CONCURRENCY'],
      ['timeout', 'SYNC_DBS_TIMEOUT'],
      ['wake-timeout', 'SYNC_DBS_WAKE_TIMEOUT'],
      ['retries', 'SYNC_DBS_RETRIES'],
      ['retry-delay', 'SYNC_DBS_RETRY_DELAY'],
      ['retry-max-delay', 'SYNC_DBS_RETRY_MAX_DELAY'],
      ['max-answer-mb', 'SYNC_DBS_MAX_ANSWER_MB'],
      ['delete', 'SYNC_DBS_DELETE'],
      ['max-delete', 'SYNC_DBS_MAX_DELETE'],
      ['new-users', 'SYNC_DBS_NEW_USERS'],
      ['min-primary-ratio', 'SYNC_DBS_MIN_PRIMARY_RATIO'],
      ['state-dir', 'SYNC_DBS_STATE_DIR'],
      ['ca-file', 'SYNC_DBS_CA_FILE'],
      ['allow-insecure-http', 'SYNC_DBS_ALLOW_INSECURE_HTTP'],
      ['max-shrink', 'SYNC_DBS_MAX_SHRINK'],
      ['expect-every', 'SYNC_DBS_EXPECT_EVERY'],
      ['every', 'SYNC_DBS_EVERY'],
      ['log-retention', 'SYNC_DBS_LOG_RETENTION'],
      ['history-retention', 'SYNC_DBS_HISTORY_RETENTION'],
      ['lang', 'SYNC_DBS_LANG'],
      ['notify-webhook', 'SYNC_DBS_NOTIFY_WEBHOOK'],
      ['notify-format', 'SYNC_DBS_NOTIFY_FORMAT'],
      ['notify-on', 'SYNC_DBS_NOTIFY_ON'],
      ['ping-url', 'SYNC_DBS_PING_URL'],
      ['health-interval', 'SYNC_DBS_HEALTH_INTERVAL'],
      ['health-timeout', 'SYNC_DBS_HEALTH_TIMEOUT'],
      ['down-after', 'SYNC_DBS_DOWN_AFTER'],
      ['up-after', 'SYNC_DBS_UP_AFTER'],
      ['host', 'SYNC_DBS_HOST'],
      ['port', 'SYNC_DBS_PORT'],
      ['dashboard-token', 'SYNC_DBS_DASHBOARD_TOKEN'],
    ]);
  });

  it('gives the fixed server variable names and never a password flag', () => {
    const backupEnv = (slot: string) => ['URL', 'USER', 'PASSWORD_FILE', 'NAME'].map((suffix) => `SYNC_DBS_${slot}_${suffix}`);
    expect(SERVER_FLAGS.map((spec) => spec.env)).toEqual([
      'SYNC_DBS_PRIMARY_URL',
      'SYNC_DBS_PRIMARY_USER',
      'SYNC_DBS_PRIMARY_PASSWORD_FILE',
      'SYNC_DBS_BACKUP_URL',
      'SYNC_DBS_BACKUP_USER',
      'SYNC_DBS_BACKUP_PASSWORD_FILE',
      'SYNC_DBS_BACKUP_NAME',
      ...['2', '3', '4', '5', '6', '7', '8', '9'].flatMap((n) => backupEnv(`BACKUP_${n}`)),
    ]);
    expect(PASSWORD_KEYS.map(envNameFor)).toEqual([
      'SYNC_DBS_PRIMARY_PASSWORD',
      'SYNC_DBS_BACKUP_PASSWORD',
      ...['2', '3', '4', '5', '6', '7', '8', '9'].map((n) => `SYNC_DBS_BACKUP_${n}_PASSWORD`),
    ]);
    const flags = CONFIG_FLAGS.map((spec) => spec.flag);
    for (const key of PASSWORD_KEYS) expect(flags).not.toContain(key);
    expect(CONFIG_FLAGS).toEqual([...SOURCE_FLAGS, ...SERVER_FLAGS, ...SETTINGS]);
    expect(SOURCE_FLAGS.map((spec) => spec.env)).toEqual(['SYNC_DBS_CONFIG', 'SYNC_DBS_ENV_FILE']);
  });

  it('shows primary-*, backup-* and backup-2-* in --help and hides backup-3-* to backup-9-*', () => {
    const shown = CONFIG_FLAGS.filter((spec) => spec.hidden !== true).map((spec) => spec.flag);
    expect(SERVER_FLAGS.filter((spec) => spec.hidden !== true).map((spec) => spec.flag)).toEqual([
      'primary-url',
      'primary-user',
      'primary-password-file',
      'backup-url',
      'backup-user',
      'backup-password-file',
      'backup-name',
      'backup-2-url',
      'backup-2-user',
      'backup-2-password-file',
      'backup-2-name',
    ]);
    expect(CONFIG_FLAGS.filter((spec) => spec.hidden === true)).toEqual(SERVER_FLAGS.filter((spec) => /^backup-[3-9]-/.test(spec.flag)));
    expect(shown).toEqual(expect.arrayContaining(['backup', 'mode', 'conflict']));
    expect(SERVER_FLAGS.find((spec) => spec.flag === 'backup-2-url')?.description).toContain('up to backup-9');
    expect(SERVER_FLAGS.find((spec) => spec.flag === 'backup-name')?.defaultText).toBe('backup');
    expect(SERVER_FLAGS.find((spec) => spec.flag === 'backup-7-name')?.defaultText).toBe('backup-7');
    expect(SETTINGS.find((spec) => spec.flag === 'mode')?.choices).toEqual(['one-way', 'two-way']);
    expect(SETTINGS.find((spec) => spec.flag === 'conflict')?.choices).toEqual(['primary', 'peer', 'none']);
  });

  it('has yargs read booleans as booleans and everything else as strings, and describes every flag', () => {
    for (const spec of CONFIG_FLAGS) {
      expect(spec.yargsType, spec.flag).toBe(spec.kind === 'boolean' ? 'boolean' : 'string');
      expect(spec.description.length, spec.flag).toBeGreaterThan(10);
      expect(spec.choices !== undefined, spec.flag).toBe(spec.kind === 'choice');
    }
    expect(SETTINGS.find((spec) => spec.flag === 'new-users')?.choices).toEqual(['create', 'skip']);
  });

  it('shows the defaults loadSyncConfig applies', async () => {
    const config = await loadSyncConfig({ flags: {}, env: SERVERS_ENV, cwd, platform: 'linux', homedir: '/home/me', prompt: null });
    const seconds = (ms: number) => String(ms / 1000);
    const shown: Partial<Record<string, string>> = {
      concurrency: config.concurrency === null ? 'adaptive' : String(config.concurrency),
      'max-concurrency': String(config.maxConcurrency),
      timeout: seconds(config.timeoutMs),
      'wake-timeout': seconds(config.wakeTimeoutMs),
      retries: String(config.retries),
      'retry-delay': seconds(config.retryDelayMs),
      'retry-max-delay': seconds(config.retryMaxDelayMs),
      'max-answer-mb': String(config.maxAnswerMb),
      delete: String(config.delete),
      'max-delete': String(config.maxDelete),
      'new-users': config.newUsers,
      'min-primary-ratio': String(config.minPrimaryRatio),
      'allow-insecure-http': String(config.allowInsecureHttp),
      mode: config.mode,
      conflict: config.conflict,
    };
    for (const spec of SETTINGS) {
      if (spec.flag in shown) expect(spec.defaultText, spec.flag).toBe(shown[spec.flag]);
    }
    expect(SETTINGS.find((spec) => spec.flag === 'ca-file')?.defaultText).toBeNull();
    expect(config.ca satisfies SyncConfig['ca']).toBeNull();
  });

  it('every flag in the table is read by loadSyncConfig from the flags (a bad value is reported under its flag name)', async () => {
    for (const spec of CONFIG_FLAGS) {
      const bad = spec.kind === 'boolean' ? 'maybe' : spec.kind === 'string' ? '' : 'not-a-value';
      const error = await loadSyncConfig({ flags: { [spec.flag]: bad }, env: SERVERS_ENV, cwd, platform: 'linux', homedir: '/home/me', prompt: null }).catch(
        (caught: unknown) => caught,
      );
      expect(error, spec.flag).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.some((problem) => problem.startsWith(`--${spec.flag} (flag): `)), spec.flag).toBe(true);
    }
  });
});
