import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, findOnPath, parseTimeSpan, parseUnitFile, readScheduleFile, scheduleFile } from './support/schedule-files.js';

const SERVICE = 'linux/sync-dbs.service';
const TIMER = 'linux/sync-dbs.timer';
const service = parseUnitFile(readScheduleFile(SERVICE));
const timer = parseUnitFile(readScheduleFile(TIMER));

// Every key the units use, per section. Without systemd-analyze this is what
// catches a misspelt key; with it, verify checks them against systemd itself.
// A new key must be added here too.
const KNOWN_KEYS: Record<string, readonly string[]> = {
  Unit: ['Description', 'Documentation', 'Wants', 'After'],
  Service: [
    'Type', 'User', 'Group', 'EnvironmentFile', 'Environment', 'StateDirectory', 'StateDirectoryMode', 'UMask', 'ExecStart',
    'TimeoutStartSec', 'NoNewPrivileges', 'CapabilityBoundingSet', 'AmbientCapabilities', 'ProtectSystem', 'ProtectHome',
    'PrivateTmp', 'PrivateDevices', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups',
    'ProtectClock', 'ProtectHostname', 'RestrictAddressFamilies', 'RestrictNamespaces', 'RestrictRealtime', 'RestrictSUIDSGID',
    'LockPersonality', 'RemoveIPC', 'SystemCallArchitectures', 'SystemCallFilter', 'SystemCallErrorNumber',
  ],
  Timer: ['OnCalendar', 'RandomizedDelaySec', 'AccuracySec', 'Persistent', 'Unit'],
  Install: ['WantedBy'],
};

function unknownKeys(unit: ReturnType<typeof parseUnitFile>): string[] {
  return unit.entries
    .filter((entry) => !(KNOWN_KEYS[entry.section] ?? []).includes(entry.key))
    .map((entry) => `line ${entry.line}: [${entry.section}] ${entry.key}`);
}

