import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import parser from 'cron-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath, parseCrontab, readScheduleFile, splitJob } from './support/schedule-files.js';

const crontab = parseCrontab(readScheduleFile('linux/crontab.txt'));
const STATE_DIR = '$HOME/.local/state/sync-dbs';
const ENV_FILE = '$HOME/.config/sync-dbs/sync-dbs.env';

function theJob(): { schedule: string; command: string } {
  expect(crontab.jobs, 'schedule/linux/crontab.txt must hold exactly one job line').toHaveLength(1);
  return splitJob(crontab.jobs[0]?.text ?? '');
}

/** Every time the schedule fires in [from, to). */
function firings(schedule: string, from: string, to: string): Date[] {
  const interval = parser.parseExpression(schedule, { currentDate: new Date(Date.parse(from) - 1), endDate: new Date(to), tz: 'UTC' });
  const times: Date[] = [];
  while (interval.hasNext()) {
    const next = interval.next().toDate();
    if (next.getTime() >= Date.parse(to)) break;
    times.push(next);
  }
  return times;
}

describe('schedule/linux/crontab.txt', () => {
  it('sets the shell and a PATH that finds sync-dbs and node, without variables cron would not expand', () => {
    expect(crontab.variables.get('SHELL')).toBe('/bin/sh');
    const searchPath = crontab.variables.get('PATH') ?? '';
    expect(searchPath.split(':')).toEqual(expect.arrayContaining(['/usr/local/bin', '/usr/bin', '/bin']));
    for (const { line, text } of crontab.variableLines) {
      expect(text, `line ${line}: cron does not expand $ in variable lines`).not.toContain('$');
    }
  });

  it('has one job that fires 24 times a day, every hour at the same minute, never at minute 0', () => {
    const { schedule } = theJob();
    const day = firings(schedule, '2025-03-10T00:00:00Z', '2025-03-11T00:00:00Z');
    expect(day).toHaveLength(24);
    const minutes = new Set(day.map((time) => time.getUTCMinutes()));
    expect(minutes.size).toBe(1);
    expect([...minutes][0]).not.toBe(0);
    expect(day.map((time) => time.getUTCHours())).toEqual(Array.from({ length: 24 }, (_, hour) => hour));

    // The next 24 runs from an arbitrary moment are one hour apart.
    const interval = parser.parseExpression(schedule, { currentDate: new Date('2025-10-26T00:30:00Z'), tz: 'UTC' });
    const next24 = Array.from({ length: 24 }, () => interval.next().getTime());
    for (let index = 1; index < next24.length; index += 1) {
      expect((next24[index] ?? 0) - (next24[index - 1] ?? 0)).toBe(3_600_000);
    }
  });

  it('runs `sync-dbs sync` under flock -n with the lock-conflict exit code 5, a time limit, the env file and a log', () => {
    const { command } = theJob();
    expect(command).not.toContain('%'); // cron would turn it into a newline
    expect(command.toLowerCase()).not.toContain('password');

    const [lockPart, rest] = command.split(/\s+timeout\s+/, 2);
    expect(lockPart).toBe(`flock -n -E 5 "${STATE_DIR}/cron.lock"`);
    expect(rest).toBeDefined();
    expect(command).toMatch(/\btimeout -k 60 50m sync-dbs sync\b/);
    expect(command).toContain(`--env-file "${ENV_FILE}"`);
    expect(command).toMatch(/ --quiet /);
    // stdout appended to the log, stderr to the same place, in that order.
    expect(command).toMatch(new RegExp(`>> "${STATE_DIR.replace(/\$/g, '\\$')}/cron\\.log" 2>&1$`));

    const syntax = spawnSync('/bin/sh', ['-n', '-c', command], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
  });

  it('tells how to create the log folder before the first run (sh opens the log before anything starts)', () => {
    const comments = readScheduleFile('linux/crontab.txt');
    expect(comments).toContain('mkdir -p -m 0700 ~/.config/sync-dbs ~/.local/state/sync-dbs');
    expect(comments).toContain('install -m 0600');
  });

  describe('run as cron would, with a stand-in sync-dbs', () => {
    const home = mkdtempSync(path.join(tmpdir(), 'sync-dbs-cron-'));
    afterAll(() => rmSync(home, { recursive: true, force: true }));

    it('appends stdout and stderr to cron.log, passes the env file, and exits 5 at once while a run holds the lock', async () => {
      const { command } = theJob();
      const cronPath = crontab.variables.get('PATH') ?? '';
      // The parse-based checks above always run; this one needs the tools the line calls.
      if (findOnPath('flock', cronPath) === null || findOnPath('timeout', cronPath) === null) {
        console.warn('flock or timeout is not on the crontab PATH here: the line was checked, not run');
        return;
      }
      const bin = path.join(home, 'bin');
      mkdirSync(bin);
      mkdirSync(path.join(home, '.local', 'state', 'sync-dbs'), { recursive: true, mode: 0o700 });
      const stub = path.join(bin, 'sync-dbs');
      writeFileSync(
        stub,
        [
          '#!/bin/sh',
          'echo "report: $*"',
          'echo "error line" >&2',
          'if [ -n "$HOLD" ]; then : > "$HOME/started"; while [ ! -e "$HOME/release" ]; do sleep 0.05; done; fi',
          'exit 0',
          '',
        ].join('\n'),
      );
      chmodSync(stub, 0o755);
      const env = { HOME: home, PATH: `${bin}:${cronPath}`, SHELL: '/bin/sh' };
      const log = path.join(home, '.local', 'state', 'sync-dbs', 'cron.log');

      execFileSync('/bin/sh', ['-c', command], { env });
      expect(readFileSync(log, 'utf8')).toBe(`report: sync --env-file ${home}/.config/sync-dbs/sync-dbs.env --quiet\nerror line\n`);

      // A run that is still going holds the lock: the next one exits 5 at once.
      const first = spawn('/bin/sh', ['-c', command], { env: { ...env, HOLD: '1' }, stdio: 'ignore' });
      const firstExit = new Promise<number | null>((resolve) => first.once('exit', resolve));
      const deadline = Date.now() + 10_000;
      while (!existsSync(path.join(home, 'started')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const second = spawnSync('/bin/sh', ['-c', command], { env, timeout: 10_000 });
      writeFileSync(path.join(home, 'release'), '');
      expect(second.status).toBe(5);
      expect(await firstExit).toBe(0);
      expect(readFileSync(log, 'utf8').match(/^report: /gm)).toHaveLength(2);
    });
  });
});
