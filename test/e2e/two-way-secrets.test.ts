import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli-process.js';
import { useServerGroup } from '../support/server-group.js';
import { allowedLicense, datasetOf } from '../support/sync-pair.js';
import { leaksIn, withAdminPassword, type JsonReport } from './support/e2e-helpers.js';
import { adminPanel } from './support/two-way-helpers.js';

// No credential of a run over several backups, nor of a two-way run, reaches
// stdout, stderr, the state database or the log files: every server's password
// (the second backup's above all, which travels through new settings:
// SYNC_DBS_BACKUP_2_PASSWORD and a config file's `backups` list), a wrong one,
// every token the three servers issued, the passwords generated for new users.
// Each secret is a distinctive string (the pattern of secrets.test.ts).

const group = useServerGroup({ backups: 2, names: ['render', 'koyeb'] });

const PRIMARY_PASSWORD = 'Pr1m-Tr10-S3cr3t-7731';
const RENDER_PASSWORD = 'R3nd3r-Tr10-S3cr3t-2290';
const KOYEB_PASSWORD = 'K0y3b-B4ck2-S3cr3t-5518';
const WRONG_KOYEB_PASSWORD = 'Wr0ng-K0y3b-S3cr3t-8843';
const RESELLER_PASSWORD = 'R3v-Tr10-S3cr3t-1107';

const primaryData = () =>
  withAdminPassword(
    datasetOf({
      users: [{ username: 'revenda-t', password: RESELLER_PASSWORD, role: 'user' }],
      licenses: [allowedLicense('sec-1', { created_by: 'revenda-t' }), allowedLicense('sec-2', { status: 'blocked' }), allowedLicense('sec-3')],
    }),
    PRIMARY_PASSWORD,
  );

/** The new users' passwords in the file the run handed them over in. */
function generatedPasswords(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.split('\t')[3])
    .filter((password): password is string => password !== undefined && !password.startsWith('('));
}

