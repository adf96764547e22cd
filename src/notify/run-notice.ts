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
  /** Several lines of plain-English details. */
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
  const lines = [
    leadSentence(event, run, host),
    `Verdict: ${printable(run.verdict)}`,
    ...(servers.length > 0 ? [`Servers: ${servers.map((server) => `${printable(server.name)} ${printable(server.url)}`).join(', ')}`] : []),
    `Failed operations: ${run.failures}`,
    `Consecutive failed runs: ${run.consecutiveFailures}`,
    ...(run.durationMs === null ? [] : [`Duration: ${formatDuration(run.durationMs)}`]),
    `Host: ${host}${run.runId === null ? '' : `, run #${run.runId}`}, started ${run.startedAt}`,
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

function titleFor(event: NotifyEvent, outcome: RunNotice['outcome']): string {
  switch (event.kind) {
    case 'failure':
      if (event.outcome === 'unreachable') return 'sync-dbs: backup sync failed, a server is unreachable';
      if (event.outcome === 'interrupted') return 'sync-dbs: backup sync was interrupted';
      return 'sync-dbs: backup sync failed';
    case 'refused':
      return 'sync-dbs: backup sync refused by a safety guard';
    case 'lock-conflict':
      return `sync-dbs: backup sync blocked, another run has held the lock for ${formatDuration(event.heldForMs)}`;
    case 'recovery':
      return 'sync-dbs: backup sync recovered';
    case 'success':
      return outcome === 'in-sync' ? 'sync-dbs: backup sync succeeded' : `sync-dbs: backup sync ended ${outcome}`;
  }
}

function leadSentence(event: NotifyEvent, run: RunDescription, host: string): string {
  switch (event.kind) {
    case 'failure':
      if (event.outcome === 'unreachable') return `The run on ${host} could not reach a license server.`;
      if (event.outcome === 'interrupted') return `The run on ${host} was interrupted before it finished; some writes may not have been sent.`;
      return `The run on ${host} failed: the backup is not in sync with the primary.`;
    case 'refused':
      if (run.written === undefined) return `A safety guard stopped the run on ${host}.`;
      if (run.written === 0) return `A safety guard stopped the run on ${host} before it wrote anything.`;
      return `A safety guard stopped part of the run on ${host}; ${run.written} operation${run.written === 1 ? ' was' : 's were'} written to the servers it did not stop.`;
    case 'lock-conflict': {
      const holder = event.holder;
      return (
        `The run on ${host} did not start: process ${holder.pid} on ${printable(holder.hostname)} (${printable(holder.command)}) ` +
        `has held the lock since ${holder.startedAt}, for ${formatDuration(event.heldForMs)}, longer than one scheduling interval.`
      );
    }
    case 'recovery':
      return `The run on ${host} succeeded after ${event.previousConsecutiveFailures} failed run${event.previousConsecutiveFailures === 1 ? '' : 's'}.`;
    case 'success':
      return run.outcome === 'in-sync' ? `The run on ${host} succeeded.` : `The run on ${host} ended ${run.outcome}.`;
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
    return '(invalid URL)';
  }
}
