import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// vitest globalSetup: end-to-end tests run the built CLI (dist/cli/main.js) as
// a process, so build it once before any test file starts.
// SYNC_DBS_SKIP_BUILD=1 uses dist as it is (several test runs at once must not rebuild it under each other).
export default function setup(): void {
  if (process.env.SYNC_DBS_SKIP_BUILD === '1') return;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
