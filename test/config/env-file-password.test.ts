import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceIds, withAdminPassword } from '../e2e/support/e2e-helpers.js';
import { allowedLicense, datasetOf, useSyncPair } from '../support/sync-pair.js';

// Passwords with # in a .env file, through the real process against two
// emulators: unquoted `abc#123` and quoted values log in with the whole password.

const pair = useSyncPair();

describe('a .env file with # in the passwords', () => {
  it.each([
    ['unquoted, # inside the word', 'abc#123', (text: string) => text],
    ['in double quotes', 'pa#ss word', (text: string) => `"${text}"`],
    ['in single quotes', 'say "#1" now', (text: string) => `'${text}'`],
  ])('logs in with a password written %s', async (_how, password, written) => {
    const p = pair();
    const backupPassword = `${password}-b`;
    await p.load(withAdminPassword(datasetOf({ licenses: [allowedLicense('hash-1')] }), password), withAdminPassword(datasetOf({}), backupPassword));
    const cwd = path.join(p.stateDir, 'work');
    await mkdir(cwd);
    const lines = [`SYNC_DBS_PRIMARY_PASSWORD=${written(password)} # the primary's`, `SYNC_DBS_BACKUP_PASSWORD=${written(backupPassword)}`];
    await writeFile(path.join(cwd, '.env'), `${lines.join('\n')}\n`);
    const run = await p.cli(['sync'], { cwd, env: { SYNC_DBS_PRIMARY_PASSWORD: undefined, SYNC_DBS_BACKUP_PASSWORD: undefined } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(await deviceIds(p.backup)).toEqual(['hash-1']);
  });
});
