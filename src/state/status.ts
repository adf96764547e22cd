import { t } from '../i18n/i18n.js';
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
  /** The first operations not `done` of the interrupted run, or else of the last run. */
  readonly unfinished: readonly JournalEntry[];
  /** How many of that run's operations are not `done`; when left out, `unfinished` is taken to be all of them. */
  readonly unfinishedCount?: number;
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
    unfinishedCount: input.unfinishedCount ?? input.unfinished.length,
  };
}

function judge(input: StatusInput, sinceLastSuccessMs: number | null, stale: boolean): { health: Health; summary: string } {
  const { now, lastRun, running, consecutiveFailures } = input;
  const interval = formatDuration(input.expectEveryMs);
  const ago = (ms: number) => t('state:ago', { duration: formatDuration(ms) });

  const killed = input.interruptedRun;
  const killedText =
    killed === null
      ? null
      : t('state:summary.killedRun', { id: killed.id, ago: ago(msSince(now, killed.startedAt)), pid: killed.pid, host: killed.hostname });
  const sinceFirstRunMs = input.firstRunStartedAt === null ? 0 : msSince(now, input.firstRunStartedAt);
  const staleNow = sinceLastSuccessMs === null ? lastRun !== null && sinceFirstRunMs > 2 * input.expectEveryMs : stale;
  if (killedText !== null && !staleNow) {
    return { health: 'interrupted', summary: t('state:summary.interrupted', { killed: killedText }) };
  }
  const andKilled = (summary: string) => (killedText === null ? summary : t('state:summary.andKilled', { summary, killed: killedText }));

  if (lastRun === null) {
    const summary =
      running === null
        ? t('state:summary.neverRun')
        : t('state:summary.neverRunButRunning', { duration: formatDuration(msSince(now, running.startedAt)), pid: running.pid, host: running.hostname });
    return { health: 'never-run', summary };
  }

  const outcome = describeOutcome(lastRun.outcome);
  const lastRunAgo = ago(msSince(now, finishedAt(lastRun)));

  if (sinceLastSuccessMs === null) {
    if (sinceFirstRunMs > 2 * input.expectEveryMs) {
      return { health: 'stale', summary: andKilled(t('state:summary.neverSucceededStale', { ago: ago(sinceFirstRunMs), interval })) };
    }
    return { health: 'failing', summary: t('state:summary.neverSucceeded', { outcome, ago: lastRunAgo }) };
  }

  const lastSuccessAgo = ago(sinceLastSuccessMs);
  if (stale) {
    const summary =
      consecutiveFailures === 0
        ? t('state:summary.stale', { ago: lastSuccessAgo, interval })
        : t('state:summary.staleFailures', { ago: lastSuccessAgo, interval, count: consecutiveFailures, outcome });
    return { health: 'stale', summary: andKilled(summary) };
  }
  if (!SUCCESS_OUTCOMES.includes(lastRun.outcome)) {
    return { health: 'failing', summary: t('state:summary.failing', { outcome, ago: lastRunAgo, count: consecutiveFailures, successAgo: lastSuccessAgo }) };
  }
  return { health: 'healthy', summary: t('state:summary.healthy', { ago: lastSuccessAgo, interval }) };
}

function msSince(now: Date, isoTime: string): number {
  return now.getTime() - Date.parse(isoTime);
}

/** Interrupted runs have no end time: their start stands for it. */
function finishedAt(run: RunSummary): string {
  return run.endedAt ?? run.startedAt;
}

/** What a run did, as a verb phrase: "failed", "was refused by a safety guard". */
function describeOutcome(outcome: RunOutcome): string {
  return t(`state:outcome.${outcome}`);
}
