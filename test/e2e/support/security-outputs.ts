import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliRun } from '../../support/cli-process.js';

// Everything a run leaves where someone other than the operator's secrets
// store may read it, gathered as texts for `leaksIn`.

/** Every file under `dir`, recursively, read as latin1 (the SQLite database and its -wal included), keyed by relative path. */
export async function filesUnder(dir: string, except: readonly string[] = []): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file);
    if (except.includes(relative)) continue;
    files[relative] = await readFile(file, 'latin1');
  }
  return files;
}

/** What each run printed, keyed `<name> stdout` and `<name> stderr`. */
export function printedBy(runs: Readonly<Record<string, CliRun>>): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, run] of Object.entries(runs)) {
    texts[`${name} stdout`] = run.stdout;
    texts[`${name} stderr`] = run.stderr;
  }
  return texts;
}

/** The passwords a new-user-passwords.txt file hands over, including those marked unused afterwards. */
export function passwordsHandedOver(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.split('\t')[3])
    .filter((password): password is string => password !== undefined && !password.startsWith('('));
}
