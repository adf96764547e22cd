#!/usr/bin/env node
// Makes the README's commands work on a fresh clone: runs `npm ci` (install
// exactly the lockfile) when node_modules is missing or older than the lockfile,
// and does nothing otherwise. npm's own hidden lockfile marks the last install.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockfile = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lockfile).mtimeMs) process.exit(0);

process.stderr.write('sync-dbs: installing dependencies from package-lock.json (npm ci)...\n');
const windows = process.platform === 'win32';
execFileSync(windows ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], shell: windows });
