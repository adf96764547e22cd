import { t } from '../i18n/i18n.js';
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
  const total = result.targets.length;
  const head = result.command === 'plan' ? t('report:verdict.planForBackups', { count: total }) : t('report:verdict.backupsInSync', { good, count: total });
  return [head, ...result.targets.map((target) => t('report:verdict.ofTarget', { server: target.server, verdict: targetVerdict(result.command, target) }))].join(' ');
}

/** One backup's (or the peer's) verdict. */
export function targetVerdict(command: RunResult['command'], target: TargetResult): string {
  return verdictFor({ command, ...target });
}

/** The verdict of an earlier run found interrupted (killed or crashed), for its belated notification. */
export function interruptedRunVerdict(runId: number): string {
  return t('report:verdict.interruptedEarlier', { runId });
}

/** The report's verdict: what happened, in one sentence a scheduler's e-mail can carry. */
export function verdictFor(result: VerdictInput): string {
  const operations = result.plan?.operations ?? [];
  switch (result.outcome) {
    case 'in-sync': {
      const unreplicable = `${overGrantText(result)}${notReplicableText(result)}${pendingDeletionText(result)}`;
      if (result.command === 'plan' || result.applied.length === 0) return `${t('report:verdict.inSyncNothing')}${unreplicable}`;
      return `${t('report:verdict.inSyncApplied', { count: result.applied.length })}${unreplicable}`;
    }
    case 'changes-pending':
      return `${t('report:verdict.changesPending', { summary: summariseVerbs(countVerbs(operations)) })}${overGrantText(result)}${notReplicableText(result)}${pendingDeletionText(result)}`;
    case 'failed': {
      const failed = result.applied.filter((applied) => applied.status === 'failed').length;
      const unknown = result.applied.filter((applied) => applied.status === 'unknown').length;
      const remaining = result.verified?.remaining.length ?? 0;
      const overGranted = overGrants(result.plan ?? { skipped: [] }).length;
      const parts = [
        ...(overGranted > 0 ? [t('report:verdict.failed.overGranted', { count: overGranted })] : []),
        ...(failed > 0 ? [t('report:verdict.failed.writesFailed', { failed, count: result.applied.length })] : []),
        ...(unknown > 0 ? [t('report:verdict.failed.unknown', { count: unknown })] : []),
        ...(remaining > 0 ? [t('report:verdict.failed.remaining', { count: remaining })] : []),
        ...(failed === 0 && remaining === 0 && overGranted === 0 ? [t('report:verdict.failed.notReread')] : []),
      ];
      return `${t('report:verdict.notInSync', { parts: parts.join('; ') })}${notReplicableText(result)}`;
    }
    case 'refused': {
      const first = result.guards[0];
      return t('report:verdict.refused', { why: first === undefined ? t('report:verdict.aGuardRefused') : guardMessage(first) });
    }
    case 'interrupted': {
      const sent = result.applied.filter((applied) => applied.status !== 'not-sent').length;
      if (result.applied.length === 0) return t('report:verdict.interruptedBeforeWriting');
      return t('report:verdict.interrupted', { sent, count: result.applied.length });
    }
    case 'unreachable': {
      const failure = result.failures[0];
      if (!failure) return t('report:verdict.unreachableAny');
      const server = failure.server === 'primary' ? t('report:server.thePrimary') : failure.server === 'backup' ? t('report:server.theBackup') : failure.server;
      const values = { server, endpoint: failure.endpoint, reason: failure.reason.replace(/[.\s]+$/, '') };
      return failure.endpoint === 'POST /admin/login' ? t('report:verdict.loginFailed', values) : t('report:verdict.unreachable', values);
    }
  }
}

/** For a `plan` run, which ends before a sync would fail on them: the over-grants a person must close, or nothing. */
function overGrantText(result: VerdictInput): string {
  const count = overGrants(result.plan ?? { skipped: [] }).length;
  if (count === 0 || result.command !== 'plan') return '';
  return ` ${t('report:verdict.planOverGranted', { count })}`;
}

/** ` WARNING: 2 deletions pending (...).`, or nothing: deletions this run did not carry out, kept for a run with --delete. */
function pendingDeletionText(result: VerdictInput): string {
  const count = new Set((result.plan?.skipped ?? []).filter((item) => item.reason === 'deletion-pending').map((item) => item.key)).size;
  if (count === 0) return '';
  return ` ${t('report:verdict.deletionsPending', { count })}`;
}

/** ` 2 licenses not replicable (...).`, or nothing: licenses whose device_id no URL path reaches, left alone. */
function notReplicableText(result: VerdictInput): string {
  const count = (result.plan?.skipped ?? []).filter((item) => item.reason === 'not-addressable').length;
  if (count === 0) return '';
  return ` ${t('report:verdict.notReplicable', { count })}`;
}
