import { t, type MessageKey } from '../i18n/i18n.js';
import { printable } from '../report/printable.js';
import type { LockHolder, RunOutcome } from '../state/run-records.js';
import { formatDuration } from '../state/duration-text.js';
import type { NotifyEvent, NotifyEventKind } from './notify-event.js';

export interface ServerRef {
  readonly name: string;
  readonly url: string;
}

/** What a notification needs to know about the run it is about. */
export interface RunDescription {
  /** The report's one-line verdict. */
  readonly verdict: string;
  readonly outcome: RunOutcome | 'locked';
  readonly exitCode: number | null;
  readonly startedAt: string;
  /** Null when unknown (an interrupted run, a lock conflict). */
  readonly durationMs: number | null;
  /** Null when the run was never recorded (a lock conflict). */
  readonly runId: number | null;
  readonly hostname: string;
  readonly servers: readonly ServerRef[];
  /** Operations that failed in this run. */
  readonly failures: number;
  /** Operations this run sent to a server (whatever their answer); undefined when unknown. */
  readonly written?: number | undefined;
  /** Finished runs since the last success that did not succeed, this run included. */
  readonly consecutiveFailures: number;
  readonly lockHolder?: LockHolder | undefined;
}

/** A notification, format-neutral: what the webhook payloads and the ping body are made from. */
export interface RunNotice {
  readonly event: NotifyEventKind;
  /** One line, e.g. `sync-dbs: backup sync failed`. */
  readonly title: string;
  /** Several lines of details, in the current language. */
  readonly text: string;
  readonly outcome: RunOutcome | 'locked';
  readonly exitCode: number | null;
  readonly hostname: string;
  readonly startedAt: string;
  readonly runId: number | null;
  readonly consecutiveFailures: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function buildRunNotice(event: NotifyEvent, run: RunDescription): RunNotice {
  const host = printable(run.hostname);
  const servers = run.servers.map((server) => ({ name: server.name, url: displayUrl(server.url) }));
  const at = run.startedAt;
  const lines = [
    leadSentence(event, run, host),
    t('notify:line.verdict', { verdict: printable(run.verdict) }),
    ...(servers.length > 0 ? [t('notify:line.servers', { servers: servers.map((server) => `${printable(server.name)} ${printable(server.url)}`).join(', ') })] : []),
    t('notify:line.failedOperations', { count: run.failures }),
    t('notify:line.consecutiveFailures', { count: run.consecutiveFailures }),
    ...(run.durationMs === null ? [] : [t('notify:line.duration', { duration: formatDuration(run.durationMs) })]),
    run.runId === null ? t('notify:line.host', { host, at }) : t('notify:line.hostRun', { host, runId: run.runId, at }),
  ];
  return {
    event: event.kind,
    title: titleFor(event, run.outcome),
    text: lines.join('\n'),
    outcome: run.outcome,
    exitCode: run.exitCode,
    hostname: run.hostname,
    startedAt: run.startedAt,
    runId: run.runId,
    consecutiveFailures: run.consecutiveFailures,
    details: {
      verdict: run.verdict,
      durationMs: run.durationMs,
      failures: run.failures,
      servers,
      ...eventDetails(event),
    },
  };
}

const OUTCOME_WORDS: Readonly<Record<RunNotice['outcome'], MessageKey>> = {
  running: 'notify:outcome.running',
  'in-sync': 'notify:outcome.in-sync',
  'changes-pending': 'notify:outcome.changes-pending',
  failed: 'notify:outcome.failed',
  refused: 'notify:outcome.refused',
  unreachable: 'notify:outcome.unreachable',
  interrupted: 'notify:outcome.interrupted',
  locked: 'notify:outcome.locked',
};

/** How a run ended, in the current language (the payloads keep the code itself in their `outcome` key). */
export function outcomeText(outcome: RunNotice['outcome']): string {
  return t(OUTCOME_WORDS[outcome]);
}

function titleFor(event: NotifyEvent, outcome: RunNotice['outcome']): string {
  switch (event.kind) {
    case 'failure':
      if (event.outcome === 'unreachable') return t('notify:title.unreachable');
      if (event.outcome === 'interrupted') return t('notify:title.interrupted');
      return t('notify:title.failed');
    case 'refused':
      return t('notify:title.refused');
    case 'lock-conflict':
      return t('notify:title.lockConflict', { heldFor: formatDuration(event.heldForMs) });
    case 'recovery':
      return t('notify:title.recovery');
    case 'success':
      return outcome === 'in-sync' ? t('notify:title.succeeded') : t('notify:title.ended', { outcome: outcomeText(outcome) });
  }
}

function leadSentence(event: NotifyEvent, run: RunDescription, host: string): string {
  switch (event.kind) {
    case 'failure':
      if (event.outcome === 'unreachable') return t('notify:lead.unreachable', { host });
      if (event.outcome === 'interrupted') return t('notify:lead.interrupted', { host });
      return t('notify:lead.failed', { host });
    case 'refused':
      if (run.written === undefined) return t('notify:lead.refused', { host });
      if (run.written === 0) return t('notify:lead.refusedNothingWritten', { host });
      return t('notify:lead.refusedPart', { host, count: run.written });
    case 'lock-conflict': {
      const holder = event.holder;
      return t('notify:lead.lockConflict', {
        host,
        pid: holder.pid,
        holderHost: printable(holder.hostname),
        command: printable(holder.command),
        since: holder.startedAt,
        heldFor: formatDuration(event.heldForMs),
      });
    }
    case 'recovery':
      return t('notify:lead.recovery', { host, count: event.previousConsecutiveFailures });
    case 'success':
      return run.outcome === 'in-sync' ? t('notify:lead.succeeded', { host }) : t('notify:lead.ended', { host, outcome: outcomeText(run.outcome) });
  }
}

function eventDetails(event: NotifyEvent): Record<string, unknown> {
  switch (event.kind) {
    case 'lock-conflict':
      return { lockHolder: event.holder, heldForMs: event.heldForMs };
    case 'recovery':
      return { previousConsecutiveFailures: event.previousConsecutiveFailures };
    default:
      return {};
  }
}

/** A server URL fit for a chat message: no user info, query or fragment. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return t('notify:invalidUrl');
  }
}
