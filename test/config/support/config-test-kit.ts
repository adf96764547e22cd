import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';

export interface TempConfigDirs {
  /** A fresh folder for the test's files. */
  readonly root: string;
  /** `<root>/work`, the working directory the tests pass as `cwd`. */
  readonly cwd: string;
  readonly remove: () => Promise<void>;
}

/** Use from beforeEach and return its `remove` as the teardown. */
export async function makeTempConfigDirs(): Promise<TempConfigDirs> {
  const root = await mkdtemp(path.join(tmpdir(), 'sync-dbs-config-'));
  const cwd = path.join(root, 'work');
  await mkdir(cwd);
  return { root, cwd, remove: () => rm(root, { recursive: true, force: true }) };
}

/** The problems of the ConfigError the promise rejects with; fails the test if it resolves or fails otherwise. */
export async function problemsOf(promise: Promise<unknown>): Promise<readonly string[]> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}
