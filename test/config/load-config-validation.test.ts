import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadLocalSettings, loadSyncConfig, type ConfigSources } from '../../src/config/load-config.js';
import { makeTempConfigDirs, problemsOf } from './support/config-test-kit.js';

let root = '';
let cwd = '';
beforeEach(async () => {
  const dirs = await makeTempConfigDirs();
  ({ root, cwd } = dirs);
  return dirs.remove;
});

const SERVERS_ENV: Readonly<Record<string, string | undefined>> = {
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

const withFlags = (flags: Record<string, unknown>) => loadSyncConfig(sources({ flags }));
const withEnv = (env: Record<string, string | undefined>) => loadSyncConfig(sources({ env: { ...SERVERS_ENV, ...env } }));

describe('numeric, boolean and choice settings', () => {
  it.each([
    ['concurrency', '0', 'must be an integer from 1 to 64, got "0"'],
    ['concurrency', '65', 'must be an integer from 1 to 64, got "65"'],
    ['concurrency', '8x', 'must be an integer from 1 to 64, got "8x"'],
    ['concurrency', '1.5', 'must be an integer from 1 to 64, got "1.5"'],
    ['concurrency', '', 'must be an integer from 1 to 64, got ""'],
    ['timeout', '0', 'must be a number of seconds from 0.001 to 2147483, got "0"'],
    ['timeout', '0.0001', 'must be a number of seconds from 0.001 to 2147483, got "0.0001"'],
    ['timeout', '-5', 'must be a number of seconds from 0.001 to 2147483, got "-5"'],
    ['timeout', '1e3', 'must be a number of seconds from 0.001 to 2147483, got "1e3"'],
    ['timeout', '3000000', 'must be a number of seconds from 0.001 to 2147483, got "3000000"'],
    ['wake-timeout', '-1', 'must be a number of seconds from 0 to 2147483, got "-1"'],
    ['retries', '0', 'must be an integer from 1 to 20, got "0"'],
    ['retries', '21', 'must be an integer from 1 to 20, got "21"'],
    ['retry-delay', '0', 'must be a number of seconds from 0.001 to 2147483, got "0"'],
    ['retry-max-delay', 'soon', 'must be a number of seconds from 0.001 to 2147483, got "soon"'],
    ['max-answer-mb', '0', 'must be an integer from 1 to 4096, got "0"'],
    ['max-answer-mb', '4097', 'must be an integer from 1 to 4096, got "4097"'],
    ['max-answer-mb', '1.5', 'must be an integer from 1 to 4096, got "1.5"'],
    ['max-answer-mb', '128MB', 'must be an integer from 1 to 4096, got "128MB"'],
    ['max-delete', '-1', 'must be an integer of at least 0, got "-1"'],
    ['max-delete', '2.5', 'must be an integer of at least 0, got "2.5"'],
    ['max-delete', '99999999999999999999', 'must be an integer of at least 0, got "99999999999999999999"'],
    ['new-users', 'maybe', 'must be one of create, skip, got "maybe"'],
    ['min-primary-ratio', '1.5', 'must be a number from 0 to 1, got "1.5"'],
    ['min-primary-ratio', '-0.1', 'must be a number from 0 to 1, got "-0.1"'],
    ['delete', 'maybe', 'must be true or false (or 1/0, yes/no), got "maybe"'],
    ['allow-insecure-http', '2', 'must be true or false (or 1/0, yes/no), got "2"'],
    ['state-dir', '', 'must not be empty'],
    ['max-shrink', '1.1', 'must be a number from 0 to 1, got "1.1"'],
    ['expect-every', '0', 'must be an interval such as 30m, 1h, 1h30m or 1d (a bare number is seconds), got "0"'],
    ['expect-every', 'hourly', 'must be an interval such as 30m, 1h, 1h30m or 1d (a bare number is seconds), got "hourly"'],
    ['expect-every', '1w', 'must be an interval such as 30m, 1h, 1h30m or 1d (a bare number is seconds), got "1w"'],
    ['every', '61 * * * *', 'must be a cron expression such as "0 * * * *" (minute hour day month weekday), got "61 * * * *"'],
    ['every', '0 *', 'must be a cron expression such as "0 * * * *" (minute hour day month weekday), got "0 *"'],
    ['log-retention', '0', 'must be an integer from 1 to 3650, got "0"'],
    ['history-retention', 'forever', 'must be an integer from 1 to 3650, got "forever"'],
    ['notify-format', 'teams', 'must be one of auto, discord, slack, generic, got "teams"'],
    ['notify-on', 'failure,always', 'must be a comma-separated list of failure, recovery, success, got "failure,always"'],
    ['notify-on', '', 'must be a comma-separated list of failure, recovery, success, got ""'],
    ['notify-webhook', 'hooks.example.com/x', 'must be an absolute http:// or https:// URL'],
    ['ping-url', 'ftp://hc.example.com/x', 'must use https (or http to this machine), got ftp'],
  ])('rejects --%s %j', async (flag, value, message) => {
    expect(await problemsOf(withFlags({ [flag]: value }))).toEqual([`--${flag} (flag): ${message}`]);
  });

  it('rejects typed values of the wrong type from a JSON config', async () => {
    const file = path.join(root, 'sync.json');
    await writeFile(file, JSON.stringify({ concurrency: true, delete: 'sometimes', 'state-dir': 5, timeout: null, 'new-users': ['skip'] }));
    expect(await problemsOf(withFlags({ config: file }))).toEqual([
      `concurrency (config file ${file}): must be an integer from 1 to 64, got true`,
      `timeout (config file ${file}): must be a number of seconds from 0.001 to 2147483, got null`,
      `delete (config file ${file}): must be true or false (or 1/0, yes/no), got "sometimes"`,
      `new-users (config file ${file}): must be one of create, skip, got a list`,
      `state-dir (config file ${file}): must be a string, got "5"`,
    ]);
  });

  it('rejects a number flag that yargs could not parse (NaN)', async () => {
    expect(await problemsOf(withFlags({ retries: Number.NaN }))).toEqual(['--retries (flag): must be an integer from 1 to 20, got "NaN"']);
  });

  it('rejects a flag given more than once', async () => {
    expect(await problemsOf(withFlags({ concurrency: ['2', '3'] }))).toEqual(['--concurrency (flag): given more than once']);
  });

  it('accepts the edges of every range, fractional seconds and surrounding spaces', async () => {
    const config = await withFlags({
      concurrency: '64',
      timeout: '0.5',
      'wake-timeout': '0',
      retries: 20,
      'retry-delay': '.25',
      'retry-max-delay': '0.25',
      'max-answer-mb': '4096',
      'max-delete': ' 12 ',
      'min-primary-ratio': '1',
      'new-users': 'skip',
    });
    expect(config).toMatchObject({
      concurrency: 64,
      timeoutMs: 500,
      wakeTimeoutMs: 0,
      retries: 20,
      retryDelayMs: 250,
      retryMaxDelayMs: 250,
      maxAnswerMb: 4096,
      maxDelete: 12,
      minPrimaryRatio: 1,
      newUsers: 'skip',
    });
    expect((await withFlags({ concurrency: 1, 'min-primary-ratio': 0 })).concurrency).toBe(1);
    expect((await withFlags({ 'max-answer-mb': 1 })).maxAnswerMb).toBe(1);
  });

  it('reads intervals, cron schedules, retention days and the alert settings', async () => {
    const config = await withEnv({
      SYNC_DBS_MAX_SHRINK: '0.25',
      SYNC_DBS_EXPECT_EVERY: '1h30m',
      SYNC_DBS_EVERY: ' 15  *  * * * ',
      SYNC_DBS_LOG_RETENTION: '7',
      SYNC_DBS_HISTORY_RETENTION: '365',
      SYNC_DBS_NOTIFY_WEBHOOK: 'https://discord.com/api/webhooks/1/token?wait=true',
      SYNC_DBS_NOTIFY_FORMAT: 'slack',
      SYNC_DBS_NOTIFY_ON: 'success, failure,success',
      SYNC_DBS_PING_URL: 'http://127.0.0.1:8000/ping/abc',
    });
    expect(config).toMatchObject({
      maxShrink: 0.25,
      expectEveryMs: 5_400_000,
      every: '15 * * * *',
      logRetentionDays: 7,
      historyRetentionDays: 365,
      notify: {
        webhookUrl: 'https://discord.com/api/webhooks/1/token?wait=true',
        format: 'slack',
        on: ['success', 'failure'],
        pingUrl: 'http://127.0.0.1:8000/ping/abc',
      },
    });
    expect((await withFlags({ 'expect-every': '90' })).expectEveryMs).toBe(90_000);
    expect((await withFlags({ 'expect-every': '2d' })).expectEveryMs).toBe(172_800_000);
    expect((await withFlags({ every: '*/10 * * * * *' })).every).toBe('*/10 * * * * *');
  });

  it('refuses plain http for webhooks and pings to other hosts, naming only the origin', async () => {
    const problems = await problemsOf(withFlags({ 'notify-webhook': 'http://hooks.example.com/T0/secret-token', 'ping-url': 'http://hc.example.com/uuid-1234' }));
    expect(problems).toEqual([
      '--notify-webhook (flag): uses plain http to http://hooks.example.com, which is not this machine; use https, or --allow-insecure-http',
      '--ping-url (flag): uses plain http to http://hc.example.com, which is not this machine; use https, or --allow-insecure-http',
    ]);
    expect(problems.join('\n')).not.toMatch(/secret-token|uuid-1234/);
    expect((await withFlags({ 'notify-webhook': 'http://hooks.example.com/T0', 'allow-insecure-http': true })).notify.webhookUrl).toBe('http://hooks.example.com/T0');
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ])('reads the boolean %j from the environment', async (text, expected) => {
    const config = await withEnv({ SYNC_DBS_DELETE: text, SYNC_DBS_ALLOW_INSECURE_HTTP: text });
    expect([config.delete, config.allowInsecureHttp]).toEqual([expected, expected]);
  });

  it('requires the retry max delay to be at least the retry delay, whichever layers they come from', async () => {
    expect(await problemsOf(withFlags({ 'retry-delay': '40' }))).toEqual([
      '--retry-max-delay (default): must be at least the retry delay (40 seconds, from --retry-delay (flag)), got "32"',
    ]);
    expect(await problemsOf(withEnv({ SYNC_DBS_RETRY_DELAY: '5', SYNC_DBS_RETRY_MAX_DELAY: '2' }))).toEqual([
      'SYNC_DBS_RETRY_MAX_DELAY (environment): must be at least the retry delay (5 seconds, from SYNC_DBS_RETRY_DELAY (environment)), got "2"',
    ]);
  });

  it('reads the settings of serve: the watchdog\'s in milliseconds, the dashboard\'s address, port and token', async () => {
    const config = await withEnv({
      SYNC_DBS_HEALTH_INTERVAL: '1',
      SYNC_DBS_HEALTH_TIMEOUT: '2.5',
      SYNC_DBS_DOWN_AFTER: '5',
      SYNC_DBS_UP_AFTER: '1',
      SYNC_DBS_HOST: '0.0.0.0',
      SYNC_DBS_PORT: '0',
      SYNC_DBS_DASHBOARD_TOKEN: 'tok en#1',
    });
    expect(config.serve).toEqual({ healthIntervalMs: 1_000, healthTimeoutMs: 2_500, downAfter: 5, upAfter: 1, host: '0.0.0.0', port: 0, dashboardToken: 'tok en#1' });
  });

  it('refuses a health interval under a second, counts out of range and a port that is none, and never quotes the token', async () => {
    const problems = await problemsOf(withFlags({ 'health-interval': '0.5', 'down-after': '0', 'up-after': '101', port: '65536', 'dashboard-token': 42 }));
    expect(problems).toEqual([
      '--health-interval (flag): must be a number of seconds from 1 to 2147483, got "0.5"',
      '--down-after (flag): must be an integer from 1 to 100, got "0"',
      '--up-after (flag): must be an integer from 1 to 100, got "101"',
      '--port (flag): must be an integer from 0 to 65535, got "65536"',
      expect.stringMatching(/^--dashboard-token \(flag\): /) as unknown,
    ]);
    expect(problems.join('\n')).not.toContain('42');
  });

  it('names the .env file a bad value came from', async () => {
    const file = path.join(cwd, '.env');
    await writeFile(file, 'SYNC_DBS_MAX_DELETE=lots\n');
    expect(await problemsOf(loadSyncConfig(sources()))).toEqual([`SYNC_DBS_MAX_DELETE (.env file ${file}): must be an integer of at least 0, got "lots"`]);
  });
});

describe('the CA file', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('reads the PEM text', async () => {
    await writeFile(path.join(cwd, 'ca.pem'), PEM);
    expect((await withFlags({ 'ca-file': 'ca.pem' })).ca).toBe(PEM);
  });

  it('reports a CA file that cannot be read or holds no certificate', async () => {
    const missing = path.join(cwd, 'missing.pem');
    expect(await problemsOf(withFlags({ 'ca-file': 'missing.pem' }))).toEqual([`--ca-file (flag): cannot read ${missing}: file not found`]);
    expect(await problemsOf(withFlags({ 'ca-file': root }))).toEqual([`--ca-file (flag): cannot read ${root}: is a folder, not a file`]);
    await writeFile(path.join(cwd, 'key.pem'), '-----BEGIN PRIVATE KEY-----\n');
    expect(await problemsOf(withEnv({ SYNC_DBS_CA_FILE: 'key.pem' }))).toEqual([
      `SYNC_DBS_CA_FILE (environment): ${path.join(cwd, 'key.pem')} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    ]);
  });
});

describe('the state directory', () => {
  it('resolves a relative --state-dir against the working directory without creating it', async () => {
    const config = await withFlags({ 'state-dir': 'state/here' });
    expect(config.stateDir).toBe(path.join(cwd, 'state', 'here'));
    await expect(import('node:fs/promises').then((fs) => fs.stat(config.stateDir))).rejects.toThrow();
  });

  it('keeps an absolute --state-dir and defaults per platform', async () => {
    expect((await withFlags({ 'state-dir': '/var/lib/sync-dbs' })).stateDir).toBe('/var/lib/sync-dbs');
    expect((await withEnv({ XDG_STATE_HOME: '/xdg' })).stateDir).toBe('/xdg/sync-dbs');
  });

  it('uses Windows paths on win32: %LOCALAPPDATA% by default, --state-dir resolved against the working directory', async () => {
    const win = { platform: 'win32', cwd: 'C:\\Tasks', homedir: 'C:\\Users\\svc' } as const;
    const env = { ...SERVERS_ENV, LOCALAPPDATA: 'C:\\Users\\svc\\AppData\\Local' };
    expect((await loadSyncConfig(sources({ ...win, env }))).stateDir).toBe('C:\\Users\\svc\\AppData\\Local\\sync-dbs');
    expect((await loadSyncConfig(sources({ ...win, env, flags: { 'state-dir': 'state' } }))).stateDir).toBe('C:\\Tasks\\state');
    expect((await loadSyncConfig(sources({ ...win, env, flags: { 'state-dir': 'D:\\sync' } }))).stateDir).toBe('D:\\sync');
  });
});

describe('unknown names (typo protection)', () => {
  it('rejects unknown SYNC_DBS_ variables in the environment, suggesting the closest name, and ignores other variables', async () => {
    expect(await problemsOf(withEnv({ SYNC_DBS_CONCURENCY: '4', SYNC_DBS_WHATEVER_THIS_IS: '1', PATH: '/bin', HOME: '/home/x' }))).toEqual([
      'SYNC_DBS_CONCURENCY (environment): unknown setting; did you mean SYNC_DBS_CONCURRENCY?',
      'SYNC_DBS_WHATEVER_THIS_IS (environment): unknown setting',
    ]);
  });

  it('accepts SYNC_DBS_CONFIG and SYNC_DBS_ENV_FILE in the environment', async () => {
    const configFile = path.join(root, 'c.json');
    const envFile = path.join(root, 'x.env');
    await writeFile(configFile, '{}');
    await writeFile(envFile, '');
    await expect(withEnv({ SYNC_DBS_CONFIG: configFile, SYNC_DBS_ENV_FILE: envFile })).resolves.toBeDefined();
  });

  it('rejects unknown SYNC_DBS_ names in a .env file, and a .env file naming another', async () => {
    const file = path.join(cwd, '.env');
    await writeFile(file, 'SYNC_DBS_MAX_DELETES=3\nSYNC_DBS_ENV_FILE=other.env\nUNRELATED=1\n');
    expect(await problemsOf(loadSyncConfig(sources()))).toEqual([
      `SYNC_DBS_MAX_DELETES (.env file ${file}): unknown setting; did you mean SYNC_DBS_MAX_DELETE?`,
      `SYNC_DBS_ENV_FILE (.env file ${file}): a .env file cannot name another .env file; set SYNC_DBS_ENV_FILE in the environment or use --env-file`,
    ]);
  });

  it('rejects unknown keys in a JSON config, including env-style and camelCase spellings', async () => {
    const file = path.join(root, 'sync.json');
    await writeFile(file, JSON.stringify({ 'primary-url': 'https://primary.example.com', primaryUser: 'a', SYNC_DBS_RETRIES: 2, config: 'x.json' }));
    expect(await problemsOf(withFlags({ config: file }))).toEqual([
      `primaryUser (config file ${file}): unknown setting; did you mean primary-user?`,
      `SYNC_DBS_RETRIES (config file ${file}): unknown setting`,
      `config (config file ${file}): unknown setting`,
    ]);
  });

  it('matches environment names case-insensitively on Windows only', async () => {
    const env = { ...SERVERS_ENV, sync_dbs_retries: '3' };
    expect((await loadSyncConfig(sources({ env, platform: 'win32', cwd: 'C:\\work', homedir: 'C:\\Users\\me' }))).retries).toBe(3);
    expect(await problemsOf(loadSyncConfig(sources({ env })))).toEqual([
      'sync_dbs_retries (environment): unknown setting; did you mean SYNC_DBS_RETRIES?',
    ]);
  });
});

describe('the JSON config file itself', () => {
  it('must hold an object', async () => {
    const file = path.join(root, 'list.json');
    await writeFile(file, '[1, 2]');
    expect(await problemsOf(withFlags({ config: file }))).toEqual([
      `--config (flag): ${file} must hold a JSON object of settings, like {"primary-url": "https://..."}`,
    ]);
  });

  it('reports a syntax error with its line and column', async () => {
    const file = path.join(root, 'bad.json');
    await writeFile(file, '{\n  "retries": 2,\n}\n');
    expect(await problemsOf(withFlags({ config: file }))).toEqual([
      `--config (flag): ${file} is not valid JSON: Expected double-quoted property name at line 3, column 1`,
    ]);
  });

  it('reports a file that ends too early', async () => {
    const file = path.join(root, 'short.json');
    await writeFile(file, '{"retries": ');
    expect(await problemsOf(withFlags({ config: file }))).toEqual([`--config (flag): ${file} is not valid JSON: it ends too early`]);
  });
});

describe('server settings', () => {
  it('requires a URL and a user for each server', async () => {
    expect(await problemsOf(withEnv({ SYNC_DBS_PRIMARY_URL: undefined, SYNC_DBS_BACKUP_USER: undefined }))).toEqual([
      '--primary-url (not given): required; set --primary-url, SYNC_DBS_PRIMARY_URL or "primary-url" in the config file',
      '--backup-user (not given): required; set --backup-user, SYNC_DBS_BACKUP_USER or "backup-user" in the config file',
    ]);
  });

  it('rejects an empty user and a user of the wrong type', async () => {
    expect(await problemsOf(withFlags({ 'primary-user': '  ' }))).toEqual(['--primary-user (flag): must not be empty']);
    const file = path.join(root, 'u.json');
    await writeFile(file, JSON.stringify({ 'backup-user': 42 }));
    expect(await problemsOf(loadSyncConfig(sources({ flags: { config: file }, env: { ...SERVERS_ENV, SYNC_DBS_BACKUP_USER: undefined } })))).toEqual([
      `backup-user (config file ${file}): must be a string, got "42"`,
    ]);
  });

  it('normalises the URLs', async () => {
    const config = await withFlags({ 'primary-url': 'HTTPS://Primary.Example.com:443/licenses/', 'backup-url': 'https://backup.example.com:8443//' });
    expect(config.primary.url).toBe('https://primary.example.com/licenses');
    expect(config.backups[0]?.url).toBe('https://backup.example.com:8443');
  });

  it('applies the URL policy, naming where the URL came from', async () => {
    expect(await problemsOf(withFlags({ 'primary-url': 'ftp://primary.example.com', 'backup-url': 'https://backup.example.com/?x=1' }))).toEqual([
      '--primary-url (flag): must use http or https, got "ftp"',
      '--backup-url (flag): must not have a query (?...) or fragment (#...)',
    ]);
  });

  it('allows plain http to a non-loopback host only with allow-insecure-http', async () => {
    const flags = { 'backup-url': 'http://backup.example.com' };
    expect(await problemsOf(withFlags(flags))).toEqual([
      '--backup-url (flag): uses plain http to backup.example.com, which is not this machine; use https, or --allow-insecure-http (SYNC_DBS_ALLOW_INSECURE_HTTP) to send the password unencrypted',
    ]);
    expect((await withFlags({ ...flags, 'allow-insecure-http': true })).backups[0]?.url).toBe('http://backup.example.com');
    expect((await withEnv({ SYNC_DBS_BACKUP_URL: 'http://backup.example.com', SYNC_DBS_ALLOW_INSECURE_HTTP: 'yes' })).backups[0]?.url).toBe(
      'http://backup.example.com',
    );
    expect((await withFlags({ 'backup-url': 'http://127.0.0.1:5000/' })).backups[0]?.url).toBe('http://127.0.0.1:5000');
  });

  it('requires primary and backup to be different servers', async () => {
    expect(await problemsOf(withEnv({ SYNC_DBS_BACKUP_URL: 'https://PRIMARY.example.com/' }))).toEqual([
      'SYNC_DBS_BACKUP_URL (environment): must name another server than SYNC_DBS_PRIMARY_URL (environment) (both are https://primary.example.com)',
    ]);
    // The same host with another path prefix is another server.
    const config = await withEnv({ SYNC_DBS_PRIMARY_URL: 'https://host.example/a', SYNC_DBS_BACKUP_URL: 'https://host.example/b' });
    expect([config.primary.url, config.backups[0]?.url]).toEqual(['https://host.example/a', 'https://host.example/b']);
  });
});

describe('every problem at once', () => {
  it('collects the problems of every layer and setting into one ConfigError', async () => {
    const envFile = path.join(cwd, '.env');
    await writeFile(envFile, 'SYNC_DBS_RETRIES=lots\nSYNC_DBS_TYPO=1\n');
    const configFile = path.join(root, 'sync.json');
    await writeFile(configFile, JSON.stringify({ 'new-users': 'invite', 'backup-url': 'http://backup.example.com', extra: 1 }));
    const error = await loadSyncConfig(
      sources({
        flags: { config: configFile, concurrency: '0', 'primary-password': 'flag-secret' },
        env: { SYNC_DBS_PRIMARY_URL: 'https://primary.example.com', SYNC_DBS_MIN_PRIMARY_RATIO: '2', SYNC_DBS_BACKUP_USER: 'admin' },
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      '--primary-password (flag): passwords are not accepted on the command line (they show in process lists); use SYNC_DBS_PRIMARY_PASSWORD, SYNC_DBS_PRIMARY_PASSWORD_FILE or the prompt',
      `SYNC_DBS_TYPO (.env file ${envFile}): unknown setting`,
      `extra (config file ${configFile}): unknown setting`,
      '--concurrency (flag): must be an integer from 1 to 64, got "0"',
      `SYNC_DBS_RETRIES (.env file ${envFile}): must be an integer from 1 to 20, got "lots"`,
      `new-users (config file ${configFile}): must be one of create, skip, got "invite"`,
      'SYNC_DBS_MIN_PRIMARY_RATIO (environment): must be a number from 0 to 1, got "2"',
      '--primary-user (not given): required; set --primary-user, SYNC_DBS_PRIMARY_USER or "primary-user" in the config file',
      `backup-url (config file ${configFile}): uses plain http to backup.example.com, which is not this machine; use https, or --allow-insecure-http (SYNC_DBS_ALLOW_INSECURE_HTTP) to send the password unencrypted`,
      'primary password (not given): set SYNC_DBS_PRIMARY_PASSWORD or SYNC_DBS_PRIMARY_PASSWORD_FILE, or run in a terminal to be asked for it',
      'backup password (not given): set SYNC_DBS_BACKUP_PASSWORD or SYNC_DBS_BACKUP_PASSWORD_FILE, or run in a terminal to be asked for it',
    ]);
    expect((error as ConfigError).message).toBe(['invalid configuration:', ...problems.map((problem) => `  - ${problem}`)].join('\n'));
  });
});

describe('secrets never appear in problems', () => {
  const SECRET = 'Sup3r-S3cret-Value';

  async function allProblemText(): Promise<string> {
    const envFile = path.join(cwd, '.env');
    // A misspelt password variable, a password pasted where a file path belongs, and a layer giving both forms.
    await writeFile(envFile, `SYNC_DBS_BACKUP_PASSWROD=${SECRET}\nSYNC_DBS_BACKUP_PASSWORD_FILE=${SECRET}\n`);
    const configFile = path.join(root, 'sync.json');
    await writeFile(configFile, `{"backup-password": "${SECRET}", "primary-password-file": "x", "primary-password": "${SECRET}", "primary-pasword": "${SECRET}"}`);
    const broken = path.join(root, 'broken.json');
    await writeFile(broken, `{"primary-password": ${SECRET}}`);
    const texts: string[] = [];
    const attempts = [
      sources({ flags: { 'primary-password': SECRET, 'backup-password': SECRET, config: configFile } }),
      sources({ flags: { 'primary-url': `https://admin:${SECRET}@primary.example.com`, 'backup-url': `ftp://admin:${SECRET}@backup.example.com` } }),
      sources({ flags: { 'primary-url': `https://admin:${SECRET}@bad host` } }),
      sources({ flags: { config: broken } }),
      sources({ env: { SYNC_DBS_PRIMARY_URL: 'https://p.example', SYNC_DBS_PRIMARY_USER: 'a', SYNC_DBS_PRIMARY_PASSWORD: SECRET, SYNC_DBS_PRIMARY_PASSWORD_FILE: 'f' } }),
      sources({ flags: { config: configFile }, env: {} }),
    ];
    for (const attempt of attempts) {
      const error = await loadSyncConfig(attempt).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      texts.push((error as ConfigError).message, ...(error as ConfigError).problems);
    }
    return texts.join('\n');
  }

  it('are not echoed, even where the secret is the invalid value', async () => {
    const text = await allProblemText();
    // The attempts did fail for the reasons planted above.
    expect(text).toContain('passwords are not accepted on the command line');
    expect(text).toContain('must not contain a user name or password');
    expect(text).toContain('SYNC_DBS_BACKUP_PASSWROD');
    expect(text).toContain('SYNC_DBS_BACKUP_PASSWORD_FILE (.env file');
    expect(text).toContain('give either a password or a password file, not both');
    expect(text).toContain('is not valid JSON');
    expect(text).toContain('primary-pasword');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('Sup3r');
  });
});

describe('local settings (status, history, report)', () => {
  const local = (env: Record<string, string | undefined>) =>
    loadLocalSettings({ flags: {}, env, cwd, platform: 'linux', homedir: path.join(root, 'home') });

  it('need no server settings', async () => {
    const settings = await local({ SYNC_DBS_STATE_DIR: path.join(root, 'state'), SYNC_DBS_EXPECT_EVERY: '2h' });
    expect(settings).toMatchObject({ stateDir: path.join(root, 'state'), expectEveryMs: 7_200_000 });
  });

  it('still reject invalid general settings and unknown names', async () => {
    expect(await problemsOf(local({ SYNC_DBS_EXPECT_EVERY: 'often', SYNC_DBS_STATE_DIRR: 'x' }))).toEqual([
      'SYNC_DBS_STATE_DIRR (environment): unknown setting; did you mean SYNC_DBS_STATE_DIR?',
      'SYNC_DBS_EXPECT_EVERY (environment): must be an interval such as 30m, 1h, 1h30m or 1d (a bare number is seconds), got "often"',
    ]);
  });
});
