import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, findOnPath, parseTimeSpan, parseUnitFile, readScheduleFile, scheduleFile } from './support/schedule-files.js';

// The files that run `sync-dbs serve` for good: the systemd service and the
// PM2 ecosystem file. Both must start the built CLI's `serve` with the
// settings from a file, give a run in progress time to finish on stop, and
// not restart in a loop on a configuration error (exit 2).

const SERVICE = 'sync-dbs-serve.service';
const service = parseUnitFile(readScheduleFile(SERVICE));
const bin = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin['sync-dbs'] ?? '?';

const KNOWN_KEYS: Record<string, readonly string[]> = {
  Unit: ['Description', 'Documentation', 'Wants', 'After', 'StartLimitIntervalSec', 'StartLimitBurst'],
  Service: [
    'Type', 'User', 'Group', 'EnvironmentFile', 'Environment', 'StateDirectory', 'StateDirectoryMode', 'UMask', 'ExecStart',
    'TimeoutStopSec', 'SuccessExitStatus', 'Restart', 'RestartSec', 'RestartPreventExitStatus',
    'NoNewPrivileges', 'CapabilityBoundingSet', 'AmbientCapabilities', 'ProtectSystem', 'ProtectHome',
    'PrivateTmp', 'PrivateDevices', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectKernelLogs', 'ProtectControlGroups',
    'ProtectClock', 'ProtectHostname', 'RestrictAddressFamilies', 'RestrictNamespaces', 'RestrictRealtime', 'RestrictSUIDSGID',
    'LockPersonality', 'RemoveIPC', 'SystemCallArchitectures', 'SystemCallFilter', 'SystemCallErrorNumber',
  ],
  Install: ['WantedBy'],
};

interface PmApp {
  name: string;
  cwd: string;
  script: string;
  args: string[];
  instances: number;
  env: Record<string, string>;
  kill_timeout: number;
  stop_exit_codes: number[];
  autorestart: boolean;
}

describe('schedule/sync-dbs-serve.service', () => {
  it('runs serve for good as the dedicated user, with the settings from the protected file and nothing secret inline', () => {
    expect(service.sections).toEqual(['Unit', 'Service', 'Install']);
    expect(service.value('Service', 'Type')).toBe('simple');
    expect(service.value('Service', 'User')).toBe('sync-dbs');
    expect(service.values('Service', 'ExecStart')).toEqual([`/usr/bin/env node /opt/sync-dbs/${bin} serve --quiet`]);
    expect(service.values('Service', 'EnvironmentFile')).toEqual(['/etc/sync-dbs/sync-dbs.env']);
    expect(service.values('Service', 'Environment')).toEqual(['SYNC_DBS_STATE_DIR=%S/sync-dbs']);
    for (const entry of service.entries) {
      if (entry.key === 'EnvironmentFile') continue;
      expect(entry.value, `line ${entry.line}: ${entry.key}`).not.toMatch(/PASSWORD|TOKEN|password|token|:\/\/[^/\s]*:[^/\s]*@/);
    }
    expect(service.value('Install', 'WantedBy')).toBe('multi-user.target');
    expect(service.values('Unit', 'After')).toContain('network-online.target');
    const unknown = service.entries.filter((entry) => !(KNOWN_KEYS[entry.section] ?? []).includes(entry.key));
    expect(unknown.map((entry) => `line ${entry.line}: [${entry.section}] ${entry.key}`)).toEqual([]);
  });

  it('stops cleanly (exit 0, or 6 when a run was interrupted) and restarts after a crash, never after a configuration error', () => {
    expect(parseTimeSpan(service.value('Service', 'TimeoutStopSec') ?? '')).toBeGreaterThanOrEqual(60);
    expect(service.value('Service', 'SuccessExitStatus')).toBe('6');
    expect(service.value('Service', 'Restart')).toBe('on-failure');
    expect(service.value('Service', 'RestartPreventExitStatus')).toBe('2');
    expect(parseTimeSpan(service.value('Service', 'RestartSec') ?? '')).toBeGreaterThan(0);
    expect(service.value('Service', 'ProtectSystem')).toBe('strict');
    expect(service.value('Service', 'RestrictAddressFamilies')).toBe('AF_INET AF_INET6 AF_UNIX');
  });

  it('systemd-analyze verify accepts it and rates its hardening (when systemd-analyze is installed)', () => {
    if (findOnPath('systemd-analyze') === null) {
      console.warn('systemd-analyze is not installed here: the unit was checked by parsing only');
      return;
    }
    const env = { ...process.env, LC_ALL: 'C', SYSTEMD_COLORS: '0' };
    const verify = spawnSync('systemd-analyze', ['verify', '--man=no', '--recursive-errors=yes', scheduleFile(SERVICE)], { encoding: 'utf8', env });
    expect(`${verify.stdout}${verify.stderr}`.trim()).toBe('');
    expect(verify.status).toBe(0);
    const version = Number(/^systemd (\d+)/.exec(spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8', env }).stdout)?.[1] ?? 0);
    if (version >= 250) {
      const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=25', scheduleFile(SERVICE)], { encoding: 'utf8', env });
      expect(security.status, security.stdout).toBe(0);
    }
  });
});

describe('schedule/ecosystem.config.cjs', () => {
  const load = (env: Record<string, string | undefined>): PmApp => {
    const saved = process.env.SYNC_DBS_ENV_FILE;
    try {
      if (env.SYNC_DBS_ENV_FILE === undefined) delete process.env.SYNC_DBS_ENV_FILE;
      else process.env.SYNC_DBS_ENV_FILE = env.SYNC_DBS_ENV_FILE;
      const require = createRequire(import.meta.url);
      const file = scheduleFile('ecosystem.config.cjs');
      delete require.cache[file];
      const { apps } = require(file) as { apps: PmApp[] };
      expect(apps).toHaveLength(1);
      return apps[0] as PmApp;
    } finally {
      if (saved === undefined) delete process.env.SYNC_DBS_ENV_FILE;
      else process.env.SYNC_DBS_ENV_FILE = saved;
    }
  };

  it('starts one serve process of the built CLI from the repository folder', () => {
    const app = load({});
    expect(app.name).toBe('sync-dbs-serve');
    expect(path.resolve(app.cwd)).toBe(path.resolve(REPO_ROOT));
    expect(app.script).toBe(bin);
    expect(app.args).toEqual(['serve', '--quiet']);
    expect(app.instances).toBe(1);
    expect(app.autorestart).toBe(true);
  });

  it('gives a run in progress minutes to finish on stop, and does not restart after a clean stop or a configuration error', () => {
    const app = load({});
    expect(app.kill_timeout).toBeGreaterThanOrEqual(60_000);
    expect([...app.stop_exit_codes].sort()).toEqual([0, 2, 6]);
  });

  it('names the settings file (SYNC_DBS_ENV_FILE, by default in the user\'s ~/.config) and holds no secret itself', () => {
    expect(load({}).env).toEqual({ SYNC_DBS_ENV_FILE: expect.stringMatching(/[\\/]\.config[\\/]sync-dbs[\\/]sync-dbs\.env$/) as unknown });
    expect(load({ SYNC_DBS_ENV_FILE: '/srv/sync-dbs.env' }).env).toEqual({ SYNC_DBS_ENV_FILE: '/srv/sync-dbs.env' });
    expect(readScheduleFile('ecosystem.config.cjs')).not.toMatch(/PASSWORD|DASHBOARD_TOKEN\s*[:=]/);
  });
});