describe('secrets of several backups and two-way runs never leak', () => {
  it('keeps every password and token out of stdout, stderr, the state database and the logs', async () => {
    const g = group();
    const [render, koyeb] = g.backups;
    if (render === undefined || koyeb === undefined) throw new Error('two backups expected');
    const logFile = path.join(g.stateDir, 'sync.log');
    const passwords = { SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD, SYNC_DBS_BACKUP_PASSWORD: RENDER_PASSWORD, SYNC_DBS_BACKUP_2_PASSWORD: KOYEB_PASSWORD };
    const runs: Record<string, CliRun> = {};
    const load = () =>
      g.load(primaryData(), withAdminPassword(datasetOf({}), RENDER_PASSWORD), withAdminPassword(datasetOf({}), KOYEB_PASSWORD));

    // 1. One-way into both backups, text and JSON, logging everything; koyeb redeploys mid-run (new tokens).
    await load();
    await koyeb.control.setFaults({ revokeTokens: { afterRequests: 5 } });
    runs.text = await g.cli(['--log-level', 'debug', '--log-file', logFile], { env: passwords });
    expect(runs.text.exitCode, runs.text.stderr).toBe(0);
    await load();
    runs.json = await g.cli(['--json', '--log-level', 'debug', '--log-file', logFile], { env: passwords });
    expect(runs.json.exitCode, runs.json.stderr).toBe(0);
    const passwordsFile = runs.json.json<JsonReport>().newUserPasswordsFile;
    expect(passwordsFile).not.toBeNull();

    // 2. Koyeb's password wrong: exit 3, render still synced.
    runs.wrongKoyeb = await g.cli(['--json', '--log-level', 'debug', '--log-file', logFile], { env: { ...passwords, SYNC_DBS_BACKUP_2_PASSWORD: WRONG_KOYEB_PASSWORD } });
    expect(runs.wrongKoyeb.exitCode).toBe(3);
    expect(runs.wrongKoyeb.json<JsonReport>().targets.map((target) => target.outcome)).toEqual(['in-sync', 'unreachable']);

    // 3. Two-way with koyeb as the peer (backup 2): work done there comes back to the primary.
    const onKoyeb = await adminPanel(koyeb, KOYEB_PASSWORD);
    await onKoyeb.create('sec-koyeb');
    await onKoyeb.createReseller('revenda-koyeb');
    runs.twoWayPlan = await g.cli(['plan', '--mode', 'two-way', '--backup', 'koyeb', '--log-level', 'debug'], { env: passwords });
    expect(runs.twoWayPlan.exitCode, runs.twoWayPlan.stderr).toBe(0);
    runs.twoWay = await g.cli(['sync', '--mode', 'two-way', '--backup', 'koyeb', '--json', '--log-level', 'debug', '--log-file', logFile], { env: passwords });
    expect(runs.twoWay.exitCode, runs.twoWay.stderr).toBe(0);
    expect(runs.twoWay.json<JsonReport>().applied.summary.done).toBe(2);

    // 4. The backups from a config file list, passwords in it; then the same file with a typo next to a password.
    const configFile = path.join(g.stateDir, 'sync.json');
    const entries = [
      { name: 'render', url: render.url, user: 'admin', password: RENDER_PASSWORD },
      { name: 'koyeb', url: koyeb.url, user: 'admin', password: KOYEB_PASSWORD },
    ];
    const withoutBackupEnv = Object.fromEntries(
      Object.keys(g.env())
        .filter((key) => key.startsWith('SYNC_DBS_BACKUP'))
        .map((key) => [key, undefined]),
    );
    await writeFile(configFile, JSON.stringify({ backups: entries }));
    runs.configFile = await g.cli(['--config', configFile, '--log-level', 'debug'], { env: { ...withoutBackupEnv, SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD } });
    expect(runs.configFile.exitCode, runs.configFile.stderr).toBe(0);
    await writeFile(configFile, JSON.stringify({ backups: [entries[0], { name: 'koyeb', url: koyeb.url, user: 'admin', pasword: KOYEB_PASSWORD }] }));
    runs.configTypo = await g.cli(['--config', configFile], { env: { ...withoutBackupEnv, SYNC_DBS_PRIMARY_PASSWORD: PRIMARY_PASSWORD } });
    expect(runs.configTypo.exitCode).toBe(2);
    expect(runs.configTypo.stderr).toMatch(/backups\[1\]\.pasword/);

    // What is secret.
    const tokens = (await Promise.all(g.servers.map((server) => server.control.issuedTokens()))).flat();
    expect(tokens.length).toBeGreaterThanOrEqual(10);
    const generated = generatedPasswords(await readFile(passwordsFile as string, 'utf8'));
    expect(generated.length).toBeGreaterThanOrEqual(2);
    const secrets = [PRIMARY_PASSWORD, RENDER_PASSWORD, KOYEB_PASSWORD, WRONG_KOYEB_PASSWORD, RESELLER_PASSWORD, ...tokens, ...generated];

    const texts: Record<string, string> = { 'the log file': await readFile(logFile, 'utf8') };
    expect(texts['the log file']).toMatch(/koyeb/);
    const stateFiles = (await readdir(g.stateDir)).filter((name) => name.startsWith('state.db')).map((name) => path.join(g.stateDir, name));
    expect(stateFiles).toContain(path.join(g.stateDir, 'state.db'));
    const dailyLogs = (await readdir(path.join(g.stateDir, 'logs'))).map((name) => path.join(g.stateDir, 'logs', name));
    for (const file of [...stateFiles, ...dailyLogs]) texts[file] = (await readFile(file)).toString('latin1');
    // The state database does hold the bases and the runs (so the check reads real content).
    expect(stateFiles.map((file) => texts[file]).join('')).toMatch(/sec-koyeb/);
    for (const [name, run] of Object.entries(runs)) {
      texts[`${name} stdout`] = run.stdout;
      texts[`${name} stderr`] = run.stderr;
    }
    expect(leaksIn(secrets, texts)).toEqual([]);
  });
});
