import { EXIT_CODES } from './exit-codes.js';
import type { Outcome } from './run-result.js';

export function exitCodeFor(outcome: Outcome): number {
  switch (outcome) {
    case 'in-sync':
    case 'changes-pending':
      return EXIT_CODES.inSync;
    case 'failed':
      return EXIT_CODES.failed;
    case 'refused':
      return EXIT_CODES.refused;
    case 'unreachable':
      return EXIT_CODES.unreachable;
    case 'interrupted':
      return EXIT_CODES.interrupted;
  }
}

/**
 * The outcome of a run over several targets: the one with the highest exit
 * code (interrupted 6, refused 4, unreachable 3, failed 1), and among exit 0
 * a pending plan before "in sync".
 */
export function worstOutcome(outcomes: readonly Outcome[]): Outcome {
  let worst: Outcome = 'in-sync';
  for (const outcome of outcomes) {
    const [a, b] = [exitCodeFor(outcome), exitCodeFor(worst)];
    if (a > b || (a === b && outcome === 'changes-pending')) worst = outcome;
  }
  return worst;
}
