import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_FLAGS, PASSWORD_KEYS } from '../../src/config/settings.js';
import { runCli } from '../support/cli-process.js';

// --help, from the built CLI: its text is pinned (a change to a setting's
// declaration shows here), and it shows what the declarations say.

const EXPECTED_HELP = readFileSync(new URL('./support/expected-help.txt', import.meta.url), 'utf8');

const squeeze = (text: string) => text.replace(/\s+/g, ' ');

describe('--help', () => {
  it('prints the expected text', async () => {
    const run = await runCli(['--help']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe(EXPECTED_HELP);
  });

  it('shows every declared flag that is not hidden, with its description and default, and no hidden one or password', async () => {
    const help = (await runCli(['--help'])).stdout;
    /** Where the option's own entry starts (at the start of a line), or -1. */
    const entryAt = (flag: string) => help.search(new RegExp(`^ +--${flag} `, 'm'));
    for (const spec of CONFIG_FLAGS) {
      if (spec.hidden === true) {
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
