import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { InterceptAnswer, InterceptedRequest } from '../../src/emulator/server.js';
import type { CliRun } from '../support/cli-process.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';
import { leaksIn, withAdminPassword, type JsonReport } from './support/e2e-helpers.js';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver.js';
import { filesUnder, passwordsHandedOver, printedBy } from './support/security-outputs.js';

// Every way a report leaves the tool, after runs that meet every kind of
// secret. secrets.test.ts already proves that a successful sync (text and
// JSON, with a redeploy mid-run), wrong passwords, configuration errors and
// the HTML report leak nothing, and that the passwords file is 0600 in a
// 0700 state directory. This file closes the gaps it leaves:
// - passwords read from password files (--primary-password-file and
//   SYNC_DBS_BACKUP_PASSWORD_FILE), right and wrong;
// - a run whose writes fail, against a server whose error messages echo the
//   secrets it was sent (a generated password, the configured password, the
//   bearer token): the tool keeps a server's message as data, so the echo must
//   still be kept out of the JSON and text reports, the journal, the logs and
//   the webhook payload;
// - the output forms secrets.test.ts never runs: `plan` (text and --json),
//   `health` (text and --json), `status` and `history` (text and --json),
//   each with --log-file, and the webhook payloads and pings themselves;
// - the webhook and ping URLs (their paths are secrets) in all of the above;
// - configuration mistakes around password files and webhook URLs;
// - modes of a passwords file and a state database that existed with looser
//   modes before the run.

// The strict mirror (one-way) as the operator configured it: these tests are about its rules.
const pair = useSyncPair({ env: { SYNC_DBS_MODE: 'one-way' } });

const PRIMARY_PASSWORD = 'Pr1m-F1l3-S3cr3t-7342';
const BACKUP_PASSWORD = 'B4ck-F1l3-S3cr3t-5186';
const WRONG_PRIMARY_PASSWORD = 'Wr0ng-Pr1m-F1l3-2290';
const WRONG_BACKUP_PASSWORD = 'Wr0ng-B4ck-F1l3-6604';
const RESELLER_PASSWORD = 'R3v-Rep0rt-S3cr3t-4471';
const HOOK_TOKEN = 'hook-Sec-Tk7Qw2Zx9Lp4';
const PING_UUID = '0d9c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const HOOK_PATH = `/hooks/${HOOK_TOKEN}`;
const PING_PATH = `/ping/${PING_UUID}`;

/** The licenses the hostile backup refuses, each in its own way. */
const ECHOES_TOKEN = 'sec-echo-token';
const ECHOES_PASSWORD = 'sec-echo-password';
const FAILS_PLAINLY = 'sec-fail-html';

let receiver: HttpReceiver;
let secretsDir = '';
const passwordFile = (name: string) => path.join(secretsDir, name);

beforeAll(async () => {
  receiver = await startHttpReceiver();
  // Outside the state directory: these files hold secrets by design and are not scanned.
  secretsDir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-security-secrets-'));
  await Promise.all([
    writeFile(passwordFile('primary.pw'), `${PRIMARY_PASSWORD}\n`, { mode: 0o600 }),
    writeFile(passwordFile('backup.pw'), `${BACKUP_PASSWORD}\n`, { mode: 0o600 }),
    writeFile(passwordFile('wrong-primary.pw'), `${WRONG_PRIMARY_PASSWORD}\n`, { mode: 0o600 }),
    writeFile(passwordFile('wrong-backup.pw'), `${WRONG_BACKUP_PASSWORD}\n`, { mode: 0o600 }),
    writeFile(passwordFile('two-lines.pw'), `${PRIMARY_PASSWORD}\n${BACKUP_PASSWORD}\n`, { mode: 0o600 }),
  ]);
});

afterEach(() => {
  pair().backup.emulator.intercept(null);
  receiver.clear();
});

afterAll(async () => {
  await receiver?.close();
  await rm(secretsDir, { recursive: true, force: true });
});

const primaryData = () =>
  withAdminPassword(
    datasetOf({
      users: [
        { username: 'revenda-r', password: RESELLER_PASSWORD, role: 'user' },
        { username: 'revenda-s', password: RESELLER_PASSWORD, role: 'admin' },
      ],
      licenses: [
        allowedLicense('sec-ok-1'),
        allowedLicense('sec-ok-2', { status: 'blocked' }),
        allowedLicense(ECHOES_TOKEN),
        allowedLicense(ECHOES_PASSWORD),
        allowedLicense(FAILS_PLAINLY),
      ],
    }),
    PRIMARY_PASSWORD,
  );
