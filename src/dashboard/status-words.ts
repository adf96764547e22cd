import { t } from '../i18n/i18n.js';
import { formatTimestamp } from '../report/html/format-time.js';
import { outcomeLabel, outcomeTone, isFailureOutcome, type Tone } from '../report/html/run-outcome.js';
import type { RunOutcome } from '../state/run-records.js';
import type { RunStatus, RunTrigger, WatchState } from './dashboard-status.js';

// The words and colours the dashboard gives the status's codes.

const RUN_OUTCOMES: readonly string[] = ['running', 'in-sync', 'changes-pending', 'failed', 'refused', 'unreachable', 'interrupted'] satisfies RunOutcome[];

function knownOutcome(outcome: string | null): RunOutcome | null {
  return outcome !== null && RUN_OUTCOMES.includes(outcome) ? (outcome as RunOutcome) : null;
}

/** A run's outcome in words: `running` until it has one, the stored code when it is not one we know. */
export function runOutcomeLabel(run: RunStatus): string {
  if (run.outcome === null) return run.finishedAt === null ? outcomeLabel('running') : t('dashboard:run.noOutcome');
  const known = knownOutcome(run.outcome);
  return known === null ? run.outcome : outcomeLabel(known);
}

export function runTone(run: RunStatus): Tone {
  const known = knownOutcome(run.outcome);
  return known === null ? 'neutral' : outcomeTone(known);
}

export function isFailedRun(run: RunStatus): boolean {
  const known = knownOutcome(run.outcome);
  return known !== null && isFailureOutcome(known);
}

export function triggerLabel(trigger: RunTrigger | null): string {
  return trigger === null ? t('dashboard:trigger.oneShot') : t(`dashboard:trigger.${trigger}`);
}

export function watchStateLabel(state: WatchState): string {
  return t(`dashboard:state.${state}`);
}

/** Shown beside the state's word, so the state never rests on colour alone. */
export const WATCH_STATE_SYMBOLS: Readonly<Record<WatchState, string>> = { up: '✓', down: '✕', asleep: '☾', unknown: '?' };

export const WATCH_STATE_TONES: Readonly<Record<WatchState, Tone>> = { up: 'ok', down: 'bad', asleep: 'warn', unknown: 'neutral' };

/** A stored time in the machine's zone, or `never`. */
export function timeOrNever(iso: string | null): string {
  return iso === null ? t('dashboard:never') : formatTimestamp(iso);
}

export function latencyText(ms: number | null): string {
  return ms === null ? t('dashboard:latency.none') : t('dashboard:latency.ms', { ms: Math.round(ms) });
}