function systemdAnalyze(args: readonly string[], cwd: string): { status: number | null; output: string } {
  const run = spawnSync('systemd-analyze', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', SYSTEMD_COLORS: '0' } });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

function systemdVersion(): number {
  const first = systemdAnalyze(['--version'], REPO_ROOT).output.split('\n')[0] ?? '';
  return Number(/^systemd (\d+)/.exec(first)?.[1] ?? 0);
}

describe('schedule/linux systemd units', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'sync-dbs-units-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('timer: hourly, made up after downtime, randomized, starting sync-dbs.service, enabled by timers.target', () => {
    expect(timer.sections).toEqual(['Unit', 'Timer', 'Install']);
    expect(timer.value('Timer', 'OnCalendar')).toBe('hourly');
    expect(timer.value('Timer', 'Persistent')).toBe('true');
    const delay = parseTimeSpan(timer.value('Timer', 'RandomizedDelaySec') ?? '');
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(15 * 60);
    expect(parseTimeSpan(timer.value('Timer', 'AccuracySec') ?? '')).toBeLessThanOrEqual(60);
    expect(timer.value('Timer', 'Unit')).toBe(path.basename(SERVICE));
    expect(timer.value('Install', 'WantedBy')).toBe('timers.target');
    expect(unknownKeys(timer)).toEqual([]);
  });

  it('service: one-shot run as a dedicated user, settings from a protected env file, a time limit under the hour, hardened', () => {
    expect(service.sections).toEqual(['Unit', 'Service']);
    expect(service.value('Service', 'Type')).toBe('oneshot');
    expect(service.value('Service', 'User')).toBe('sync-dbs');
    expect(service.value('Service', 'Group')).toBe('sync-dbs');

    // Credentials: a required EnvironmentFile (no "-" prefix), nothing secret inline.
    expect(service.values('Service', 'EnvironmentFile')).toEqual(['/etc/sync-dbs/sync-dbs.env']);
    const inline = service.values('Service', 'Environment');
    expect(inline).toEqual(['SYNC_DBS_STATE_DIR=%S/sync-dbs']);
    for (const entry of service.entries) {
      if (entry.key === 'EnvironmentFile') continue;
      expect(entry.value, `line ${entry.line}: ${entry.key}`).not.toMatch(/PASSWORD|password|:\/\/[^/\s]*:[^/\s]*@/);
    }
    expect(service.value('Service', 'StateDirectory')).toBe('sync-dbs');

    // The command: the built CLI (package.json's bin), one sync, quiet.
    const bin = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['sync-dbs'];
    expect(service.values('Service', 'ExecStart')).toEqual([`/usr/bin/env node /opt/sync-dbs/${bin ?? '?'} sync --quiet`]);

    // Execution time limit shorter than the interval; only exit 0 counts as success.
    expect(parseTimeSpan(service.value('Service', 'TimeoutStartSec') ?? '')).toBe(50 * 60);
    expect(service.values('Service', 'SuccessExitStatus')).toEqual([]);
    expect(service.values('Unit', 'After')).toContain('network-online.target');
    expect(service.values('Unit', 'Wants')).toContain('network-online.target');

    // Hardening that still lets node make outbound HTTPS connections.
    const hardening: Record<string, string> = {
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'yes',
      CapabilityBoundingSet: '',
      RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
      UMask: '0077',
    };
    for (const [key, value] of Object.entries(hardening)) expect(service.value('Service', key), key).toBe(value);
    // V8's JIT needs writable and executable memory.
    expect(service.values('Service', 'MemoryDenyWriteExecute')).toEqual([]);
    expect(unknownKeys(service)).toEqual([]);
  });

  it('systemd-analyze verify accepts both units and rejects a broken copy (when systemd-analyze is installed)', () => {
    if (findOnPath('systemd-analyze') === null) {
      console.warn('systemd-analyze is not installed here: the units were checked by parsing only');
      return;
    }
    // --recursive-errors=yes: a non-zero exit for any warning, in our units or
    // the units they pull in; and any output at all fails the test too.
    const verifyArgs = ['verify', '--man=no', '--recursive-errors=yes'];
    const real = systemdAnalyze([...verifyArgs, scheduleFile(SERVICE), scheduleFile(TIMER)], REPO_ROOT);
    console.info(`systemd-analyze verify: exit ${real.status}, output: ${real.output === '' ? '(none)' : real.output}`);
    expect(real.output).toBe('');
    expect(real.status).toBe(0);

    // The same check fails on an unknown key, a bad value and a missing section.
    const brokenService = path.join(scratch, 'sync-dbs.service');
    const brokenTimer = path.join(scratch, 'sync-dbs.timer');
    copyFileSync(scheduleFile(SERVICE), brokenService);
    writeFileSync(
      brokenTimer,
      readScheduleFile(TIMER).replace('Persistent=true', 'Persistant=true').replace('RandomizedDelaySec=5min', 'RandomizedDelaySec=five minutes'),
    );
    writeFileSync(brokenService, readScheduleFile(SERVICE).replace('[Service]', '[Servise]'));
    const broken = systemdAnalyze([...verifyArgs, brokenService, brokenTimer], scratch);
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain("Unknown key 'Persistant'");
    expect(broken.output).toContain('Failed to parse sec value, ignoring: five minutes');
    expect(broken.output).toContain("Unknown section 'Servise'");

    // Exposure score of the hardening (offline analysis needs systemd 250).
    if (systemdVersion() >= 250) {
      const security = systemdAnalyze(['security', '--offline=true', '--threshold=25', scheduleFile(SERVICE)], REPO_ROOT);
      const score = /Overall exposure level for sync-dbs\.service: ([\d.]+)/.exec(security.output)?.[1];
      console.info(`systemd-analyze security: exposure ${score ?? '?'} (at most 2.5 accepted)`);
      expect(security.status, security.output).toBe(0);
    }
  });
});
