import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY } from '../support/cli-process.js';
import { ADMIN, datasetOf, useSyncPair } from '../support/sync-pair.js';

// With a terminal and no password configured, sync-dbs asks for each password
// without echoing it. `script` (util-linux) gives the CLI a real pseudo-terminal.

const pair = useSyncPair();

/** Runs the CLI on a pty, typing `answers` one per prompt as the prompts appear. */
function runOnTerminal(args: readonly string[], env: Record<string, string | undefined>, answers: readonly string[]): Promise<{ output: string; exitCode: number | null }> {
  const command = [process.execPath, CLI_ENTRY, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'dumb', ...env } });
  let output = '';
  let answered = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    const prompts = output.split('Password for ').length - 1;
    while (answered < prompts && answered < answers.length) child.stdin.write(`${answers[answered++]}\r`);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit within 20 s; output so far:\n${output}`));
    }, 20_000);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ output, exitCode });
    });
  });
}

describe('the password prompt', () => {
  it('asks for each missing password on a terminal, without echo, and uses the answers', async () => {
    const p = pair();
    await p.load(datasetOf({}), datasetOf({}));
    const env = { ...p.env(), SYNC_DBS_PRIMARY_PASSWORD: undefined, SYNC_DBS_BACKUP_PASSWORD: undefined };

    const { output, exitCode } = await runOnTerminal(['health'], env, [ADMIN.password, ADMIN.password]);

    expect(exitCode, output).toBe(0);
    expect(output).toContain(`Password for admin at ${p.primary.url}: `);
    expect(output).toContain(`Password for admin at ${p.backup.url}: `);
    expect(output).toMatch(/login: works, role admin/);
    expect(output).not.toContain(ADMIN.password);
  });
});
