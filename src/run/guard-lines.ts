import type { LogSink } from '../log/log-sink.js';
import type { GuardRefusal } from '../plan/guards.js';
import { overGrants, type ConflictItem, type Plan } from '../plan/plan-types.js';
import type { PairKey } from '../state/pair-base-store.js';
import type { BaseLookup } from '../state/pair-base-store.js';
import type { Failure } from '../outcome/run-result.js';
import { conflictDetailText } from '../report/wording/conflict-words.js';
import { guardMessage } from '../report/wording/guard-words.js';
import { skippedDetailText } from '../report/wording/skipped-words.js';
import { printable } from '../report/printable.js';
import { describeFailure } from './apply-plan.js';
import { t } from '../i18n/i18n.js';

// The log lines of run/ that carry guard refusals and conflicts (worded by
// report/), and the two-way run's refusals for want of a base.

/** `label: refused (guard): message`, or without a label for the run itself. */
export function logRefusals(log: LogSink, label: string | null, guards: readonly GuardRefusal[]): void {
  for (const guard of guards) {
    const words = { guard: guard.guard, message: guardMessage(guard) };
    log.error(label === null ? t('run:guard.refused', words) : t('run:guard.refusedLabel', { ...words, label }));
  }
}

export function logForced(log: LogSink, label: string, guards: readonly GuardRefusal[]): void {
  for (const guard of guards) log.warn(t('run:guard.forced', { label, message: guardMessage(guard) }));
}

export function logFailures(log: LogSink, failures: readonly Failure[]): void {
  for (const failure of failures) log.error(describeFailure(failure));
}

export function logConflicts(log: LogSink, label: string, conflicts: readonly ConflictItem[]): void {
  for (const conflict of conflicts) {
    log.warn(t('run:conflict.line', { label, key: conflict.key, kind: conflict.kind, detail: conflictDetailText(conflict), resolution: conflict.resolution }));
  }
}

/** One error line per over-grant of the plan: a license a person must close, and how. */
export function logOverGrants(log: LogSink, label: string, plan: Pick<Plan, 'skipped'>): void {
  for (const item of overGrants(plan)) log.error(t('run:license.line', { label, key: printable(item.key), detail: skippedDetailText(item) }));
}

/** Deletions the run does not carry out (no --delete, over --max-delete): warned, since they stay pending. */
export function logPendingDeletions(log: LogSink, label: string, plan: Pick<Plan, 'skipped'>): void {
  for (const item of plan.skipped) if (item.reason === 'deletion-pending') log.warn(t('run:license.line', { label, key: printable(item.key), detail: skippedDetailText(item) }));
}

/** Why a two-way run cannot merge against this lookup of its pair's base (every kind but `found`). */
export function baseRefusal(lookup: Exclude<BaseLookup, { kind: 'found' }>, pair: PairKey, peer: string): GuardRefusal {
  switch (lookup.kind) {
    case 'none':
      return { guard: 'two-way-base', facts: { problem: 'none', peer } };
    case 'other-servers':
      return {
        guard: 'two-way-base',
        facts: { problem: 'other-servers', peer, peerUrl: pair.peerUrl, primaryUrl: lookup.recordedWith.primaryUrl, recordedAt: lookup.recordedWith.recordedAt },
      };
    case 'unreadable':
      return { guard: 'two-way-base', facts: { problem: 'unreadable', peer, detail: lookup.reason } };
  }
}
