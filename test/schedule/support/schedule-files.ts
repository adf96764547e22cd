/**
 * Reading the scheduler wrappers in schedule/: systemd unit files, the crontab
 * and the PowerShell scripts, parsed just enough for the tests to check them.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SCHEDULE_DIR = path.join(REPO_ROOT, 'schedule');

export function scheduleFile(relative: string): string {
  return path.join(SCHEDULE_DIR, ...relative.split('/'));
}

export function readScheduleFile(relative: string): string {
  return readFileSync(scheduleFile(relative), 'utf8');
}

/** The first executable called `name` in the directories of `searchPath`, or null. */
export function findOnPath(name: string, searchPath: string = process.env.PATH ?? ''): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

// ---------------------------------------------------------------- systemd

export interface UnitEntry {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export interface UnitFile {
  readonly sections: readonly string[];
  readonly entries: readonly UnitEntry[];
  /** Every value of `key` in `section`, in order (systemd keys may repeat). */
  values(section: string, key: string): string[];
  /** The last value of `key` in `section` (the one systemd uses), or undefined. */
  value(section: string, key: string): string | undefined;
}

/** Parses a unit file as systemd.syntax(7) describes: [Section], Key=Value, # and ; comments, \ continuations. */
export function parseUnitFile(text: string): UnitFile {
  const sections: string[] = [];
  const entries: UnitEntry[] = [];
  const problems: string[] = [];
  let section: string | null = null;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    let line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    while (line.endsWith('\\') && index + 1 < lines.length) {
      index += 1;
      line = `${line.slice(0, -1)} ${(lines[index] ?? '').trim()}`;
    }
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      sections.push(section);
      continue;
    }
    const assignment = /^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)$/.exec(line);
    if (!assignment || section === null) {
      problems.push(`line ${lineNumber}: not a "Key=Value" line inside a section: ${line}`);
      continue;
    }
    entries.push({ section, key: assignment[1] ?? '', value: assignment[2] ?? '', line: lineNumber });
  }
  if (problems.length > 0) throw new Error(`malformed unit file:\n${problems.join('\n')}`);
  const values = (wanted: string, key: string): string[] =>
    entries.filter((entry) => entry.section === wanted && entry.key === key).map((entry) => entry.value);
  return { sections, entries, values, value: (wanted, key) => values(wanted, key).at(-1) };
}

/** A systemd time span ("5min", "50min", "1h 30min", "90s", "300") in seconds. */
export function parseTimeSpan(text: string): number {
  const units: Record<string, number> = {
    us: 1e-6, usec: 1e-6, ms: 1e-3, msec: 1e-3,
    s: 1, sec: 1, second: 1, seconds: 1,
    m: 60, min: 60, minute: 60, minutes: 60,
    h: 3600, hr: 3600, hour: 3600, hours: 3600,
    d: 86400, day: 86400, days: 86400,
  };
  let total = 0;
  let rest = text.trim();
  if (rest === '') throw new Error('empty time span');
  while (rest !== '') {
    const part = /^(\d+(?:\.\d+)?)\s*([a-z]*)\s*/.exec(rest);
    const unit = part ? units[part[2] === '' ? 's' : (part[2] ?? '')] : undefined;
    if (!part || unit === undefined) throw new Error(`not a systemd time span: ${text}`);
    total += Number(part[1]) * unit;
    rest = rest.slice(part[0].length);
  }
  return total;
}

// ---------------------------------------------------------------- crontab

export interface CrontabLine {
  readonly line: number;
  readonly text: string;
}

export interface Crontab {
  readonly variables: ReadonlyMap<string, string>;
  readonly variableLines: readonly CrontabLine[];
  readonly jobs: readonly CrontabLine[];
}

/** Splits a crontab into NAME=value lines and job lines; comments and blank lines are dropped. */
export function parseCrontab(text: string): Crontab {
  const variables = new Map<string, string>();
  const variableLines: CrontabLine[] = [];
  const jobs: CrontabLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const variable = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(text);
    if (variable) {
      variables.set(variable[1] ?? '', variable[2] ?? '');
      variableLines.push({ line: index + 1, text });
    } else {
      jobs.push({ line: index + 1, text });
    }
  });
  return { variables, variableLines, jobs };
}

/** A job line's five schedule fields and its command. */
export function splitJob(text: string): { schedule: string; command: string } {
  const match = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.+)$/.exec(text);
  if (!match) throw new Error(`not a five-field crontab job: ${text}`);
  return { schedule: match.slice(1, 6).join(' '), command: match[6] ?? '' };
}

// ---------------------------------------------------------------- PowerShell

/**
 * The script's code with <# #> blocks and # comments blanked out, and the text
 * of strings too unless `keepStrings`. Positions and line numbers are kept.
 */
