import { envLookup, pathFor } from './platform-path.js';

const APP_FOLDER = 'sync-dbs';

/**
 * Where sync-dbs keeps its state when --state-dir is not given:
 * `%LOCALAPPDATA%\sync-dbs` on Windows (else `<home>\AppData\Local\sync-dbs`),
 * elsewhere `$XDG_STATE_HOME/sync-dbs` when that is an absolute path (the
 * XDG spec says to ignore relative ones), else `<home>/.local/state/sync-dbs`.
 * Nothing is created.
 */
export function defaultStateDir(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const paths = pathFor(platform);
  if (platform === 'win32') {
    const localAppData = envLookup(env, 'LOCALAPPDATA', platform);
    if (localAppData !== undefined && paths.isAbsolute(localAppData)) return paths.join(localAppData, APP_FOLDER);
    return paths.join(homedir, 'AppData', 'Local', APP_FOLDER);
  }
  const xdgStateHome = envLookup(env, 'XDG_STATE_HOME', platform);
  if (xdgStateHome !== undefined && paths.isAbsolute(xdgStateHome)) return paths.join(xdgStateHome, APP_FOLDER);
  return paths.join(homedir, '.local', 'state', APP_FOLDER);
}
