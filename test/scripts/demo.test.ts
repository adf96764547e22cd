import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../../src/i18n/catalogs.js';
import { englishLines } from '../support/english-lines.js';

// `npm run demo` (scripts/demo.ts, run by tsx as npm does, against the built
// CLI) tells its story in the language of --lang, SYNC_DBS_LANG or the locale.
// The CLI's own output inside it is translated elsewhere: here, the narration.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEMO = fileURLToPath(new URL('../../scripts/demo.ts', import.meta.url));

interface DemoRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemo(args: readonly string[], env: Readonly<Record<string, string>>): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', DEMO, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 150_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : (error as { code?: unknown }).code;
        if (typeof code !== 'number') reject(new Error(`the demo did not exit normally: ${String(error)}\n${stdout}\n${stderr}`));
        else resolve({ exitCode: code, stdout, stderr });
      },
    );
  });
}

const EN = CATALOGS.en.demo;
const PT = CATALOGS['pt-BR'].demo;
/** A message of the demo's pt-BR catalog. */
const pt = (key: string): string => PT[key] ?? expect.fail(`no pt-BR demo:${key}`);

/**
 * What the demo itself printed: everything before the first CLI run (the setup
 * and the cross-check), then its headings, its "[demo]" lines with their
 * continuations, and its check lines.
 */
function narration(stdout: string): string[] {
  const lines = stdout.split('\n');
  const firstRun = lines.findIndex((line) => line.startsWith(`━━ ${pt('heading.firstRun').split('{{')[0] ?? ''}`));
  expect(firstRun, 'the first run heading').toBeGreaterThan(0);
  const checkLine = new RegExp(`^  (${pt('check.pass')}|${pt('check.fail')}) `);
  return [...lines.slice(0, firstRun), ...lines.slice(firstRun).filter((line) => /^━━ |^\[demo\] |^ {7}\S/.test(line) || checkLine.test(line))];
}

/** The English narration's literal parts (between placeholders) long enough to be its own, where Portuguese says something else. */
function englishFragments(): string[] {
  return Object.entries(EN)
    .filter(([key, text]) => PT[key] !== text)
    .flatMap(([, text]) => text.split(/\{\{[^}]*\}\}|\n/))
    .map((part) => part.trim())
    .filter((part) => part.length >= 15);
}

describe('npm run demo -- --lang pt-BR', () => {
  it('tells its story in Portuguese: every heading, no English narration', { timeout: 180_000 }, async () => {
    // The locale says English: --lang wins.
    const run = await runDemo(['--licenses', '20', '--lang', 'pt-BR'], { LANG: 'en_US.UTF-8' });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);

    const headings = Object.entries(PT).filter(([key]) => key.startsWith('heading.')).map(([, text]) => text.split('{{')[0] ?? '');
    for (const heading of headings) expect(run.stdout).toContain(`━━ ${heading}`);
    expect(run.stdout).toContain(pt('staleness.intro'));
    expect(run.stdout).toMatch(/^\[demo\] as \d+ verificações passaram; parando os emuladores/m);

    const told = narration(run.stdout);
    expect(told.length).toBeGreaterThan(50);
    const english = englishLines(told.join('\n'), { names: ['backup', 'admin'] }).map((found) => `${found.line}    [${found.words.join(', ')}]`);
    expect(english, english.join('\n')).toEqual([]);
    const leftOver = englishFragments().filter((fragment) => run.stdout.includes(fragment) || run.stderr.includes(fragment));
    expect(leftOver).toEqual([]);
  });

  it('follows SYNC_DBS_LANG and the locale without --lang, as the CLI does; --lang wins over both', async () => {
    const usage = (env: Record<string, string>, args: string[] = []) => runDemo(['--licenses', '3', ...args], env);
    const fromLocale = await usage({ LANG: 'pt_BR.UTF-8' });
    expect(fromLocale).toMatchObject({ exitCode: 2, stderr: `${pt('usage')}\n` });
    const fromEnv = await usage({ LANG: 'C', SYNC_DBS_LANG: 'pt-BR' });
    expect(fromEnv).toMatchObject({ exitCode: 2, stderr: `${pt('usage')}\n` });
    const flagWins = await usage({ LANG: 'pt_BR.UTF-8', SYNC_DBS_LANG: 'pt-BR' }, ['--lang', 'en']);
    expect(flagWins).toMatchObject({ exitCode: 2, stderr: `${EN.usage ?? ''}\n` });
    const unknown = await usage({ LANG: 'pt_BR.UTF-8' }, ['--lang', 'fr']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('"fr"');
  });
});
