import { formatDuration } from './duration-text.js';
import { SUCCESS_OUTCOMES, type Health, type JournalEntry, type LockHolder, type RunOutcome, type RunSummary, type StatusReport } from './run-records.js';

/** What the status is computed from, read from the state database (or made up in tests). */
export interface StatusInput {
  readonly now: Date;
  readonly expectEveryMs: number;
  /** The most recent run that is not `running`. */
  readonly lastRun: RunSummary | null;
  readonly lastSuccess: RunSummary | null;
  /** When the oldest recorded run started; null when there is none. */
  readonly firstRunStartedAt: string | null;
  /** Runs that are not `running`, after the last success (all of them when there is none). */
  readonly consecutiveFailures: number;
  readonly running: LockHolder | null;
  /** The newest run still recorded as `running` whose process no longer holds the lock (see StatusReport). */
  readonly interruptedRun: RunSummary | null;
  /** The operations not `done` of the interrupted run, or else of the last run. */
  readonly unfinished: readonly JournalEntry[];
}

/**
 * Health from the recorded runs: `never-run` until a run finishes; `stale`
 * when the last success (or, with none, the first run) is more than twice the
 * expected interval ago; `interrupted` when the newest run is still recorded
 * as running but no live process holds the lock (killed before it could
 * record its end), unless stale; `failing` when the last run did not succeed
 * (runs marked interrupted included); else `healthy`.
 */
export function computeStatus(input: StatusInput): StatusReport {
  const sinceLastSuccessMs = input.lastSuccess === null ? null : msSince(input.now, finishedAt(input.lastSuccess));
  const stale = sinceLastSuccessMs === null || sinceLastSuccessMs > 2 * input.expectEveryMs;
  return {
    now: input.now.toISOString(),
    ...judge(input, sinceLastSuccessMs, stale),
    expectEveryMs: input.expectEveryMs,
    lastRun: input.lastRun,
    lastSuccess: input.lastSuccess,
    sinceLastSuccessMs,
    consecutiveFailures: input.consecutiveFailures,
    stale,
    running: input.running,
    interruptedRun: input.interruptedRun,
    unfinished: input.unfinished,
  };
}

function judge(input: StatusInput, sinceLastSuccessMs: number | null, stale: boolean): { health: Health; summary: string } {
  const { now, lastRun, running, consecutiveFailures } = input;
  const interval = formatDuration(input.expectEveryMs);

  const killed = input.interruptedRun;
  const killedText =
    killed === null
      ? ''
      : `run #${killed.id}, started ${formatDuration(msSince(now, killed.startedAt))} ago (pid ${killed.pid} on ${killed.hostname}), ` +
        'is still recorded as running but no process holds the lock: it was killed or crashed before it finished';
  const sinceFirstRunMs = input.firstRunStartedAt === null ? 0 : msSince(now, input.firstRunStartedAt);
  const staleNow = sinceLastSuccessMs === null ? lastRun !== null && sinceFirstRunMs > 2 * input.expectEveryMs : stale;
  if (killed !== null && !staleNow) {
    return { health: 'interrupted', summary: `${killedText}; some writes may not have been sent, and the next run plans again` };
  }
  const killedToo = killed === null ? '' : `; and ${killedText}`;

  if (lastRun === null) {
    const runningNow = running === null ? '' : `; one has been running for ${formatDuration(msSince(now, running.startedAt))} (pid ${running.pid} on ${running.hostname})`;
    return { health: 'never-run', summary: `no run has finished yet${runningNow}` };
  }

  const lastRunDid = describeOutcome(lastRun.outcome);
  const lastRunAgo = formatDuration(msSince(now, finishedAt(lastRun)));

  if (sinceLastSuccessMs === null) {
    if (sinceFirstRunMs > 2 * input.expectEveryMs) {
      const summary = `no run has ever succeeded, and the first one started ${formatDuration(sinceFirstRunMs)} ago, more than twice the expected interval (${interval})${killedToo}`;
      return { health: 'stale', summary };
    }
    return { health: 'failing', summary: `no run has succeeded yet; the last one ${lastRunDid} ${lastRunAgo} ago` };
  }

  const lastSuccessAgo = formatDuration(sinceLastSuccessMs);
  if (stale) {
    const failuresSince = consecutiveFailures === 0 ? '' : `; ${runsHaveNot(consecutiveFailures)} succeeded since (the last one ${lastRunDid})`;
    return { health: 'stale', summary: `last success ${lastSuccessAgo} ago, more than twice the expected interval (${interval})${failuresSince}${killedToo}` };
  }
  if (!SUCCESS_OUTCOMES.includes(lastRun.outcome)) {
    const summary = `the last run ${lastRunDid} ${lastRunAgo} ago; ${runsHaveNot(consecutiveFailures)} succeeded since the last success ${lastSuccessAgo} ago`;
    return { health: 'failing', summary };
  }
  return { health: 'healthy', summary: `the last run succeeded ${lastSuccessAgo} ago (expected every ${interval})` };
}

function msSince(now: Date, isoTime: string): number {
  return now.getTime() - Date.parse(isoTime);
}

/** Interrupted runs have no end time: their start stands for it. */
function finishedAt(run: RunSummary): string {
  return run.endedAt ?? run.startedAt;
}

function runsHaveNot(count: number): string {
  return count === 1 ? '1 run has not' : `${count} runs have not`;
}

function describeOutcome(outcome: RunOutcome): string {
  switch (outcome) {
    case 'in-sync':
      return 'succeeded';
    case 'changes-pending':
      return 'left changes pending';
    case 'failed':
      return 'failed';
    case 'refused':
      return 'was refused by a safety guard';
    case 'unreachable':
      return 'could not reach a server';
    case 'interrupted':
      return 'was interrupted';
    case 'running':
      return 'is still running';
  }
}