const backupData = () => withAdminPassword(datasetOf({}), BACKUP_PASSWORD);

/** No password in the environment: the tests give them as password files. */
const PASSWORDS_FROM_FILES = { SYNC_DBS_PRIMARY_PASSWORD: undefined, SYNC_DBS_BACKUP_PASSWORD: undefined } as const;

function jsonError(status: number, message: string): InterceptAnswer {
  return { status, body: JSON.stringify({ error: message }) };
}

/**
 * A backup whose error messages repeat what it was sent (a debug-mode Flask
 * app, a chatty proxy): a new user's password, the configured password, the
 * bearer token. Every user creation and three license creations fail.
 */
function hostileBackup(currentToken: () => Promise<string>) {
  return async (request: InterceptedRequest): Promise<InterceptAnswer | undefined> => {
    const body = (request.body ?? {}) as { password?: unknown; device_id?: unknown };
    if (request.route === 'POST /admin/users/create') return jsonError(400, `Senha ${String(body.password)} fraca demais`);
    if (request.route !== 'POST /admin/devices/create') return undefined;
    if (body.device_id === ECHOES_TOKEN) return jsonError(500, `Token ${await currentToken()} recusado`);
    if (body.device_id === ECHOES_PASSWORD) return jsonError(400, `Senha ${BACKUP_PASSWORD} do administrador expirou`);
    if (body.device_id === FAILS_PLAINLY) return { status: 503, contentType: 'text/html', body: '<html><body>Service Unavailable</body></html>' };
    return undefined;
  };
}

