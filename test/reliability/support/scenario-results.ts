import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Each reliability scenario writes one row of figures here; after a run,
// `npm run reliability:table` turns them into the table of docs/reliability.md.

/** Where the rows go: $SYNC_DBS_RELIABILITY_DIR, else `.reliability/` at the repository root (ignored by git). */
export const RESULTS_DIR = process.env.SYNC_DBS_RELIABILITY_DIR ?? fileURLToPath(new URL('../../../.reliability/', import.meta.url));

export interface ScenarioResult {
  /** Sorts the table and names the file: `chaos`, `crash-03`, `hostile-truncated`... */
  readonly id: string;
  readonly group: 'chaos' | 'crash' | 'hostile';
  /** What happened, in a few words. */
  readonly scenario: string;
  /** What was injected, with figures (rates, sizes, where the process was killed). */
  readonly injected: string;
  /** Runs until one exited 0, the failed or killed ones included. */
  readonly runsToConverge: number;
  /** Operations that ended failed, over all those runs. */
  readonly operationsFailed: number;
  /** Requests that had to be sent again: the faults the emulators injected and answered (each costs one retry). */
  readonly requestsRetried: number;
  /** What was lost: `nothing` unless a promise was broken (then the test fails too). */
  readonly lost: string;
  /** Anything else worth a figure (allowed windows, peak memory, exit codes). */
  readonly notes?: string;
}

/** Writes the scenario's row; the test asserts its promises separately. */
export async function recordScenario(result: ScenarioResult): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(path.join(RESULTS_DIR, `${result.id}.json`), `${JSON.stringify({ ...result, recordedAt: new Date().toISOString() }, null, 2)}\n`);
}
