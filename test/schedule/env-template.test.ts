import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnvText } from '../../src/config/env-file-text.js';
import { runCli } from '../support/cli-process.js';
import { readScheduleFile, scheduleFile } from './support/schedule-files.js';

const TEMPLATE = 'sync-dbs.env.example';

/** KEY=value lines as systemd's EnvironmentFile= reads this file (comments and blank lines skipped). */
function assignments(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || /^\s*[#;]/.test(line)) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`not a plain KEY=value line: ${line}`);
    result[match[1] ?? ''] = match[2] ?? '';
  }
  return result;
}

function expectOnlyPasswordProblems(run: { exitCode: number | null; stderr: string }): void {
  expect(run.exitCode, run.stderr).toBe(2);
  expect(run.stderr).toMatch(/primary password/);
  expect(run.stderr).toMatch(/backup password/);
  expect(run.stderr).not.toMatch(/unknown setting|URL|USER\b/);
}

describe('schedule/sync-dbs.env.example', () => {
  const text = readScheduleFile(TEMPLATE);
  const values = assignments(text);
  // An empty working folder, so that no stray .env is picked up.
  const cwd = mkdtempSync(path.join(tmpdir(), 'sync-dbs-template-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('names the server settings, in plain KEY=value lines that both --env-file and systemd read alike, and holds no secret', () => {
    expect(Object.keys(values).sort()).toEqual(['SYNC_DBS_BACKUP_URL', 'SYNC_DBS_BACKUP_USER', 'SYNC_DBS_PRIMARY_URL', 'SYNC_DBS_PRIMARY_USER']);
    for (const [key, value] of Object.entries(values)) {
      expect(value, key).not.toMatch(/["'\s$`\\]/);
      expect(value, key).toMatch(/^(https:\/\/[a-z]+\.example\.invalid|CHANGE-ME)$/);
    }
    // The password settings are there to be filled in, commented out.
    for (const name of ['PRIMARY', 'BACKUP']) {
      expect(text).toMatch(new RegExp(`^#SYNC_DBS_${name}_PASSWORD=$`, 'm'));
      expect(text).toMatch(new RegExp(`^#SYNC_DBS_${name}_PASSWORD_FILE=/`, 'm'));
    }
    expect(text).toMatch(/^#SYNC_DBS_NOTIFY_WEBHOOK=$/m);
    expect(text).toMatch(/^#SYNC_DBS_PING_URL=$/m);
  });

  it('shows how to write a password with #, spaces or quotes, and its example reads as that password', () => {
    expect(text).not.toMatch(/no quotes/);
    const example = /^#\s+(SYNC_DBS_PRIMARY_PASSWORD='.*)$/m.exec(text)?.[1];
    expect(example).toBeDefined();
    expect(parseEnvText(example ?? '')).toEqual({ SYNC_DBS_PRIMARY_PASSWORD: 'pa#ss word"1' });
  });

  it('as shipped, stops a run with exit code 2 before any request, read with --env-file or as the environment', async () => {
    const asEnvFile = await runCli(['sync', '--env-file', scheduleFile(TEMPLATE), '--quiet'], { cwd });
    expectOnlyPasswordProblems(asEnvFile);
    const asEnvironment = await runCli(['sync', '--quiet'], { cwd, env: values });
    expectOnlyPasswordProblems(asEnvironment);
  });
});
