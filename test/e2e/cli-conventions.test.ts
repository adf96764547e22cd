import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.js';

// The command line's conventions, through the built CLI with no server at
// all: a mistyped flag or command gets a "did you mean", a flag the command
// does not read is refused (exit 2) naming the option and the command, while
// the same setting from the environment, a .env file or a config file is
// simply not read by that command.

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sync-dbs-cli-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The CLI in a scratch folder, with a state directory that has no run yet. */
const cli = (args: readonly string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { SYNC_DBS_STATE_DIR: path.join(dir, 'state'), ...env } });

describe('did you mean', () => {
  it.each([
    [['--dryrun'], 'unknown option --dryrun; did you mean --dry-run?', 'Run "sync-dbs --help" for the options.'],
    [['sync', '--max-delet', '3'], 'unknown option --max-delet; did you mean --max-delete?', 'Run "sync-dbs --help" for the options.'],
    [['history', '--limt', '3'], 'unknown option --limt; did you mean --limit?', 'Run "sync-dbs history --help" for its options.'],
    [['plan', '--dryrun'], 'unknown option --dryrun (--dry-run is an option of sync)', 'Run "sync-dbs plan --help" for its options.'],
    [['stauts'], 'unknown command "stauts"; did you mean "status"?', 'Run "sync-dbs --help" for the options.'],
    [['histroy', '--json'], 'unknown command "histroy"; did you mean "history"?', 'Run "sync-dbs --help" for the options.'],
  ])('sync-dbs %j: exit 2, "%s"', async (args, message, hint) => {
    const run = await cli(args);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toBe(`sync-dbs: ${message}\n${hint}\n`);
    expect(run.stdout).toBe('');
  });

  it('names an unknown command without a close one, and lists the commands', async () => {
    const run = await cli(['frobnicate']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate" (the commands: sync, plan, health, status, history, report, and serve)');
  });

  it('says it in Portuguese under --lang pt-BR', async () => {
    const flag = await cli(['--dryrun', '--lang', 'pt-BR']);
    expect(flag.exitCode).toBe(2);
    expect(flag.stderr).toBe('sync-dbs: opção desconhecida --dryrun; você quis dizer --dry-run?\nRode "sync-dbs --help" para ver as opções.\n');
    const command = await cli(['stauts'], { SYNC_DBS_LANG: 'pt-BR' });
    expect(command.stderr).toContain('comando desconhecido "stauts"; você quis dizer "status"?');
  });
});

describe('a flag the command does not read', () => {
  it.each([
    [['status', '--delete'], '--delete does not apply to "sync-dbs status" (it is an option of sync, plan, and serve)', 'status'],
    [['history', '--primary-url', 'https://primary.example'], '--primary-url does not apply to "sync-dbs history" (it is an option of sync, plan, health, and serve)', 'history'],
    [['report', '--html', 'r.html', '--json'], '--json does not apply to "sync-dbs report" (it is an option of sync, plan, health, status, and history)', 'report'],
    [['health', '--every', '0 * * * *'], '--every does not apply to "sync-dbs health" (it is an option of sync and serve)', 'health'],
    [['plan', '--notify-webhook', 'https://hooks.example/x'], '--notify-webhook does not apply to "sync-dbs plan" (it is an option of sync and serve)', 'plan'],
    [['status', '--detailed-exitcode'], '--detailed-exitcode does not apply to "sync-dbs status" (it is an option of plan)', 'status'],
    [['sync', '--limit', '3'], '--limit does not apply to "sync-dbs sync" (it is an option of history)', 'sync'],
  ])('sync-dbs %j: exit 2, naming the option and the command', async (args, message, command) => {
    const run = await cli(args);
    expect(run.exitCode, run.stderr).toBe(2);
    const hint = command === 'sync' ? 'Run "sync-dbs --help" for the options.' : `Run "sync-dbs ${command} --help" for its options.`;
    expect(run.stderr).toBe(`sync-dbs: ${message}\n${hint}\n`);
  });

  it('names every such flag at once, and a stray argument', async () => {
    const run = await cli(['status', 'now', '--delete', '--force']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('sync-dbs: '))).toEqual([
      'sync-dbs: --delete does not apply to "sync-dbs status" (it is an option of sync, plan, and serve)',
      'sync-dbs: --force does not apply to "sync-dbs status" (it is an option of sync and plan)',
      'sync-dbs: unexpected argument "now" for "sync-dbs status"',
    ]);
  });

  it('is only about flags: the same settings from the environment, a .env file and a config file are not read by status, history and report', async () => {
    const servers = {
      SYNC_DBS_PRIMARY_URL: 'https://primary.example',
      SYNC_DBS_PRIMARY_USER: 'admin',
      SYNC_DBS_DELETE: 'true',
      SYNC_DBS_EVERY: '0 * * * *',
    };
    await writeFile(path.join(dir, '.env'), 'SYNC_DBS_BACKUP_URL=https://backup.example\nSYNC_DBS_MAX_DELETE=5\nSYNC_DBS_NEW_USERS=skip\n');
    const config = path.join(dir, 'sync.json');
    await writeFile(config, JSON.stringify({ mode: 'one-way', 'wake-timeout': 10, 'notify-on': 'failure' }));
    // No run yet: status says so with 7, history lists nothing, report writes its page.
    const status = await cli(['status', '--config', config], servers);
    expect(status.exitCode, status.stderr).toBe(7);
    const history = await cli(['history', '--json', '--config', config], servers);
    expect(history.exitCode, history.stderr).toBe(0);
    expect(history.json()).toMatchObject({ runs: [] });
    const report = await cli(['report', '--html', 'page.html', '--config', config], servers);
    expect(report.exitCode, report.stderr).toBe(0);
    for (const run of [status, history, report]) expect(run.stderr).not.toMatch(/does not apply|unknown/);
  });

  it('is an error in Portuguese under pt-BR', async () => {
    const run = await cli(['status', '--delete'], { SYNC_DBS_LANG: 'pt-BR' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('sync-dbs: --delete não se aplica a "sync-dbs status" (é uma opção de sync, plan e serve)\nRode "sync-dbs status --help" para ver as opções dele.\n');
  });
});

describe('options before the command', () => {
  it('are read as the command\'s own', async () => {
    const history = await cli(['--json', '--log-level', 'debug', 'history', '--limit', '2']);
    expect(history.exitCode, history.stderr).toBe(0);
    expect(history.json()).toMatchObject({ runs: [] });
    const refused = await cli(['--delete', 'status']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--delete does not apply to "sync-dbs status"');
  });
});

describe('plan --detailed-exitcode and usage errors', () => {
  it('makes a usage or configuration error exit 1 (2 means "changes")', async () => {
    const usage = await cli(['plan', '--detailed-exitcode', '--dryrun']);
    expect(usage.exitCode, usage.stderr).toBe(1);
    expect(usage.stderr).toContain('unknown option --dryrun');
    // Nothing configured: the configuration error is an error like any other.
    const config = await cli(['plan', '--detailed-exitcode']);
    expect(config.exitCode, config.stderr).toBe(1);
    expect(config.stderr).toMatch(/--primary-url \(not given\): required/);
    // Without the flag, both stay 2.
    expect((await cli(['plan', '--dryrun'])).exitCode).toBe(2);
    expect((await cli(['plan'])).exitCode).toBe(2);
  });
});
