import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli-process.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { leaksIn, withAdminPassword, type JsonReport } from './support/e2e-helpers.js';

// No credential ever reaches stdout, stderr or the log file: neither the
// passwords the operator configured (right or wrong), nor the tokens the
// servers issued, nor the passwords generated for new users. Each secret is a
// distinctive string, so that a leak cannot hide behind a common word.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const PRIMARY_ADMIN_PASSWORD = 'Pr1m-Adm1n-S3cr3t-4417';
const BACKUP_MANAGER_PASSWORD = 'G3r3nt3-S3cr3t-6671';
const RESELLER_PASSWORDS = { 'revenda-x': 'R3v-X-S3cr3t-8812', 'revenda-y': 'R3v-Y-S3cr3t-5530' } as const;
const WRONG_PRIMARY_PASSWORD = 'Wr0ng-Pr1m-S3cr3t-1290';
const WRONG_BACKUP_PASSWORD = 'Wr0ng-B4ck-S3cr3t-3378';

/** The primary: a panel admin with a distinctive password, two resellers the backup lacks, a few licenses. */
const primaryData = () =>
  withAdminPassword(
    datasetOf({
      users: [
        { username: 'revenda-x', password: RESELLER_PASSWORDS['revenda-x'], role: 'user', email: 'x@revenda.com.br' },
        { username: 'revenda-y', password: RESELLER_PASSWORDS['revenda-y'], role: 'admin', email: null },
      ],
      licenses: [allowedLicense('sec-1', { created_by: 'revenda-x' }), allowedLicense('sec-2', { status: 'blocked' }), allowedLicense('sec-3')],
    }),
    PRIMARY_ADMIN_PASSWORD,
  );

/** The backup: the sync logs in as a reseller whose stored role is admin. */
const backupData = () =>
  withAdminPassword(datasetOf({ users: [{ username: 'gerente', password: BACKUP_MANAGER_PASSWORD, role: 'admin' }] }), 'B4ck-Adm1n-Unus3d-0001');

/** The new users' passwords in the file the run handed them over in. */
function generatedPasswords(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.split('\t')[3])
    .filter((password): password is string => password !== undefined && !password.startsWith('('));
}

