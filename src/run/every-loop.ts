import schedule from 'node-schedule';
import type { LogSink } from '../log/log-sink.js';
import { EXIT_CODES } from '../outcome/exit-codes.js';

export interface EveryLoopInput {
  /** A cron expression, already validated. */
  readonly cron: string;
  /** One run; resolves to its exit code. It must itself honour `signal`. */
  readonly runOnce: () => Promise<number>;
  readonly log: LogSink;
  /** Aborted on SIGINT/SIGTERM: no new run starts, the one in flight winds down. */
  readonly signal: AbortSignal;
}

/**
 * The long-running mode (`sync --every CRON`) for hosts without a scheduler.
 * Runs never overlap: a tick that comes while a run is still going is skipped
 * and logged. Resolves once stopped: 0 when idle, 6 when a run was interrupted.
 */
export async function runEvery(input: EveryLoopInput): Promise<number> {
  const { log, signal } = input;
  let current: Promise<number> | null = null;
  let interrupted = false;
  const job = schedule.scheduleJob(input.cron, () => {
    if (signal.aborted) return;
    if (current !== null) {
      log.warn('the previous run is still going; this scheduled run is skipped');
      return;
    }
    current = input.runOnce().then(
      (code) => code,
      (error: unknown) => {
        log.error(`the run failed unexpectedly: ${error instanceof Error ? error.message : 'unknown error'}`);
        return EXIT_CODES.failed;
      },
    );
    void current.then((code) => {
      current = null;
      if (code === EXIT_CODES.interrupted) interrupted = true;
      logNext();
    });
  });
  if (job === null) throw new Error(`node-schedule did not accept the schedule ${JSON.stringify(input.cron)}`);
  const logNext = () => {
    if (signal.aborted) return;
    const next = job.nextInvocation();
    log.info(`next run at ${next === null ? 'never (the schedule has no future time)' : next.toISOString()} (schedule "${input.cron}")`);
  };
  logNext();

  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  job.cancel();
  const running = current as Promise<number> | null;
  if (running !== null) {
    log.info('waiting for the run in progress to finish its operations in flight');
    if ((await running) === EXIT_CODES.interrupted) interrupted = true;
  }
  log.info('stopped');
  return interrupted ? EXIT_CODES.interrupted : EXIT_CODES.inSync;
}
