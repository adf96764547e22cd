import { countVerbs, summariseVerbs } from './plan-summary.js';
import type { RunResult, TargetResult } from '../outcome/run-result.js';
import { guardMessage } from './wording/guard-words.js';
import { overGrants } from '../plan/plan-types.js';

export type VerdictInput = Pick<RunResult, 'command' | 'outcome' | 'plan' | 'applied' | 'verified' | 'guards' | 'failures'>;

/**
 * The run's one-line verdict, as the text and JSON reports, the state
 * database and the notifications show it. One target (or a run that stopped
 * before its targets went their own ways): its own verdict. Several: how many
 * are in sync, then each one's verdict.
 */
export function runVerdict(result: RunResult): string {
  if (result.stoppedBeforeTargets || result.targets.length === 1) return verdictFor(result);
  const good = result.targets.filter((target) => target.exitCode === 0).length;
  const head = result.command === 'plan' ? `Plan for ${result.targets.length} backups.` : `${good} of ${result.targets.length} backups in sync.`;
  return [head, ...result.targets.map((target) => `${target.server}: ${targetVerdict(result.command, target)}`)].join(' ');
}

/** One backup's (or the peer's) verdict. */
export function targetVerdict(command: RunResult['command'], target: TargetResult): string {
  return verdictFor({ command, ...target });
}

/** The verdict of an earlier run found interrupted (killed or crashed), for its belated notification. */
export function interruptedRunVerdict(runId: number): string {
  return `Run #${runId} was interrupted (the process was killed or crashed); the next run plans again.`;
}

/** The report's last line: what happened, in one sentence a scheduler's e-mail can carry. */
export function verdictFor(result: VerdictInput): string {
  const operations = result.plan?.operations ?? [];
  switch (result.outcome) {
    case 'in-sync': {
      const unreplicable = `${overGrantText(result)}${notReplicableText(result)}${pendingDeletionText(result)}`;
      if (result.command === 'plan' || result.applied.length === 0) return `In sync: nothing to do.${unreplicable}`;
      return `In sync: ${result.applied.length} write${result.applied.length === 1 ? '' : 's'} applied and verified.${unreplicable}`;
    }
    case 'changes-pending':
      return `Plan: ${summariseVerbs(countVerbs(operations))}. Nothing was written.${overGrantText(result)}${notReplicableText(result)}${pendingDeletionText(result)}`;
    case 'failed': {
      const failed = result.applied.filter((applied) => applied.status === 'failed').length;
      const unknown = result.applied.filter((applied) => applied.status === 'unknown').length;
      const remaining = result.verified?.remaining.length ?? 0;
      const overGranted = overGrants(result.plan ?? { skipped: [] }).length;
      const parts = [
        ...(overGranted > 0
          ? [
              `${overGranted} license${overGranted === 1 ? '' : 's'} OVER-GRANTED: allowed by the backup, denied by the primary, and no call can close ${overGranted === 1 ? 'it' : 'them'} (device_id with "/"); ` +
                `a person must delete ${overGranted === 1 ? 'it' : 'each'} in the backup's admin panel, or allow it again on the primary`,
            ]
          : []),
        ...(failed > 0 ? [`${failed} of ${result.applied.length} writes failed`] : []),
        ...(unknown > 0 ? [`${unknown} write${unknown === 1 ? '' : 's'} unknown (no clear answer, not verified)`] : []),
        ...(remaining > 0 ? [`verification found ${remaining} operation${remaining === 1 ? '' : 's'} still needed`] : []),
        ...(failed === 0 && remaining === 0 && overGranted === 0 ? [`verification could not re-read the backup`] : []),
      ];
      return `NOT in sync: ${parts.join('; ')}.${notReplicableText(result)}`;
    }
    case 'refused': {
      const first = result.guards[0];
      return `Refused: ${first === undefined ? 'a guard refused' : guardMessage(first)}. Nothing was written.`;
    }
    case 'interrupted': {
      const sent = result.applied.filter((applied) => applied.status !== 'not-sent').length;
      if (result.applied.length === 0) return 'Interrupted before writing anything.';
      return `Interrupted: ${sent} of ${result.applied.length} writes sent, the rest left for the next run.`;
    }
    case 'unreachable': {
      const failure = result.failures[0];
      if (!failure) return 'Unreachable: a server could not be reached. Nothing was written.';
      const server = failure.server === 'primary' || failure.server === 'backup' ? `the ${failure.server}` : failure.server;
      const what = failure.endpoint === 'POST /admin/login' ? `Login failed on ${server}` : `Unreachable: ${server}`;
      return `${what} (${failure.endpoint}: ${failure.reason.replace(/[.\s]+$/, '')}). Nothing was written.`;
    }
  }
}

/** For a `plan` run, which ends before a sync would fail on them: the over-grants a person must close, or nothing. */
function overGrantText(result: VerdictInput): string {
  const count = overGrants(result.plan ?? { skipped: [] }).length;
  if (count === 0 || result.command !== 'plan') return '';
  return ` ${count} license${count === 1 ? '' : 's'} OVER-GRANTED on the backup that no call can close: a person must act, see "over-grant".`;
}

/** ` WARNING: 2 deletions pending (...).`, or nothing: deletions this run did not carry out, kept for a run with --delete. */
function pendingDeletionText(result: VerdictInput): string {
  const count = new Set((result.plan?.skipped ?? []).filter((item) => item.reason === 'deletion-pending').map((item) => item.key)).size;
  if (count === 0) return '';
  return ` WARNING: ${count} license deletion${count === 1 ? '' : 's'} not carried out (restored, or blocked where the primary deleted it); still pending: a run with --delete carries ${count === 1 ? 'it' : 'them'} out, see "deletion-pending".`;
}

/** ` 2 licenses not replicable (...).`, or nothing: licenses whose device_id no URL path reaches, left alone. */
function notReplicableText(result: VerdictInput): string {
  const count = (result.plan?.skipped ?? []).filter((item) => item.reason === 'not-addressable').length;
  if (count === 0) return '';
  return ` ${count} license${count === 1 ? '' : 's'} not replicable: device_id cannot be sent in a URL path (e.g. it contains "/"), see "not-addressable".`;
}
