import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempStateDir {
  /** A fresh folder, removed by `remove`. */
  readonly root: string;
  /** `<root>/state`, not created: opening the state database creates it. */
  readonly stateDir: string;
  readonly remove: () => Promise<void>;
}

/** Use from beforeEach and call `remove` from afterEach. */
export async function makeTempStateDir(): Promise<TempStateDir> {
  const root = await mkdtemp(path.join(tmpdir(), 'sync-dbs-state-'));
  return { root, stateDir: path.join(root, 'state'), remove: () => rm(root, { recursive: true, force: true }) };
}
