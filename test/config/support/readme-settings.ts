import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SettingDeclaration } from '../../../src/config/setting-kinds.js';
import { withBounds } from '../../../src/config/setting-kinds.js';

export const README_FILE = fileURLToPath(new URL('../../../README.md', import.meta.url));

export function readReadme(): string {
  return readFileSync(README_FILE, 'utf8');
}

/** The rows of the first table whose header row is `header`, as written. */
export function tableAfterHeader(readme: string, header: string): string[] {
  const lines = readme.split(/\r?\n/);
  const start = lines.indexOf(header);
  if (start === -1) throw new Error(`README.md has no table headed ${header}`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

export const GENERAL_TABLE_HEADER = '| flag | default | meaning |';
export const SERVER_TABLE_HEADER = '| setting | flag | environment / `.env` | JSON key |';

/** The default column: the declared default (strings in backticks, booleans as on/off), unless the declaration says otherwise. */
export function readmeDefaultOf(declaration: SettingDeclaration<unknown>): string {
  if (declaration.readme.default !== undefined) return declaration.readme.default;
  const given = declaration.default;
  if (given === null) return '';
  if (typeof given === 'boolean') return given ? 'on' : 'off';
  if (typeof given === 'number') return String(given);
  if (typeof given === 'string') return `\`${given}\``;
  return given.text();
}

/** The README row a declaration calls for. */
export function readmeRowOf(declaration: SettingDeclaration<unknown>): string {
  const { flag, readme, value } = declaration;
  const cells = [`\`--${flag}${readme.arg === undefined ? '' : ` ${readme.arg}`}\``, readmeDefaultOf(declaration), withBounds(readme.meaning, flag, value.bounds)];
  return `|${cells.map((cell) => (cell === '' ? ' ' : ` ${cell} `)).join('|')}|`;
}

/** How the README's settings table differs from the declarations: one line per difference, empty when none. */
export function readmeMismatches(readme: string, declarations: readonly SettingDeclaration<unknown>[]): string[] {
  const written = tableAfterHeader(readme, GENERAL_TABLE_HEADER);
  const expected = declarations.map(readmeRowOf);
  const mismatches: string[] = [];
  for (let index = 0; index < Math.max(written.length, expected.length); index++) {
    if (written[index] !== expected[index]) {
      mismatches.push(`row ${index + 1}:\n  README:   ${written[index] ?? '(none)'}\n  declared: ${expected[index] ?? '(none)'}`);
    }
  }
  return mismatches;
}