describe('secrets never leak', () => {
  it('keeps passwords, tokens and new users’ passwords out of stdout, stderr, the log files, the state database and the HTML report', async () => {
    const p = pair();
    const logFile = path.join(p.stateDir, 'sync.log');
    const goodEnv = {
      SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_ADMIN_PASSWORD,
      SYNC_DBS_BACKUP_USER: 'gerente',
      SYNC_DBS_BACKUP_PASSWORD: BACKUP_MANAGER_PASSWORD,
    };
    const runs: Record<string, CliRun> = {};

    // 1. A sync that creates users, in text form, logging everything, with a redeploy (new tokens) mid-run.
    await p.load(primaryData(), backupData());
    await p.backup.control.setFaults({ revokeTokens: { afterRequests: 6 } });
    runs.textSync = await p.cli(['--log-level', 'debug', '--log-file', logFile], { env: goodEnv });
    expect(runs.textSync.exitCode, runs.textSync.stderr).toBe(0);
    expect(runs.textSync.stdout).toMatch(/New users' passwords: /);

    // 2. The same on a wiped backup, as JSON.
    await p.load(primaryData(), backupData());
    runs.jsonSync = await p.cli(['--json', '--log-level', 'debug', '--log-file', logFile], { env: goodEnv });
    expect(runs.jsonSync.exitCode, runs.jsonSync.stderr).toBe(0);
    const report = runs.jsonSync.json<JsonReport>();
    expect(report.applied.summary.done).toBeGreaterThanOrEqual(4);
    const passwordsFile = report.newUserPasswordsFile;
    expect(passwordsFile).toBe(path.join(p.stateDir, 'new-user-passwords.txt'));

    // 3. Wrong passwords on both servers.
    runs.wrongPasswords = await p.cli(['--log-level', 'debug', '--log-file', logFile], {
      env: { ...goodEnv, SYNC_DBS_PRIMARY_PASSWORD: WRONG_PRIMARY_PASSWORD, SYNC_DBS_BACKUP_PASSWORD: WRONG_BACKUP_PASSWORD },
    });
    expect(runs.wrongPasswords.exitCode).toBe(3);
    runs.wrongPasswordsJson = await p.cli(['--json', '--log-level', 'debug'], {
      env: { ...goodEnv, SYNC_DBS_PRIMARY_PASSWORD: WRONG_PRIMARY_PASSWORD, SYNC_DBS_BACKUP_PASSWORD: WRONG_BACKUP_PASSWORD },
    });
    expect(runs.wrongPasswordsJson.exitCode).toBe(3);

    // 4. Configuration errors around secrets: a password pasted where its file's path belongs, a URL with
    //    credentials in it, a config file holding a password next to an invalid setting.
    const configFile = path.join(p.stateDir, 'sync.json');
    await writeFile(configFile, JSON.stringify({ 'primary-password': PRIMARY_ADMIN_PASSWORD, concurrency: 'many' }));
    runs.configError = await p.cli(['--config', configFile, '--log-level', 'debug', '--log-file', logFile], {
      env: {
        SYNC_DBS_PRIMARY_PASSWORD: undefined,
        SYNC_DBS_PRIMARY_PASSWORD_FILE: PRIMARY_ADMIN_PASSWORD,
        SYNC_DBS_BACKUP_URL: p.backup.url.replace('http://', `http://gerente:${BACKUP_MANAGER_PASSWORD}@`),
        SYNC_DBS_BACKUP_PASSWORD: BACKUP_MANAGER_PASSWORD,
      },
    });
    expect(runs.configError.exitCode).toBe(2);
    expect(runs.configError.stderr).toMatch(/SYNC_DBS_PRIMARY_PASSWORD_FILE/);
    expect(runs.configError.stderr).toMatch(/SYNC_DBS_BACKUP_URL/);
    expect(runs.configError.stderr).toMatch(/concurrency/);

    // What is secret: every password involved, every token either server issued, every generated password.
    const tokens = [...(await p.primary.control.issuedTokens()), ...(await p.backup.control.issuedTokens())];
    // Logins: 2 runs x 2 servers, plus one re-login after the redeploy.
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    const passwordsText = await readFile(passwordsFile as string, 'utf8');
    const generated = generatedPasswords(passwordsText);
    expect(generated).toHaveLength(4);
    for (const password of generated) expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    const secrets = [
      PRIMARY_ADMIN_PASSWORD,
      BACKUP_MANAGER_PASSWORD,
      ...Object.values(RESELLER_PASSWORDS),
      WRONG_PRIMARY_PASSWORD,
      WRONG_BACKUP_PASSWORD,
      ...tokens,
      ...generated,
    ];

    // 5. The HTML report of those runs.
    const htmlFile = path.join(p.stateDir, 'report.html');
    runs.htmlReport = await p.cli(['report', '--html', htmlFile]);
    expect(runs.htmlReport.exitCode, runs.htmlReport.stderr).toBe(0);

    const log = await readFile(logFile, 'utf8');
    expect(log).toMatch(/debug/);
    expect(log).toMatch(/logged in as gerente/);
    const texts: Record<string, string> = { 'the log file': log, 'the HTML report': await readFile(htmlFile, 'utf8') };
    // The state database (and its write-ahead log) and the daily logs, read as bytes: SQLite stores text as is.
    const stateFiles = (await readdir(p.stateDir)).filter((name) => name.startsWith('state.db')).map((name) => path.join(p.stateDir, name));
    const dailyLogs = (await readdir(path.join(p.stateDir, 'logs'))).map((name) => path.join(p.stateDir, 'logs', name));
    expect(stateFiles).toContain(path.join(p.stateDir, 'state.db'));
    expect(dailyLogs.some((file) => file.endsWith('.log'))).toBe(true);
    for (const file of [...stateFiles, ...dailyLogs]) texts[file] = (await readFile(file)).toString('latin1');
    expect(texts[path.join(p.stateDir, 'state.db')]).toMatch(/revenda-x/);
    for (const [name, run] of Object.entries(runs)) {
      texts[`${name} stdout`] = run.stdout;
      texts[`${name} stderr`] = run.stderr;
    }
    expect(leaksIn(secrets, texts)).toEqual([]);

    // The file that does hold the new passwords is the operator's alone.
    expect((await stat(passwordsFile as string)).mode & 0o777).toBe(0o600);
  });

  it('creates a missing state directory private (0700) and the passwords file in it with mode 0600', async () => {
    const p = pair();
    await p.load(primaryData(), backupData());
    const stateDir = path.join(p.stateDir, 'not-yet', 'state');
    const run = await p.cli(['--json'], {
      env: { SYNC_DBS_STATE_DIR: stateDir, SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_ADMIN_PASSWORD, SYNC_DBS_BACKUP_USER: 'gerente', SYNC_DBS_BACKUP_PASSWORD: BACKUP_MANAGER_PASSWORD },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const file = run.json<JsonReport>().newUserPasswordsFile;
    expect(file).toBe(path.join(stateDir, 'new-user-passwords.txt'));
    expect((await stat(file as string)).mode & 0o777).toBe(0o600);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    const generated = generatedPasswords(await readFile(file as string, 'utf8'));
    expect(generated).toHaveLength(2);
    expect(leaksIn(generated, { stdout: run.stdout, stderr: run.stderr })).toEqual([]);
  });
});
