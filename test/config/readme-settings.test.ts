import { describe, expect, it } from 'vitest';
import type { SettingDeclaration } from '../../src/config/setting-kinds.js';
import { CONFIG_FLAGS, GENERAL_SETTINGS, PASSWORD_KEYS, SETTING_KEYS, declarationOf, envNameFor } from '../../src/config/settings.js';
import { SERVER_TABLE_HEADER, readReadme, readmeMismatches, readmeRowOf, tableAfterHeader } from './support/readme-settings.js';

// README.md's settings tables are checked against the declarations in
// src/config/settings.ts: a new setting's row is printed by the failure.

const DECLARATIONS = GENERAL_SETTINGS as readonly SettingDeclaration<unknown>[];

describe('the README settings table', () => {
  it('has one row per declared setting, in declaration order, with its flag, default and meaning', () => {
    const mismatches = readmeMismatches(readReadme(), DECLARATIONS);
    expect(mismatches, `README.md's settings table should read:\n${DECLARATIONS.map(readmeRowOf).join('\n')}\n\n${mismatches.join('\n')}`).toEqual([]);
  });

  it('notices a changed default, bound or new setting in the declarations', () => {
    const readme = readReadme();
    const concurrency = declarationOf('max-concurrency') as SettingDeclaration<unknown>;
    const withDefault = DECLARATIONS.map((declaration) => (declaration === concurrency ? { ...declaration, default: 9 } : declaration));
    expect(readmeMismatches(readme, withDefault)).toEqual([expect.stringContaining('`--max-concurrency N` | 9 |')]);
    const withBound = DECLARATIONS.map((declaration) =>
      declaration === concurrency ? { ...declaration, value: { ...declaration.value, bounds: { min: 1, max: 32 } } } : declaration,
    );
    expect(readmeMismatches(readme, withBound)).toEqual([expect.stringContaining('the cap of the adaptive limit (1-32)')]);
    const knob: SettingDeclaration<unknown> = { ...concurrency, flag: 'example-knob', readme: { arg: 'N', meaning: 'an example' } };
    expect(readmeMismatches(readme, [...DECLARATIONS, knob])).toEqual([expect.stringContaining('`--example-knob N` | 64 | an example |')]);
  });

  it('names only declared server flags, environment names and JSON keys, consistently', () => {
    const rows = tableAfterHeader(readReadme(), SERVER_TABLE_HEADER);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    const flags = new Set(CONFIG_FLAGS.map((spec) => spec.flag));
    const keys = new Set<string>([...SETTING_KEYS, 'backups']);
    const envNames = new Set(SETTING_KEYS.map(envNameFor));
    for (const row of rows) {
      const [, flagCell = '', envCell = '', keyCell = ''] = row.split(' | ');
      const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
      const rowFlags = codes(flagCell).map((flag) => flag.replace(/^--/, ''));
      for (const flag of rowFlags) expect(flags, row).toContain(flag);
      for (const name of codes(envCell)) expect(envNames, row).toContain(name);
      for (const key of codes(keyCell)) expect(keys, row).toContain(key);
      // A row's first flag, environment name and key are one setting.
      const [firstEnv] = codes(envCell);
      const [firstKey] = codes(keyCell);
      if (rowFlags[0] !== undefined) {
        expect(firstEnv, row).toBe(envNameFor(rowFlags[0]));
        expect(firstKey, row).toBe(rowFlags[0]);
      } else {
        expect(flagCell, row).toBe('(never a flag)');
        expect(PASSWORD_KEYS.map(envNameFor), row).toContain(firstEnv);
        expect(envNameFor(firstKey ?? ''), row).toBe(firstEnv);
      }
    }
  });
});
