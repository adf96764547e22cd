import type { StatusReport } from '../state/run-records.js';
import { EXIT_CODES } from './exit-codes.js';

/**
 * `status` for monitoring: 0 healthy; 7 stale or never run; 6 when the
 * newest run was killed (still recorded as running, no live lock holder);
 * otherwise the last run's own exit code (1 failed, 3 unreachable, 4 refused,
 * 6 interrupted).
 */
export function statusExitCode(status: StatusReport): number {
  switch (status.health) {
    case 'healthy':
      return EXIT_CODES.inSync;
    case 'stale':
    case 'never-run':
      return EXIT_CODES.stale;
    case 'interrupted':
      return EXIT_CODES.interrupted;
    case 'failing': {
      const code = status.lastRun?.exitCode ?? null;
      if (status.lastRun?.outcome === 'interrupted') return EXIT_CODES.interrupted;
      return code === null || code === EXIT_CODES.inSync ? EXIT_CODES.failed : code;
    }
  }
}