describe('no secret leaves the tool by any of its outputs', () => {
  it('after password files, hostile error messages, failed writes, a redeploy mid-run, and every read command', async () => {
    const p = pair();
    const logFile = path.join(p.stateDir, 'sync.log');
    const htmlFile = path.join(p.stateDir, 'report.html');
    const debug = ['--log-level', 'debug', '--log-file', logFile];
    // Each file and URL as a flag to the commands that read it (another command refuses the flag), and in the environment for all.
    const passwordFileFlag = ['--primary-password-file', passwordFile('primary.pw')];
    const withFiles = [...passwordFileFlag, '--notify-webhook', `${receiver.origin}${HOOK_PATH}`];
    const env = {
      ...PASSWORDS_FROM_FILES,
      SYNC_DBS_PRIMARY_PASSWORD_FILE: passwordFile('primary.pw'),
      SYNC_DBS_BACKUP_PASSWORD_FILE: passwordFile('backup.pw'),
      SYNC_DBS_NOTIFY_WEBHOOK: `${receiver.origin}${HOOK_PATH}`,
      SYNC_DBS_PING_URL: `${receiver.origin}${PING_PATH}`,
    };
    const runs: Record<string, CliRun> = {};

    // 1. A sync against the hostile backup, which also redeploys (new tokens) mid-run: exit 1.
    await p.load(primaryData(), backupData());
    await p.backup.control.setFaults({ revokeTokens: { afterRequests: 6 } });
    p.backup.emulator.intercept(hostileBackup(async () => (await p.backup.control.issuedTokens()).at(-1) ?? 'no-token'));
    runs.failingSync = await p.cli(['sync', '--json', ...debug, ...withFiles], { env });
    expect(runs.failingSync.exitCode, runs.failingSync.stderr).toBe(1);
    const failed = runs.failingSync.json<JsonReport>();
    const failureOf = (endpoint: string, key: string) => failed.failures.find((failure) => failure.endpoint === endpoint && failure.key === key);
    expect(failureOf('POST /admin/users/create', 'revenda-r')?.reason).toMatch(/^HTTP 400/);
    expect(failureOf('POST /admin/devices/create', FAILS_PLAINLY)?.reason).toMatch(/503/);
    // The echoes did reach the tool (so the checks below read real content), and were blanked.
    expect(failureOf('POST /admin/devices/create', ECHOES_TOKEN)?.reason).toMatch(/Token \[redacted\] recusado/);
    expect(failureOf('POST /admin/devices/create', ECHOES_PASSWORD)?.reason).toMatch(/Senha \[redacted\] do administrador/);
    expect(receiver.received('/hooks/').map((request) => request.json)).toEqual([expect.objectContaining({ event: 'failure', exitCode: 1 })]);
    expect((await p.backup.control.stats()).faults['tokens-revoked']).toBe(1);
    expect((await p.backup.control.stats()).requests['POST /admin/login']).toBeGreaterThanOrEqual(2);

    // 2. The plan of what is left, in text and JSON, with the primary redeploying mid-listing.
    await p.primary.control.setFaults({ revokeTokens: { afterRequests: 2 } });
    runs.planText = await p.cli(['plan', ...debug, ...passwordFileFlag], { env });
    runs.planJson = await p.cli(['plan', '--json', ...debug, ...passwordFileFlag], { env });
    for (const run of [runs.planText, runs.planJson]) expect(run.exitCode, run.stderr).toBe(0);
    expect((await p.primary.control.stats()).faults['tokens-revoked']).toBe(1);
    expect(runs.planJson.json<JsonReport>().outcome).toBe('changes-pending');

    // 3. health, right passwords and a wrong backup password from its file.
    runs.healthText = await p.cli(['health', ...debug, ...passwordFileFlag], { env });
    runs.healthJson = await p.cli(['health', '--json', ...debug, ...passwordFileFlag], { env });
    for (const run of [runs.healthText, runs.healthJson]) expect(run.exitCode, run.stderr).toBe(0);
    expect(runs.healthJson.json<{ servers: { loginWorks: boolean }[] }>().servers.map((server) => server.loginWorks)).toEqual([true, true]);
    runs.healthWrong = await p.cli(['health', '--json', ...debug, ...passwordFileFlag], { env: { ...env, SYNC_DBS_BACKUP_PASSWORD_FILE: passwordFile('wrong-backup.pw') } });
    expect(runs.healthWrong.exitCode).toBe(3);

    // 4. A sync with the primary's password file holding a wrong password: exit 3, alerted.
    runs.wrongPrimary = await p.cli(['sync', ...debug, '--primary-password-file', passwordFile('wrong-primary.pw'), '--notify-webhook', `${receiver.origin}${HOOK_PATH}`], { env });
    expect(runs.wrongPrimary.exitCode).toBe(3);

    // 5. The backup heals: the users are created with new passwords, a recovery is posted.
    p.backup.emulator.intercept(null);
    runs.recovery = await p.cli(['sync', ...debug, ...withFiles], { env });
    expect(runs.recovery.exitCode, runs.recovery.stderr).toBe(0);
    expect(receiver.received('/hooks/').map((request) => (request.json as { event?: unknown }).event)).toEqual(['failure', 'failure', 'recovery']);

    // 6. Every read command in every output form, logging everything.
    runs.statusText = await p.cli(['status', ...debug], { env });
    runs.statusJson = await p.cli(['status', '--json', ...debug], { env });
    runs.historyText = await p.cli(['history', ...debug], { env });
    runs.historyJson = await p.cli(['history', '--json', ...debug], { env });
    runs.htmlReport = await p.cli(['report', '--html', htmlFile, ...debug], { env });
    for (const run of [runs.statusText, runs.statusJson, runs.historyText, runs.historyJson, runs.htmlReport]) expect(run.exitCode, run.stderr).toBe(0);
    expect(runs.historyJson.json<{ runs: unknown[] }>().runs).toHaveLength(3);

    // What is secret.
    const tokens = [...(await p.primary.control.issuedTokens()), ...(await p.backup.control.issuedTokens())];
    // Logins: 3 syncs, 2 plans and 3 healths on two servers, less the refused ones, plus the re-logins after each redeploy.
    expect(tokens.length).toBeGreaterThanOrEqual(12);
    const passwordsText = await readFile(path.join(p.stateDir, 'new-user-passwords.txt'), 'utf8');
    const generated = passwordsHandedOver(passwordsText);
    // Two passwords the failed creations never used (marked so in the file), two for the users created in step 5.
    expect(generated).toHaveLength(4);
    expect(passwordsText.match(/\(not created: /g)).toHaveLength(2);
    const secrets = [
      PRIMARY_PASSWORD,
      BACKUP_PASSWORD,
      WRONG_PRIMARY_PASSWORD,
      WRONG_BACKUP_PASSWORD,
      RESELLER_PASSWORD,
      HOOK_TOKEN,
      PING_UUID,
      ...tokens,
      ...generated,
    ];

    // Where they must not be: every output, every file in the state directory but the passwords file, every alert sent.
    const stateFiles = await filesUnder(p.stateDir, ['new-user-passwords.txt']);
    expect(Object.keys(stateFiles)).toEqual(expect.arrayContaining(['state.db', 'sync.log', 'report.html']));
    expect(Object.keys(stateFiles).some((file) => file.startsWith(`logs${path.sep}`) && file.endsWith('.log'))).toBe(true);
    expect(stateFiles['state.db']).toMatch(new RegExp(FAILS_PLAINLY));
    expect(stateFiles['sync.log']).toMatch(/debug/);
    const alerts = Object.fromEntries(receiver.requests.map((request, index) => [`alert ${index} ${request.path.slice(0, 7)}`, request.body]));
    expect(Object.keys(alerts).length).toBeGreaterThanOrEqual(9);
    expect(leaksIn(secrets, { ...printedBy(runs), ...stateFiles, ...alerts })).toEqual([]);
  }, 120_000);

  it('keeps password files and webhook URLs out of configuration errors', async () => {
    const p = pair();
    await p.load(primaryData(), backupData());
    const hook = `http://hooks.example.invalid/hooks/${HOOK_TOKEN}?token=${HOOK_TOKEN}`;
    const runs: Record<string, CliRun> = {};

    // A password file of two lines, and the password file given where the config file or the .env file belongs.
    runs.twoLines = await p.cli(['--primary-password-file', passwordFile('two-lines.pw')], { env: PASSWORDS_FROM_FILES });
    expect(runs.twoLines.exitCode).toBe(2);
    expect(runs.twoLines.stderr).toMatch(/--primary-password-file \(flag\): the password file must hold the password on a single line/);
    runs.asConfig = await p.cli(['status', '--config', passwordFile('primary.pw')]);
    expect(runs.asConfig.exitCode).toBe(2);
    expect(runs.asConfig.stderr).toMatch(/is not valid JSON/);
    // A .env file of lines without `=` sets nothing: status simply finds no run yet.
    runs.asEnvFile = await p.cli(['status', '--env-file', passwordFile('two-lines.pw')]);
    expect(runs.asEnvFile.exitCode, runs.asEnvFile.stderr).toBe(7);

    // A plain-http webhook to another host, by flag, environment and config file: refused, naming only its origin.
    const configFile = path.join(p.stateDir, 'hook.json');
    await writeFile(configFile, JSON.stringify({ 'notify-webhook': hook, 'ping-url': hook }));
    runs.hookFlag = await p.cli(['sync', '--notify-webhook', hook]);
    runs.hookEnv = await p.cli(['status', '--json'], { env: { SYNC_DBS_NOTIFY_WEBHOOK: hook } });
    runs.hookConfig = await p.cli(['history', '--config', configFile]);
    for (const run of [runs.hookFlag, runs.hookEnv, runs.hookConfig]) {
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/plain http to http:\/\/hooks\.example\.invalid, which is not this machine/);
    }

    expect(leaksIn([PRIMARY_PASSWORD, BACKUP_PASSWORD, HOOK_TOKEN], printedBy(runs))).toEqual([]);
    // Every one stopped at the configuration: neither server was asked anything.
    for (const server of [p.primary, p.backup]) expect((await server.control.stats()).requests).toEqual({});
  });

  it('tightens a passwords file and a state database that existed with looser modes to 0600', async () => {
    const p = pair();
    await p.load(primaryData(), backupData());
    const passwords = path.join(p.stateDir, 'new-user-passwords.txt');
    const database = path.join(p.stateDir, 'state.db');
    await writeFile(passwords, 'left by an earlier run\n', { mode: 0o644 });
    await writeFile(database, '', { mode: 0o644 });
    await chmod(passwords, 0o644);
    await chmod(database, 0o644);

    const run = await p.cli(['--json'], { env: { SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD, SYNC_DBS_BACKUP_PASSWORD: BACKUP_PASSWORD } });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.json<JsonReport>().newUserPasswordsFile).toBe(passwords);
    const text = await readFile(passwords, 'utf8');
    expect(text.startsWith('left by an earlier run\n')).toBe(true);
    expect(passwordsHandedOver(text)).toHaveLength(2);
    expect((await stat(passwords)).mode & 0o777).toBe(0o600);
    for (const file of (await readdir(p.stateDir)).filter((name) => name.startsWith('state.db'))) {
      expect((await stat(path.join(p.stateDir, file))).mode & 0o777, file).toBe(0o600);
    }
  });
});
