import { expect } from 'vitest';
import type { Dataset } from '../../../src/emulator/dataset/dataset-file.js';
import { runJson } from '../../e2e/support/e2e-helpers.js';
import type { SyncPair } from '../../support/sync-pair.js';

/**
 * Both servers as an earlier good run left them (`before`, the pair's base
 * recorded), then the primary changed to `after`: the hourly job's usual day.
 */
export async function syncedThenChanged(p: SyncPair, before: Dataset, after: Dataset, args: readonly string[]): Promise<void> {
  await p.load(before, before);
  const earlier = await runJson(p, args);
  expect(earlier.exitCode, earlier.stderr).toBe(0);
  await p.primary.control.loadState(after);
  await Promise.all([p.primary.control.resetStats(), p.backup.control.resetStats()]);
}
