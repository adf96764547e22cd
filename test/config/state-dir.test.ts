import { describe, expect, it } from 'vitest';
import { defaultStateDir } from '../../src/config/state-dir.js';

describe('defaultStateDir on Windows', () => {
  it('uses %LOCALAPPDATA%\\sync-dbs', () => {
    expect(defaultStateDir('win32', { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'C:\\Users\\me')).toBe('C:\\Users\\me\\AppData\\Local\\sync-dbs');
  });

  it('finds LOCALAPPDATA whatever its spelling (Windows names are case-insensitive)', () => {
    expect(defaultStateDir('win32', { LocalAppData: 'D:\\Local' }, 'C:\\Users\\me')).toBe('D:\\Local\\sync-dbs');
  });

  it('falls back to <home>\\AppData\\Local\\sync-dbs when LOCALAPPDATA is missing, empty or relative', () => {
    for (const env of [{}, { LOCALAPPDATA: '' }, { LOCALAPPDATA: 'Local' }]) {
      expect(defaultStateDir('win32', env, 'C:\\Users\\me')).toBe('C:\\Users\\me\\AppData\\Local\\sync-dbs');
    }
  });

  it('ignores XDG_STATE_HOME', () => {
    expect(defaultStateDir('win32', { XDG_STATE_HOME: 'C:\\xdg' }, 'C:\\Users\\me')).toBe('C:\\Users\\me\\AppData\\Local\\sync-dbs');
  });
});

describe('defaultStateDir elsewhere', () => {
  it.each(['linux', 'darwin', 'freebsd'] as const)('uses an absolute $XDG_STATE_HOME/sync-dbs on %s', (platform) => {
    expect(defaultStateDir(platform, { XDG_STATE_HOME: '/home/me/.state' }, '/home/me')).toBe('/home/me/.state/sync-dbs');
  });

  it('falls back to <home>/.local/state/sync-dbs when XDG_STATE_HOME is missing, empty or relative', () => {
    for (const env of [{}, { XDG_STATE_HOME: '' }, { XDG_STATE_HOME: 'state' }]) {
      expect(defaultStateDir('linux', env, '/home/me')).toBe('/home/me/.local/state/sync-dbs');
    }
  });

  it('ignores LOCALAPPDATA and is case-sensitive about names', () => {
    expect(defaultStateDir('linux', { LOCALAPPDATA: '/x', xdg_state_home: '/y' }, '/home/me')).toBe('/home/me/.local/state/sync-dbs');
  });
});
