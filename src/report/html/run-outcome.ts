import { t } from '../../i18n/i18n.js';
import type { Health, JournalStatus, RunOutcome } from '../../state/run-records.js';

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

/** A health state in words (looked up when read: the language is chosen after import). */
export const HEALTH_LABELS: Readonly<Record<Health, string>> = {
  get healthy() {
    return t('html:health.healthy');
  },
  get failing() {
    return t('html:health.failing');
  },
  get interrupted() {
    return t('html:health.interrupted');
  },
  get stale() {
    return t('html:health.stale');
  },
  get 'never-run'() {
    return t('html:health.never-run');
  },
};

export const HEALTH_TONES: Readonly<Record<Health, Tone>> = {
  healthy: 'ok',
  failing: 'bad',
  interrupted: 'bad',
  stale: 'warn',
  'never-run': 'neutral',
};

/** A run's outcome in words: `in sync`, `failed`. */
export function outcomeLabel(outcome: RunOutcome): string {
  return t(`html:outcome.${outcome}`);
}

/** An unfinished operation's state in words: `failed`, `sent`. */
export function journalStatusLabel(status: JournalStatus): string {
  return t(`html:journal.${status}`);
}
