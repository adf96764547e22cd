import type { RunResult } from '../outcome/run-result.js';

/** The exit codes of `plan --detailed-exitcode`, as terraform's `-detailed-exitcode`. */
export const DETAILED_EXIT_CODES = { noChanges: 0, error: 1, changes: 2 } as const;

/**
 * 0 nothing to write, 2 the plan has changes, 1 any error, whatever its
 * ordinary code (the JSON report's `outcome` and `exitCode` still say which).
 */
export function detailedExitCode(result: RunResult | null): number {
  if (result?.outcome === 'in-sync') return DETAILED_EXIT_CODES.noChanges;
  if (result?.outcome === 'changes-pending') return DETAILED_EXIT_CODES.changes;
  return DETAILED_EXIT_CODES.error;
}
