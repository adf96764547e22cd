#!/usr/bin/env node
// The HTML report's tests open it in a real headless Chromium. Makes the
// README's test command work on a fresh Debian/Ubuntu machine: when no
// Chromium is found, installs the distribution's package with apt-get (as
// root, or through sudo without a password). Elsewhere, says what to install.
// CHROMIUM_PATH points the tests at another Chromium build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(wanted)) process.exit(0);

const fail = (why) => {
  process.stderr.write(
    `sync-dbs: the HTML report tests need Chromium at ${wanted}: ${why}.\n` +
      'Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.\n',
  );
  process.exit(1);
};
if (process.env.CHROMIUM_PATH !== undefined) fail('CHROMIUM_PATH names a file that does not exist');
if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) fail('it is not installed, and this is not a machine with apt-get');

const asRoot = process.getuid?.() === 0;
const run = (args) => {
  const [command, ...rest] = asRoot ? args : ['sudo', '-n', ...args];
  execFileSync(command, rest, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};
process.stderr.write('sync-dbs: installing Chromium for the HTML report tests (apt-get install chromium)...\n');
const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium'];
try {
  run(install);
} catch {
  try {
    run(['apt-get', 'update', '-q']);
    run(install);
  } catch {
    fail(asRoot ? 'apt-get could not install it' : 'apt-get needs root (or password-less sudo)');
  }
}
if (!existsSync(wanted)) fail('apt-get ran but the binary is not there');