export function powerShellCode(text: string, options: { keepStrings?: boolean } = {}): { code: string; problems: string[] } {
  const blank = (part: string): string => (options.keepStrings === true ? part : part.replace(/[^\n]/g, ' '));
  let code = '';
  const problems: string[] = [];
  let index = 0;
  const line = (): number => text.slice(0, index).split('\n').length;
  while (index < text.length) {
    const rest = text.slice(index);
    if (rest.startsWith('<#')) {
      const end = text.indexOf('#>', index + 2);
      if (end < 0) {
        problems.push(`unclosed <# comment from line ${line()}`);
        break;
      }
      code += text.slice(index, end + 2).replace(/[^\n]/g, ' ');
      index = end + 2;
    } else if (rest.startsWith('#')) {
      const end = text.indexOf('\n', index);
      const stop = end < 0 ? text.length : end;
      code += ' '.repeat(stop - index);
      index = stop;
    } else if (rest.startsWith('@"\n') || rest.startsWith("@'\n") || rest.startsWith('@"\r\n') || rest.startsWith("@'\r\n")) {
      const quote = rest[1] ?? '"';
      const end = text.indexOf(`\n${quote}@`, index);
      if (end < 0) {
        problems.push(`unclosed here-string from line ${line()}`);
        break;
      }
      code += `@${quote}${blank(text.slice(index + 2, end + 1))}${quote}@`;
      index = end + 3;
    } else if (rest.startsWith("'")) {
      let end = index + 1;
      while (end < text.length && !(text[end] === "'" && text[end + 1] !== "'")) end += text[end] === "'" ? 2 : 1;
      if (end >= text.length) {
        problems.push(`unclosed '...' string from line ${line()}`);
        break;
      }
      code += `'${blank(text.slice(index + 1, end))}'`;
      index = end + 1;
    } else if (rest.startsWith('"')) {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '`' ? 2 : 1;
      if (end >= text.length) {
        problems.push(`unclosed "..." string from line ${line()}`);
        break;
      }
      code += `"${blank(text.slice(index + 1, end))}"`;
      index = end + 1;
    } else {
      code += text[index];
      index += 1;
    }
  }
  return { code, problems };
}

/** Unbalanced (), [] and {} in code whose strings and comments were blanked out. */
export function delimiterProblems(code: string): string[] {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: { char: string; line: number }[] = [];
  const problems: string[] = [];
  let line = 1;
  for (const char of code) {
    if (char === '\n') line += 1;
    else if (char === '(' || char === '[' || char === '{') stack.push({ char, line });
    else if (char in pairs) {
      const open = stack.pop();
      if (open?.char !== pairs[char]) problems.push(`line ${line}: "${char}" does not close ${open ? `"${open.char}" from line ${open.line}` : 'anything'}`);
    }
  }
  for (const open of stack) problems.push(`line ${open.line}: "${open.char}" is never closed`);
  return problems;
}

export interface PowerShellParameter {
  readonly name: string;
  readonly type: string;
  readonly defaultValue: string | null;
}

/** The parameters declared in the script's top-level param(...) block. */
export function powerShellParameters(text: string): PowerShellParameter[] {
  const { code } = powerShellCode(text);
  const start = code.search(/^param\s*\(/m);
  if (start < 0) throw new Error('no param( block');
  let depth = 0;
  let end = start;
  for (let index = code.indexOf('(', start); index < code.length; index += 1) {
    if (code[index] === '(') depth += 1;
    if (code[index] === ')') depth -= 1;
    if (depth === 0) {
      end = index;
      break;
    }
  }
  // Read declarations from the original text (the defaults are strings).
  const block = text.slice(code.indexOf('(', start) + 1, end);
  const parameters: PowerShellParameter[] = [];
  for (const match of block.matchAll(/\[(string|int|switch)\]\s*\$([A-Za-z]+)(?:\s*=\s*([^\n]+?))?\s*,?\s*$/gm)) {
    parameters.push({ type: match[1] ?? '', name: match[2] ?? '', defaultValue: match[3]?.trim() ?? null });
  }
  return parameters;
}

/** The comment-based help block (<# ... #>) before param(...): keyword -> texts. */
export function powerShellHelp(text: string): { keywords: string[]; parameters: string[]; body: string } {
  const help = /<#([\s\S]*?)#>/.exec(text);
  if (!help) return { keywords: [], parameters: [], body: '' };
  const body = help[1] ?? '';
  const keywords = [...body.matchAll(/^\.([A-Z]+)\b/gm)].map((match) => match[1] ?? '');
  const parameters = [...body.matchAll(/^\.PARAMETER\s+(\S+)/gm)].map((match) => match[1] ?? '');
  return { keywords, parameters, body };
}
