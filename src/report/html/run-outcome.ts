import type { Health, RunOutcome } from '../../state/run-records.js';

/** Outcomes the chart and the table mark in red. */
export const FAILURE_OUTCOMES: readonly RunOutcome[] = ['failed', 'refused', 'unreachable', 'interrupted'];

export function isFailureOutcome(outcome: RunOutcome): boolean {
  return FAILURE_OUTCOMES.includes(outcome);
}

/** The colour family a run or health state is drawn in (a CSS class suffix). */
export type Tone = 'ok' | 'warn' | 'bad' | 'neutral';

export function outcomeTone(outcome: RunOutcome): Tone {
  if (isFailureOutcome(outcome)) return 'bad';
  if (outcome === 'in-sync') return 'ok';
  if (outcome === 'changes-pending') return 'warn';
  return 'neutral';
}

export const HEALTH_LABELS: Readonly<Record<Health, string>> = {
  healthy: 'healthy',
  failing: 'failing',
  interrupted: 'interrupted (killed)',
  stale: 'stale',
  'never-run': 'never run',
};

export const HEALTH_TONES: Readonly<Record<Health, Tone>> = {
  healthy: 'ok',
  failing: 'bad',
  interrupted: 'bad',
  stale: 'warn',
  'never-run': 'neutral',
};
