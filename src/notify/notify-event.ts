import type { LockHolder, RunOutcome } from '../state/run-records.js';
import type { NotifyOn } from './notify-settings.js';

export type NotifyEvent =
  | { readonly kind: 'failure'; readonly outcome: 'failed' | 'unreachable' | 'interrupted' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'lock-conflict'; readonly holder: LockHolder; readonly heldForMs: number }
  | { readonly kind: 'recovery'; readonly previousConsecutiveFailures: number }
  | { readonly kind: 'success' };

export type NotifyEventKind = NotifyEvent['kind'];

export interface NotifyDecisionInput {
  /** How the run ended, or `locked` when another run held the lock. */
  readonly outcome: RunOutcome | 'locked';
  /** Finished runs since the last success that did not succeed, this run not counted. */
  readonly previousConsecutiveFailures: number;
  readonly on: ReadonlySet<NotifyOn>;
  /** Who holds the lock; only read for `locked`. */
  readonly lockHolder?: LockHolder | undefined;
  readonly now: Date;
  /** The scheduling interval: a lock held longer than this is a stuck run, not an overlap. */
  readonly expectEveryMs: number;
}

/** Which notification, if any, a run's end calls for. Pure: no I/O, no clock. */
export function decideNotification(input: NotifyDecisionInput): NotifyEvent | null {
  const { outcome, on } = input;
  switch (outcome) {
    case 'failed':
    case 'unreachable':
    case 'interrupted':
      return on.has('failure') ? { kind: 'failure', outcome } : null;
    case 'refused':
      return on.has('failure') ? { kind: 'refused' } : null;
    case 'locked':
      return on.has('failure') ? lockConflict(input) : null;
    case 'in-sync':
      if (input.previousConsecutiveFailures > 0 && on.has('recovery')) {
        return { kind: 'recovery', previousConsecutiveFailures: input.previousConsecutiveFailures };
      }
      return on.has('success') ? { kind: 'success' } : null;
    case 'changes-pending':
    case 'running':
      return null;
  }
}

function lockConflict(input: NotifyDecisionInput): NotifyEvent | null {
  const holder = input.lockHolder;
  if (!holder) return null;
  const since = Date.parse(holder.startedAt);
  if (Number.isNaN(since)) return null;
  const heldForMs = input.now.getTime() - since;
  // An overlap shorter than one interval sorts itself out on the next run.
  return heldForMs > input.expectEveryMs ? { kind: 'lock-conflict', holder, heldForMs } : null;
}
