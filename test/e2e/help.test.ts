import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingAppliesTo } from '../../src/cli/command-options.js';
import { CONFIG_FLAGS, PASSWORD_KEYS } from '../../src/config/settings.js';
import { runCli } from '../support/cli-process.js';

// --help, from the built CLI: its text is pinned (a change to a setting's
// declaration shows here), and it shows what the declarations say. Each
// command's help lists only the options that command reads, with examples.

const expected = (name: string) => readFileSync(new URL(`./support/${name}`, import.meta.url), 'utf8');

const squeeze = (text: string) => text.replace(/\s+/g, ' ');

/** The options an help text lists, without the dashes, in order. */
const listedOptions = (help: string) => [...help.matchAll(/^ +(?:-\w, )?--([\w-]+) /gm)].map((match) => match[1] ?? '');

/** The lines of its Examples section. */
const examplesOf = (help: string) => [...(/\n(?:Examples|Exemplos):\n((?: {2}.*\n)+)/.exec(help)?.[1] ?? '').matchAll(/^ {2}sync-dbs .*$/gm)];

const SOURCES = ['config', 'env-file', 'lang'];
const OUTPUT = ['json', 'log-level', 'log-file', 'quiet'];
const ALWAYS = ['version', 'help'];

describe('--help', () => {
  it('prints the expected text', async () => {
    const run = await runCli(['--help']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected('expected-help.txt'));
  });

  it('prints the expected text for status', async () => {
    const run = await runCli(['status', '--help']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected('expected-help-status.txt'));
  });

  it('prints the expected text in Brazilian Portuguese', async () => {
    const run = await runCli(['--help'], { env: { SYNC_DBS_LANG: 'pt-BR' } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe(expected('expected-help-pt-BR.txt'));
    expect(run.stdout).toMatch(/^Uso: sync-dbs /);
    expect(run.stdout).toContain('Exemplos:');
  });

  it('shows every declared flag of sync that is not hidden, with its description and default, and no hidden one or password', async () => {
    const help = (await runCli(['--help'])).stdout;
    /** Where the option's own entry starts (at the start of a line), or -1. */
    const entryAt = (flag: string) => help.search(new RegExp(`^ +--${flag} `, 'm'));
    for (const spec of CONFIG_FLAGS) {
      if (spec.hidden === true || !settingAppliesTo(spec.flag, 'sync')) {
        expect(entryAt(spec.flag), spec.flag).toBe(-1);
        continue;
      }
      expect(entryAt(spec.flag), spec.flag).toBeGreaterThanOrEqual(0);
      const entry = squeeze(help.slice(entryAt(spec.flag))).trim();
      expect(entry.startsWith(`--${spec.flag} ${squeeze(spec.description)}`), spec.flag).toBe(true);
      if (spec.defaultText !== null) expect(entry, spec.flag).toContain(`[default: ${squeeze(spec.defaultText)}]`);
    }
    for (const key of PASSWORD_KEYS) expect(entryAt(key), key).toBe(-1);
  });
});

describe('each command\'s --help', () => {
  it.each([
    ['status', [...SOURCES, 'state-dir', 'expect-every', ...OUTPUT]],
    ['history', [...SOURCES, 'state-dir', ...OUTPUT, 'limit']],
    ['report', [...SOURCES, 'state-dir', 'expect-every', 'log-level', 'log-file', 'quiet', 'html']],
  ])('%s lists only the options it reads', async (command, options) => {
    const run = await runCli([command, '--help']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(listedOptions(run.stdout).sort()).toEqual([...options, ...ALWAYS].sort());
  });

  it('health lists the servers and how to reach them, not what a sync writes or records', async () => {
    const listed = listedOptions((await runCli(['health', '--help'])).stdout);
    expect(listed).toEqual(expect.arrayContaining(['primary-url', 'backup-url', 'backup', 'timeout', 'wake-timeout', 'retries', 'ca-file', 'allow-insecure-http', ...SOURCES, ...OUTPUT]));
    for (const other of ['delete', 'max-delete', 'mode', 'conflict', 'state-dir', 'every', 'notify-webhook', 'ping-url', 'force', 'dry-run', 'expect-every']) expect(listed, other).not.toContain(other);
  });

  it('plan lists what shapes a plan and --detailed-exitcode, not what only a sync does', async () => {
    const listed = listedOptions((await runCli(['plan', '--help'])).stdout);
    expect(listed).toEqual(expect.arrayContaining(['primary-url', 'mode', 'conflict', 'delete', 'max-delete', 'max-shrink', 'state-dir', 'force', 'resync', 'detailed-exitcode', ...SOURCES, ...OUTPUT]));
    for (const other of ['every', 'run-at-start', 'notify-webhook', 'ping-url', 'log-retention', 'history-retention', 'expect-every', 'dry-run', 'limit', 'html']) expect(listed, other).not.toContain(other);
  });

  it('sync (also the top-level help) lists every setting and its own options, not those of the other commands', async () => {
    const listed = listedOptions((await runCli(['sync', '--help'])).stdout);
    expect(listed).toEqual(expect.arrayContaining(['every', 'run-at-start', 'dry-run', 'force', 'resync', 'notify-webhook', 'delete']));
    for (const other of ['detailed-exitcode', 'limit', 'html']) expect(listed, other).not.toContain(other);
  });

  it('serve lists what a sync reads, the watchdog and the dashboard, not what only one-shot runs take', async () => {
    const listed = listedOptions((await runCli(['serve', '--help'])).stdout);
    const serving = ['health-interval', 'health-timeout', 'down-after', 'up-after', 'host', 'port', 'dashboard-token'];
    expect(listed).toEqual(expect.arrayContaining([...serving, 'every', 'run-at-start', 'primary-url', 'backup', 'mode', 'state-dir', 'notify-webhook', 'verbose', ...SOURCES]));
    for (const other of ['dry-run', 'force', 'resync', 'detailed-exitcode', 'json', 'limit', 'html']) expect(listed, other).not.toContain(other);
    const sync = listedOptions((await runCli(['sync', '--help'])).stdout);
    for (const flag of serving) expect(sync, flag).not.toContain(flag);
  });

  it.each(['sync', 'plan', 'health', 'status', 'history', 'report', 'serve'])('%s shows two or three examples of itself', async (command) => {
    const examples = examplesOf((await runCli([command, '--help'])).stdout);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    expect(examples.length).toBeLessThanOrEqual(3);
    for (const [line] of examples) expect(line.trim().startsWith(`sync-dbs ${command}`), line).toBe(true);
  });
});
