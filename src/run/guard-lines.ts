import type { LogSink } from '../log/log-sink.js';
import type { GuardRefusal } from '../plan/guards.js';
import type { ConflictItem } from '../plan/plan-types.js';
import type { PairKey } from '../state/pair-base-store.js';
import type { BaseLookup } from '../state/pair-base-store.js';
import type { Failure } from '../outcome/run-result.js';
import { describeFailure } from './apply-plan.js';

// The only places where run/ words guards and conflicts: the log lines that
// carry their messages, and the two-way run's refusals for want of a base.

/** `label: refused (guard): message`, or without a label for the run itself. */
export function logRefusals(log: LogSink, label: string | null, guards: readonly GuardRefusal[]): void {
  for (const guard of guards) log.error(`${label === null ? '' : `${label}: `}refused (${guard.guard}): ${guard.message}`);
}

export function logForced(log: LogSink, label: string, guards: readonly GuardRefusal[]): void {
  for (const guard of guards) log.warn(`${label}: --force: going on although ${guard.message}`);
}

export function logFailures(log: LogSink, failures: readonly Failure[]): void {
  for (const failure of failures) log.error(describeFailure(failure));
}

export function logConflicts(log: LogSink, label: string, conflicts: readonly ConflictItem[]): void {
  for (const conflict of conflicts) log.warn(`${label}: conflict on license ${conflict.key} (${conflict.kind}): ${conflict.detail}; resolved: ${conflict.resolution}`);
}

/** Why a two-way run cannot merge against this lookup of its pair's base (every kind but `found`). */
export function baseRefusal(lookup: Exclude<BaseLookup, { kind: 'found' }>, pair: PairKey, peer: string): GuardRefusal {
  switch (lookup.kind) {
    case 'none':
      return {
        guard: 'two-way-base',
        message:
          `there is no base for primary ↔ ${peer} yet (no successful sync of this pair recorded in this state directory); ` +
          'the first two-way run of a pair needs --resync (a union of both sides where the primary wins conflicts)',
      };
    case 'other-servers':
      return {
        guard: 'two-way-base',
        message:
          `the base kept for ${peer} (${pair.peerUrl}) was recorded with another primary (${lookup.recordedWith.primaryUrl}, ${lookup.recordedWith.recordedAt}); ` +
          'run with --resync to start again from the union of both sides',
      };
    case 'unreadable':
      return { guard: 'two-way-base', message: `the base of primary ↔ ${peer} cannot be used: ${lookup.reason}; run with --resync to start again from the union of both sides` };
  }
}
